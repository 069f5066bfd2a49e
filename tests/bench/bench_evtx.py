#!/usr/bin/env python3
"""Benchmark: .evtx files read in process (events::EvtxReader) against evtxexport.

Builds an input of --copies copies of the corpus .evtx files
(../shared/corpus/sysmon/evtx/*.evtx and sigma/regression/*/*.evtx) in a temp
directory, counts its records with `evtxexport -f xml`, and times
  * evtx_read FILES          (tests/bench/evtx_read.cpp: EvtxReader, every
                              record to a ParseResult, with its fast path;
                              --driver)
  * evtx_read --libevtx FILES  (the same with the fast path off: every record
                              rendered by libevtx and parsed as XML, the
                              reader as it was before the fast path)
  * cmdchain -f jsonl FILES  (with --cmdchain BIN, once cmdchain reads .evtx)
  * evtxexport -f xml FILE   (libevtx's own tool dumping XML, once per file:
                              it takes one file; run through one shell loop)
and prints events per second, CPU seconds and peak RSS (GNU time). Not a test:
run by hand on a Release build. The issue's targets: >= 20,000 events/s, and
faster than evtxexport dumping the same files.

    tests/bench/bench_evtx.py --driver build/evtx/evtx_read [--copies 20]
                              [--cmdchain build/release/tools] [--repeat 3]
"""
import argparse
import glob
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_files():
    files = sorted(glob.glob(str(CORPUS / "sysmon" / "evtx" / "*.evtx")))
    files += sorted(glob.glob(str(CORPUS / "sigma" / "regression" / "*" / "*.evtx")))
    return [Path(f) for f in files]


def run(cmd: str):
    """Wall seconds, CPU seconds (user + sys) and peak RSS in KiB of a shell command."""
    gnu_time = shutil.which("time")
    with tempfile.NamedTemporaryFile() as out:
        full = ["bash", "-c", f"{gnu_time} -f '%U %S %M' -o {out.name} {cmd}" if gnu_time else cmd]
        t = time.perf_counter()
        subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        elapsed = time.perf_counter() - t
        if not gnu_time:
            return elapsed, 0.0, 0
        user, sys_, rss = Path(out.name).read_text().split()[-3:]
    return elapsed, float(user) + float(sys_), int(rss)


def bench(label: str, src, args, tmp: Path) -> None:
    files = []
    for c in range(args.copies):
        for i, f in enumerate(src):
            dst = tmp / f"{c:03d}_{i:03d}.evtx"
            shutil.copyfile(f, dst)
            files.append(dst)
    listing = tmp / "files.txt"
    listing.write_text("".join(f"{f}\n" for f in files))
    one_copy = subprocess.run(
        "for f in " + " ".join(str(f) for f in files[: len(src)]) +
        "; do evtxexport -f xml \"$f\"; done | grep -c '^<Event '",
        shell=True, capture_output=True, text=True).stdout.strip()
    events = int(one_copy or 0) * args.copies
    size = sum(f.stat().st_size for f in files)
    print(f"\ninput: {label}, {args.copies} copies: {len(files)} files, {size / 1e6:.1f} MB, "
          f"{events} records")
    cases = []
    if args.driver:
        cases.append(("evtx_read (EvtxReader, fast path)",
                      f"{args.driver.resolve()} $(cat {listing})"))
        cases.append(("evtx_read --libevtx (libevtx path)",
                      f"{args.driver.resolve()} --libevtx $(cat {listing})"))
    if args.cmdchain:
        cases.append(("cmdchain -f jsonl",
                      f"{(args.cmdchain / 'cmdchain').resolve()} -f jsonl $(cat {listing})"))
    cases.append(("evtxexport -f xml (one run per file)",
                  f"bash -c 'while read -r f; do evtxexport -f xml \"$f\"; done < {listing}'"))
    print(f"{'command':40} {'seconds':>8} {'CPU s':>7} {'events/s':>10} {'CPU ev/s':>10} "
          f"{'peak RSS MB':>12}")
    for name, cmd in cases:
        runs = sorted((run(cmd) for _ in range(max(1, args.repeat))), key=lambda r: r[0])
        t, cpu, rss = runs[len(runs) // 2]  # the median run by wall time
        print(f"{name:40} {t:8.2f} {cpu:7.2f} {events / t:10.0f} "
              f"{events / cpu if cpu else 0:10.0f} {rss / 1024:12.1f}", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--driver", type=Path, help="the evtx_read program (tests/bench/evtx_read.cpp)")
    ap.add_argument("--cmdchain", type=Path, help="directory of the tools: also time cmdchain")
    ap.add_argument("--copies", type=int, default=20, help="copies of the corpus files")
    ap.add_argument("--repeat", type=int, default=3, help="runs per command (the median is shown)")
    args = ap.parse_args()
    src = corpus_files()
    if not src:
        print(f"no .evtx files under {CORPUS}", file=sys.stderr)
        return 77
    if not shutil.which("evtxexport"):
        print("evtxexport not found (Debian: libevtx-utils)", file=sys.stderr)
        return 77
    big = [f for f in src if f.name == "PanacheSysmon_vs_AtomicRedTeam01.evtx"]
    # Most corpus files hold 1 to 9 records, where evtxexport's start per file
    # weighs; the one large file (565 records) shows the per-record cost.
    inputs = [("all corpus .evtx files", src)]
    if big:
        inputs.append(("PanacheSysmon_vs_AtomicRedTeam01.evtx", big))
    for label, group in inputs:
        with tempfile.TemporaryDirectory() as tmp:
            bench(label, group, args, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
