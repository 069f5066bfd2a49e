#!/usr/bin/env python3
"""Benchmark: iocgrep on a generated mixed log, against the tools analysts use instead.

  * iocgrep                default types (ipv4 ipv6 cidr domain url email md5 sha1
                           sha256 sha512), refanging on, plain output; also -t ipv4
                           and -j 2
  * rg -o IPV4             ripgrep with one IPv4 regex (the issue's yardstick)
  * rg -o COMBINED         ripgrep with one alternation approximating the default
                           types (no refanging, no TLD check, no canonical forms)
  * grep -oE IPV4          GNU grep with the IPv4 regex (on the first tenth only: slow)
  * CyberChef extract-ip   (node chef.mjs) on the first 20 MB, when CYBERCHEF_DIR is set
The yardstick pair (iocgrep with its default types against rg -o IPV4) is also
run in turns, the order swapped each round, with the best and median of each
and the mean of the paired differences (a busy machine slows both alike).
Then iocgrep and rg on real logs (the corpus's OTRF Empire exports, when
../shared/corpus is there), pathological single lines (each must take milliseconds: the scanner is
linear), and iocgrep's peak RSS at the full input and a tenth of it (memory
does not grow with the input). Prints seconds, MB/s and peak RSS. Not a test:
run by hand on a Release build.

    tests/bench/bench_iocgrep.py --bin build/release/tools [--mb 200] [--runs 3]
"""
import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IPV4 = r"\b(?:\d{1,3}\.){3}\d{1,3}\b"
COMBINED = (r"(?:\b(?:\d{1,3}\.){3}\d{1,3}\b)|(?:https?://[^\s\x22<>]+)|"
            r"(?:\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b)|"
            r"(?:\b(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}\b)|(?:\b[a-fA-F0-9]{32}\b)|"
            r"(?:\b[a-fA-F0-9]{40}\b)|(?:\b[a-fA-F0-9]{64}\b)")


GNU_TIME = shutil.which("time")


def measure(cmd: str, stdin_path: Path):
    """Wall time (s), peak RSS (KiB) and output lines of a shell command.

    The RSS is GNU time's for the command itself when /usr/bin/time is there
    (else the largest child's, which cannot be below the forking Python's)."""
    if GNU_TIME and "|" not in cmd:
        with tempfile.NamedTemporaryFile() as rss:
            t, _, lines = measure_plain(f"{GNU_TIME} -f %M -o {rss.name} {cmd}", stdin_path)
            return t, int(Path(rss.name).read_text().split()[-1]), lines
    return measure_plain(cmd, stdin_path)


def measure_plain(cmd: str, stdin_path: Path):
    probe = ("import resource,subprocess,sys,time;"
             "t=time.perf_counter();"
             "p=subprocess.run(['bash','-o','pipefail','-c',sys.argv[1]],stdin=open(sys.argv[2],'rb'),"
             "stdout=subprocess.PIPE);"
             "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
             " p.stdout.count(b'\\n'), p.returncode)")
    out = subprocess.run([sys.executable, "-c", probe, cmd, str(stdin_path)], capture_output=True,
                         text=True, check=True).stdout.split()
    if int(out[3]) not in (0, 1):
        raise SystemExit(f"bench: '{cmd}' exited with {out[3]}")
    return float(out[0]), int(out[1]), int(out[2])


def paired(name_a: str, cmd_a: str, name_b: str, cmd_b: str, path: Path, nbytes: int,
           rounds: int) -> None:
    """Runs two commands in turns (the order swapped each round) and prints the
    best and median of each, and the mean of the paired differences."""
    a, b = [], []
    for k in range(rounds):
        if k % 2 == 0:
            a.append(measure_plain(cmd_a, path)[0])
            b.append(measure_plain(cmd_b, path)[0])
        else:
            b.append(measure_plain(cmd_b, path)[0])
            a.append(measure_plain(cmd_a, path)[0])
    diff = [x - y for x, y in zip(a, b)]
    err = statistics.stdev(diff) / len(diff) ** 0.5
    print(f"\nin turns, {rounds} rounds:")
    for name, runs in ((name_a, a), (name_b, b)):
        print(f"  {name:32} best {nbytes / 1e6 / min(runs):7.1f} MB/s  "
              f"median {nbytes / 1e6 / statistics.median(runs):7.1f} MB/s")
    print(f"  {name_a} - {name_b}: {statistics.mean(diff) * 1000:+.1f} ms "
          f"± {err * 1000:.1f} ms (mean of the paired differences ± its standard error)\n",
          flush=True)


