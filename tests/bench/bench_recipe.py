#!/usr/bin/env python3
"""Benchmark: psdecode's recipe runner against what a shell user runs instead.

Generates N PowerShell -enc blobs (base64 of UTF-16LE scripts, one per line),
then times, on the same file:
  * psdecode -r 'from_base64 | decode_text utf-16le'      (one record per line)
  * psdecode ... -f jsonl                                  (with source and JSON escaping)
  * base64 -d | iconv -f UTF-16LE -t UTF-8                 (the whole file as one blob: no
                                                            per-line records, no errors per line)
  * CyberChef's Node engine via ../shared/cyberchef/chef.mjs --lines, when
    CYBERCHEF_DIR points at an install (see ../shared/cyberchef/README.md)
and prints MB/s of input and peak RSS of each. Not a test: run by hand, quote the output.

    tests/bench/bench_recipe.py --bin build/release/tools [--count 100000] [--runs 3]
"""
import argparse
import base64
import os
import random
import resource
import subprocess
import tempfile
import time
from pathlib import Path


def make_blobs(path: Path, count: int) -> None:
    rng = random.Random(5)
    words = ["IEX", "New-Object", "Net.WebClient", "DownloadString", "'http://45.77.65.211/a'",
             "$wc", "Get-Process", "Grüße", "whoami", "-join", "[char]83", "$env:TEMP"]
    with path.open("w") as f:
        for _ in range(count):
            script = " ".join(rng.choice(words) for _ in range(rng.randint(10, 120)))
            f.write(base64.b64encode(script.encode("utf-16-le")).decode() + "\n")


def run(cmd: str, stdin_path: Path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with stdin_path.open("rb") as inp:
        start = time.perf_counter()
        subprocess.run(["bash", "-o", "pipefail", "-c", cmd], stdin=inp, stdout=subprocess.DEVNULL,
                       check=True)
        elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", type=Path, default=Path("build/release/tools"))
    ap.add_argument("--count", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    psdecode = (args.bin / "psdecode").resolve()
    with tempfile.TemporaryDirectory() as tmp:
        blobs = Path(tmp) / "blobs.txt"
        make_blobs(blobs, args.count)
        size = blobs.stat().st_size
        cases = [
            ("psdecode -r (text)", f"{psdecode} -r 'from_base64 | decode_text utf-16le'"),
            ("psdecode -r -f jsonl", f"{psdecode} -r 'from_base64 | decode_text utf-16le' -f jsonl"),
            ("base64 -d | iconv", "base64 -d | iconv -f UTF-16LE -t UTF-8"),
        ]
        chef = Path(__file__).resolve().parents[3] / "shared" / "cyberchef" / "chef.mjs"
        if os.environ.get("CYBERCHEF_DIR") and chef.exists():
            cases.append(("CyberChef (node, --lines)", f"node {chef} --lines ps-enc"))
        print(f"input: {args.count} blobs, {size / 1e6:.1f} MB ({blobs})")
        print(f"{'command':28} {'best s':>8} {'MB/s':>8} {'peak RSS MB':>12}")
        for name, cmd in cases:
            times, peak = [], 0
            for _ in range(args.runs):
                t, p = run(cmd, blobs)
                times.append(t)
                peak = max(peak, p)
            best = min(times)
            print(f"{name:28} {best:8.3f} {size / 1e6 / best:8.1f} {peak / 1024:12.1f}")
        print("(peak RSS is the largest child so far: read it as an upper bound per row)")


if __name__ == "__main__":
    main()
