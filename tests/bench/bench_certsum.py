#!/usr/bin/env python3
"""Benchmark: certsum on a directory of PEM files against a shell loop of openssl.

Makes --count self-signed certificates (one key, distinct serials and names;
python3-cryptography), one PEM file each, then times
  * certsum -r -f jsonl DIR                (every field, lints and C2 flags)
  * certsum -r DIR                         (text lines)
  * for f in DIR/*; do openssl x509 -noout -subject -issuer -serial
      -fingerprint -sha1 -in "$f"; done    (what users do now: fewer fields)
and prints certificates per second and peak RSS. Not a test: run by hand on a
Release build.

    tests/bench/bench_certsum.py --bin build/release/tools [--count 10000]
"""
import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]


def run(cmd: str):
    """Wall seconds and peak RSS (KiB, GNU time when there) of a shell command."""
    gnu_time = shutil.which("time")
    with tempfile.NamedTemporaryFile() as rss:
        full = f"{gnu_time} -f %M -o {rss.name} bash -c {shlex_quote(cmd)}" if gnu_time else cmd
        t = time.perf_counter()
        subprocess.run(["bash", "-c", full], stdout=subprocess.DEVNULL, check=True)
        elapsed = time.perf_counter() - t
        peak = int(Path(rss.name).read_text().split()[-1]) if gnu_time else 0
    return elapsed, peak


def shlex_quote(s: str) -> str:
    return "'" + s.replace("'", "'\"'\"'") + "'"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", type=Path, default=ROOT / "build" / "release" / "tools")
    ap.add_argument("--count", type=int, default=10000)
    args = ap.parse_args()
    certsum = (args.bin / "certsum").resolve()
    key = ec.generate_private_key(ec.SECP256R1())
    start = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "certs"
        d.mkdir()
        for i in range(args.count):
            n = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                           x509.NameAttribute(NameOID.COMMON_NAME, f"host{i}.example.org")])
            c = (x509.CertificateBuilder().subject_name(n).issuer_name(n)
                 .public_key(key.public_key()).serial_number(100000 + i)
                 .not_valid_before(start).not_valid_after(start + dt.timedelta(days=365))
                 .sign(key, hashes.SHA256()))
            (d / f"c{i:05d}.pem").write_bytes(c.public_bytes(serialization.Encoding.PEM))
        print(f"input: {args.count} PEM files of one certificate each (EC P-256, self-signed)")
        print(f"{'command':44} {'seconds':>8} {'certs/s':>10} {'peak RSS MB':>12}")
        cases = [
            ("certsum -r -f jsonl", f"{certsum} -r -f jsonl {d}"),
            ("certsum -r (text)", f"{certsum} -r {d}"),
            ("shell loop of openssl x509 (5 fields)",
             f"for f in {d}/*; do openssl x509 -noout -subject -issuer -serial -fingerprint "
             f"-sha1 -in \"$f\"; done"),
        ]
        for name, cmd in cases:
            t, peak = run(cmd)
            print(f"{name:44} {t:8.2f} {args.count / t:10.0f} {peak / 1024:12.1f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
