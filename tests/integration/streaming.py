#!/usr/bin/env python3
"""iocgrep on a followed log: hits come out when the input pauses.

`tail -f access.log | iocgrep` (and `iocgrep -j 2`) must show the indicators
of each line as the line arrives, not when 64 KiB of output or a batch of
records have gathered or the input ends; so must psdecode its decoded lines. The
test writes one line into iocgrep's standard input, waits (up to 20 s) for its
hit on standard output while keeping the pipe open, then writes the next.

    tests/integration/streaming.py --bin build/debug/tools
"""
import argparse
import base64
import os
import select
import subprocess
import sys
from pathlib import Path


def read_line(fd, timeout):
    """One line from fd, or None when none comes within `timeout` seconds."""
    data = b""
    while not data.endswith(b"\n"):
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return None
        chunk = os.read(fd, 1)
        if not chunk:
            return data.decode() if data else None
        data += chunk
    return data.decode()


def follow(tool, args, lines, expected):
    p = subprocess.Popen([tool, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    failures = []
    for line, want in zip(lines, expected):
        p.stdin.write(line.encode() + b"\n")
        p.stdin.flush()
        # The line's hits, up to the one looked for; none may wait for more input.
        seen = []
        while True:
            got = read_line(p.stdout.fileno(), 20)
            if got is None:
                failures.append(f"{args}: after {line!r} got {seen!r}, want {want!r}")
                break
            seen.append(got)
            if want in got:
                break
        if failures:
            break
    p.stdin.close()
    p.stdout.read()
    if p.wait(timeout=30) != 0:
        failures.append(f"{args}: exit status {p.returncode}")
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, type=Path)
    a = ap.parse_args()
    iocgrep = str(a.bin / "iocgrep")
    lines = ["GET http://evil.example.com/a from 45.77.65.211",
             "beacon to hxxps://c2[.]example[.]net/admin/get.php",
             "nothing here", "mail bob[@]example.org"]
    failures = []
    failures += follow(iocgrep, [], lines[:2], ["http://evil.example.com/a",
                                                 "https://c2.example.net/admin/get.php"])
    failures += follow(iocgrep, ["-f", "jsonl", "-n"], lines[1:2] + lines[3:],
                       ['"line":1', '"value":"bob@example.org"'])
    # Several records to one read: the hits of the last come out too.
    failures += follow(iocgrep, ["-t", "ipv4"], ["1.2.3.4\n5.6.7.8"], ["1.2.3.4"])
    # With worker threads, the records of a batch go out when the input waits.
    failures += follow(iocgrep, ["-j", "2"], lines[:2], ["http://evil.example.com/a",
                                                         "https://c2.example.net/admin/get.php"])
    failures += follow(iocgrep, ["-j", "2", "-f", "jsonl", "-n"], lines[1:2] + lines[3:],
                       ['"line":1', '"value":"bob@example.org"'])
    # psdecode writes each decoded command line as the input waits, too.
    psdecode = str(a.bin / "psdecode")
    encoded = "powershell -nop -enc " + base64.b64encode(
        "Write-Host streaming-check".encode("utf-16-le")).decode()
    failures += follow(psdecode, [], [encoded], ["Write-Host streaming-check"])
    failures += follow(psdecode, ["-j", "2"], [encoded], ["Write-Host streaming-check"])
    for f in failures:
        print("FAIL", f)
    print(f"streaming: {7 - len(failures)} of 7 checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