def head_bytes(src: Path, dst: Path, limit: int) -> None:
    with src.open("rb") as f, dst.open("wb") as g:
        n = 0
        for line in f:
            if n + len(line) > limit:
                break
            g.write(line)
            n += len(line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", type=Path, default=ROOT / "build" / "release" / "tools")
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    iocgrep = (args.bin / "iocgrep").resolve()
    if not iocgrep.exists():
        raise SystemExit(f"bench: {iocgrep} not found; build the release preset first")
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "mixed.log"
        with log.open("w") as f:
            subprocess.run([sys.executable, str(ROOT / "tests" / "bench" / "gen_mixed_log.py"),
                            "--mb", str(args.mb), "--seed", "1"], stdout=f, check=True)
        size = log.stat().st_size
        tenth = Path(tmp) / "tenth.log"
        head_bytes(log, tenth, size // 10)
        tenth_size = tenth.stat().st_size
        print(f"input: generated mixed log, {size / 1e6:.1f} MB "
              f"(tests/bench/gen_mixed_log.py --mb {args.mb:g} --seed 1)")
        print(f"{'command':34} {'best s':>8} {'MB/s':>8} {'hits':>10} {'peak RSS MB':>12}")

        def row(name, cmd, path, nbytes):
            runs = [measure(cmd, path) for _ in range(args.runs)]
            best = min(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            print(f"{name:34} {best:8.2f} {nbytes / 1e6 / best:8.1f} {runs[0][2]:10d} "
                  f"{peak / 1024:12.1f}", flush=True)

        row("iocgrep (default types)", f"{iocgrep}", log, size)
        row("iocgrep -t ipv4", f"{iocgrep} -t ipv4", log, size)
        row("iocgrep --no-refang -t ipv4", f"{iocgrep} --no-refang -t ipv4", log, size)
        row("iocgrep -j 2 (default types)", f"{iocgrep} -j 2", log, size)
        row("iocgrep -f jsonl", f"{iocgrep} -f jsonl", log, size)
        if shutil.which("rg"):
            row("rg -o IPV4", f"rg -o {shlex.quote(IPV4)}", log, size)
            row("rg -o COMBINED", f"rg -o {shlex.quote(COMBINED)}", log, size)
        if shutil.which("rg"):
            paired("iocgrep (default types)", f"{iocgrep}", "rg -o IPV4",
                   f"rg -o {shlex.quote(IPV4)}", log, size, max(2 * args.runs, 10))
        row("grep -oE IPV4 (first tenth)", "grep -oE '\\b([0-9]{1,3}\\.){3}[0-9]{1,3}\\b'", tenth,
            tenth_size)
        chef = ROOT.parent / "shared" / "cyberchef" / "chef.mjs"
        if os.environ.get("CYBERCHEF_DIR") and chef.exists() and shutil.which("node"):
            sub = Path(tmp) / "sub.log"
            head_bytes(log, sub, 20_000_000)
            row("CyberChef extract-ip (20 MB)", f"node {chef} extract-ip", sub, sub.stat().st_size)
        t, peak_tenth, _ = measure(f"{iocgrep}", tenth)
        print(f"iocgrep peak RSS on a tenth of the input: {peak_tenth / 1024:.1f} MB")

        # Real logs: the corpus's OTRF Empire Sysmon/Security exports (JSON lines),
        # when ../shared/corpus is there.
        otrf = ROOT.parent / "shared" / "corpus" / "sysmon" / "otrf"
        zips = sorted(otrf.glob("*.zip")) if otrf.is_dir() else []
        if zips:
            real = Path(tmp) / "otrf.json"
            with real.open("wb") as out:
                for z in zips:
                    with zipfile.ZipFile(z) as archive:
                        for member in archive.namelist():
                            if member.endswith(".json"):
                                out.write(archive.read(member))
            real_size = real.stat().st_size
            print(f"\ninput: the corpus's OTRF Empire logs ({len(zips)} exports, JSON lines), "
                  f"{real_size / 1e6:.1f} MB")
            row("iocgrep (default types)", f"{iocgrep}", real, real_size)
            if shutil.which("rg"):
                row("rg -o IPV4", f"rg -o {shlex.quote(IPV4)}", real, real_size)

        print("\npathological single lines (iocgrep --all):")
        cases = {
            '"A"*20000 + "@"': "A" * 20000 + "@",
            '"1."*50000': "1." * 50000,
            "1 MB of hex": "0123456789abcdef" * 65536,
            "10 MB of base64": ("QUJDRA" * 1_800_000)[:10_000_000],
            '"http://"*20000': "http://" * 20000,
            '"a.b:"*100000': "a.b:" * 100000,
            '"[.]"*100000': "[.]" * 100000,
            '"a@"*100000': "a@" * 100000,
        }
        for name, text in cases.items():
            p = Path(tmp) / "patho.txt"
            p.write_text(text + "\n")
            t, peak, hits = measure(f"{iocgrep} --all", p)
            print(f"  {name:24} {len(text) / 1e6:6.2f} MB {t * 1000:9.1f} ms {hits:6d} hits "
                  f"{peak / 1024:8.1f} MB RSS", flush=True)


if __name__ == "__main__":
    main()
