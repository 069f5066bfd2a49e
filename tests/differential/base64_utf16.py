#!/usr/bin/env python3
"""Differential test: `psdecode -r 'from_base64 | decode_text utf-16le'` against
Python's base64 and codecs modules, on generated inputs.

Each input is text drawn from several Unicode ranges (ASCII, Latin, CJK,
astral characters that need surrogate pairs, NUL, control characters), written
as UTF-16LE, sometimes with damage the decoder must handle the documented way
(a lone surrogate, an odd trailing byte, a leading BOM), then base64-encoded in
one of several shapes (padded, unpadded, wrapped with line breaks, with spaces,
URL-safe). Python is the oracle for the bytes and the UTF-16 decoding; where
our documented rules differ from Python's defaults the expectation is adjusted
explicitly (a leading BOM is stripped; a trailing odd byte is dropped).

    tests/differential/base64_utf16.py --bin build/debug/tools [--count 500] [--seed N]
"""
import argparse
import base64
import json
import random
import subprocess
import sys
from pathlib import Path

RANGES = [(0x20, 0x7E), (0xA0, 0x17F), (0x370, 0x3FF), (0x400, 0x4FF), (0x4E00, 0x4FFF),
          (0xFF01, 0xFF5E), (0x1F600, 0x1F64F), (0x10000, 0x1000F), (0x0, 0x1F)]


def random_text(rng: random.Random) -> str:
    n = rng.choice([0, 1, 2, 5, 20, 100, 1000])
    out = []
    for _ in range(n):
        lo, hi = rng.choice(RANGES)
        out.append(chr(rng.randint(lo, hi)))
    return "".join(out).replace("\n", " ")


def make_case(rng: random.Random):
    text = random_text(rng)
    raw = text.encode("utf-16-le")
    damage = rng.choice(["none"] * 6 + ["lone_high", "lone_low", "odd_byte", "bom"])
    if damage == "lone_high" and raw:
        pos = rng.randrange(0, len(raw) // 2 + 1) * 2
        raw = raw[:pos] + b"\x00\xd8" + raw[pos:]
    elif damage == "lone_low":
        pos = rng.randrange(0, len(raw) // 2 + 1) * 2
        raw = raw[:pos] + b"\x00\xdc" + raw[pos:]
    elif damage == "odd_byte":
        raw = raw + bytes([rng.randrange(256)])
    elif damage == "bom":
        raw = b"\xff\xfe" + raw
    b64 = base64.b64encode(raw).decode()
    shape = rng.choice(["padded", "unpadded", "wrapped", "spaces", "urlsafe", "crlf"])
    if shape == "unpadded":
        b64 = b64.rstrip("=")
    elif shape == "wrapped":
        b64 = "\\n".join(b64[i:i + 76] for i in range(0, len(b64), 76))  # literal, see below
    elif shape == "spaces":
        pieces, i = [], 0
        while i < len(b64):
            n = rng.randint(1, 9)
            pieces.append(b64[i:i + n])
            i += n
        b64 = " ".join(pieces)
    elif shape == "urlsafe":
        b64 = base64.urlsafe_b64encode(raw).decode()
    # Records are lines: a wrapped blob uses -z (NUL-separated) with real newlines.
    b64 = b64.replace("\\n", "\n")
    if shape == "crlf":
        b64 = b64 + "\r"
    return text, raw, damage, shape, b64


def oracle(b64: str) -> str:
    """What the decoder must produce, from Python's codecs."""
    cleaned = "".join(b64.split()).replace("-", "+").replace("_", "/")
    cleaned += "=" * (-len(cleaned) % 4)
    data = base64.b64decode(cleaned)
    if len(data) % 2:
        data = data[:-1]  # our rule: a trailing odd byte is dropped (and reported)
    text = data.decode("utf-16-le", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]  # our rule: a leading BOM is stripped
    return text


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, type=Path)
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1200)
    args = ap.parse_args()
    exe = args.bin / "psdecode"
    rng = random.Random(args.seed)
    cases = [make_case(rng) for _ in range(args.count)]
    stdin = b"".join(c[4].encode() + b"\0" for c in cases)
    p = subprocess.run([str(exe), "-z", "-r", "from_base64 | decode_text utf-16le", "-f", "jsonl", "-s"],
                       input=stdin, capture_output=True)
    if p.returncode != 0:
        print(f"psdecode exited {p.returncode}: {p.stderr.decode(errors='replace')[:500]}")
        return 1
    lines = p.stdout.decode().splitlines()
    if len(lines) != len(cases):
        print(f"expected {len(cases)} records, got {len(lines)}")
        return 1
    failures = 0
    damages = {}
    for i, (case, line) in enumerate(zip(cases, lines)):
        text, raw, damage, shape, b64 = case
        damages[damage] = damages.get(damage, 0) + 1
        rec = json.loads(line)
        want = oracle(b64)
        got = rec.get("output")
        if damage == "none" and want != text:
            print(f"case {i}: the oracle itself disagrees with the source text")
            failures += 1
        if got != want:
            failures += 1
            if failures <= 5:
                print(f"case {i} ({damage}, {shape}): input {b64[:60]!r}\n  want {want[:60]!r}\n  got  {str(got)[:60]!r}")
    print(f"differential: {len(cases) - failures} of {len(cases)} inputs agree with Python "
          f"(damage: {', '.join(f'{k} {v}' for k, v in sorted(damages.items()))})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
