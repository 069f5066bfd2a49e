#!/usr/bin/env python3
"""Benchmark: psdecode on generated Empire launcher command lines, against what a
shell user would do instead, and against CyberChef's Node engine.

  * psdecode -f jsonl                       full peel: wrappers, layers, folding, Empire
                                            parsing with cookie decryption, JSON out
  * psdecode -r ps-enc-cmdline              the recipe runner: regex + base64 + UTF-16LE
  * sed 's/.*-enc *//' | base64 -di | iconv -f UTF-16LE -t UTF-8
                                            decodes the blobs only: no fields, no
                                            records (blobs run together), no errors
  * CyberChef (node chef.mjs --lines) on the first 2,000 lines, when CYBERCHEF_DIR is set
Prints seconds, MB/s, lines/s and peak RSS; also psdecode's peak RSS at a tenth of
the input, to show that memory does not grow with it. Not a test: run by hand.

    tests/bench/bench_psdecode.py --bin build/release/tools [--count 100000] [--runs 2]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def measure(cmd: str, stdin_path: Path):
    """Wall time and peak RSS (KiB, largest process of the pipeline)."""
    probe = ("import resource,subprocess,sys,time;"
             "t=time.perf_counter();"
             "subprocess.run(['bash','-o','pipefail','-c',sys.argv[1]],stdin=open(sys.argv[2],'rb'),"
             "stdout=subprocess.DEVNULL,check=True);"
             "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, cmd, str(stdin_path)], capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[0]), int(out[1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", type=Path, default=ROOT / "build" / "release" / "tools")
    ap.add_argument("--count", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    psdecode = (args.bin / "psdecode").resolve()
    with tempfile.TemporaryDirectory() as tmp:
        lines = Path(tmp) / "launchers.txt"
        gen = subprocess.Popen([sys.executable, str(ROOT / "tests" / "gen" / "empire_gen.py"),
                                "--count", str(args.count), "--seed", "42"], stdout=subprocess.PIPE,
                               text=True)
        n = 0
        with lines.open("w") as f:
            for line in gen.stdout:
                case = json.loads(line)
                if case["wrapper"] == "schtasks":
                    continue  # no blob on the line: the shell pipeline cannot take it
                f.write(case["cmdline"] + "\n")
                n += 1
        gen.wait()
        tenth = Path(tmp) / "tenth.txt"
        with lines.open() as src, tenth.open("w") as dst:
            for i, line in enumerate(src):
                if i >= n // 10:
                    break
                dst.write(line)
        size = lines.stat().st_size
        cases = [
            ("psdecode -f jsonl", f"{psdecode} -f jsonl -s"),
            ("psdecode -r ps-enc-cmdline", f"{psdecode} -r ps-enc-cmdline -s"),
            ("sed | base64 -di | iconv", "sed 's/.*-[Ee][Nn][Cc] *//; s/\"$//' | base64 -di | "
                                         "iconv -f UTF-16LE -t UTF-8"),
        ]
        print(f"input: {n} launcher command lines, {size / 1e6:.1f} MB")
        print(f"{'command':30} {'best s':>8} {'MB/s':>8} {'lines/s':>10} {'peak RSS MB':>12}")
        for name, cmd in cases:
            best, peak = min(measure(cmd, lines) for _ in range(args.runs))
            print(f"{name:30} {best:8.2f} {size / 1e6 / best:8.1f} {n / best:10.0f} {peak / 1024:12.1f}")
        t, peak_tenth = measure(f"{psdecode} -f jsonl -s", tenth)
        print(f"psdecode -f jsonl on a tenth of the input: peak RSS {peak_tenth / 1024:.1f} MB")
        chef = ROOT.parent / "shared" / "cyberchef" / "chef.mjs"
        if os.environ.get("CYBERCHEF_DIR") and chef.exists():
            sub = Path(tmp) / "sub.txt"
            with lines.open() as src, sub.open("w") as dst:
                for i, line in enumerate(src):
                    if i >= 2000:
                        break
                    blob = line.split("-enc", 1)[-1] if "-enc" in line else line.split("-Enc", 1)[-1]
                    dst.write(blob.strip().strip('"') + "\n")
            sub_size = sub.stat().st_size
            best, peak = measure(f"node {chef} --lines ps-enc", sub)
            print(f"{'CyberChef (2,000 blobs)':30} {best:8.2f} {sub_size / 1e6 / best:8.1f} "
                  f"{2000 / best:10.0f} {peak / 1024:12.1f}")


if __name__ == "__main__":
    main()
