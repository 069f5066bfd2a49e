#!/usr/bin/env python3
"""Benchmark: cmdchain on generated Sysmon JSON lines and XML lines.

Generates --count events in the OTRF/NXLog JSON shape (EventData at the top
level) and the same events as Splunk XmlWinEventLog lines: a tenth are process
creations linked by GUIDs into trees on 20 hosts, the rest network and file
events of similar size. Times
  * cmdchain -f jsonl --no-decode   (read, link, run the shipped Sigma rules,
                                     write every process), also --no-rules
  * cmdchain -f alerts               (the same, writing only the alerts)
  * jq -c 'select(.EventID == 1)'   (what a shell user does: filter only, no trees)
and prints events per second and peak RSS (GNU time). Not a test: run by hand on
a Release build. The issue's targets: >= 100,000 events/s on JSON lines.

    tests/bench/bench_cmdchain.py --bin build/release/tools [--count 200000]
"""
import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parents[2]


def events(count: int, seed: int = 1):
    r = random.Random(seed)
    live = {}  # host -> list of (guid, pid, image, cmd)
    for i in range(count):
        host = f"wrk-{i % 20:02d}.corp.local"
        t = f"2020-09-04 20:{(i // 6000) % 60:02d}:{(i // 100) % 60:02d}.{i % 1000:03d}"
        if i % 10 == 0:
            parents = live.setdefault(host, [])
            guid = "{%08X-1111-2222-3333-%012X}" % (i, r.randrange(16**12))
            image = r.choice(["C:\\Windows\\System32\\cmd.exe", "C:\\Windows\\System32\\whoami.exe",
                              "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"])
            cmd = f"{image.rsplit(chr(92), 1)[-1]} /c echo {r.randrange(10**6)}"
            ev = {"Hostname": host, "EventID": 1, "SourceName": "Microsoft-Windows-Sysmon",
                  "UtcTime": t, "ProcessGuid": guid, "ProcessId": 1000 + i % 60000,
                  "Image": image, "CommandLine": cmd, "User": "CORP\\user",
                  "IntegrityLevel": "Medium", "host": "collector"}
            if parents:
                pg, ppid, pimage, pcmd = r.choice(parents[-50:])
                ev.update({"ParentProcessGuid": pg, "ParentProcessId": str(ppid),
                           "ParentImage": pimage, "ParentCommandLine": pcmd})
            parents.append((guid, ev["ProcessId"], image, cmd))
        else:
            ev = {"Hostname": host, "EventID": r.choice([3, 11, 13]),
                  "SourceName": "Microsoft-Windows-Sysmon", "UtcTime": t,
                  "Image": "C:\\Windows\\System32\\svchost.exe",
                  "TargetFilename": f"C:\\Windows\\Temp\\f{r.randrange(10**8)}.tmp",
                  "DestinationIp": f"10.0.{r.randrange(255)}.{r.randrange(255)}",
                  "DestinationPort": r.randrange(65536), "host": "collector"}
        yield ev


def to_xml(ev: dict) -> str:
    data = {k: v for k, v in ev.items() if k not in ("Hostname", "EventID", "SourceName", "host")}
    return ("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
            f"<Provider Name='{ev['SourceName']}'/><EventID>{ev['EventID']}</EventID>"
            f"<Computer>{escape(ev['Hostname'])}</Computer></System><EventData>"
            + "".join(f"<Data Name={quoteattr(k)}>{escape(str(v))}</Data>" for k, v in data.items())
            + "</EventData></Event>")


def run(cmd: str):
    gnu_time = shutil.which("time")
    with tempfile.NamedTemporaryFile() as rss:
        full = ["bash", "-c", f"{gnu_time} -f %M -o {rss.name} {cmd}" if gnu_time else cmd]
        t = time.perf_counter()
        subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        elapsed = time.perf_counter() - t
        peak = int(Path(rss.name).read_text().split()[-1]) if gnu_time else 0
    return elapsed, peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", type=Path, default=ROOT / "build" / "release" / "tools")
    ap.add_argument("--count", type=int, default=200000)
    args = ap.parse_args()
    cmdchain = (args.bin / "cmdchain").resolve()
    with tempfile.TemporaryDirectory() as tmp:
        jl, xl = Path(tmp) / "events.jsonl", Path(tmp) / "events.xml"
        with jl.open("w") as fj, xl.open("w") as fx:
            for ev in events(args.count):
                fj.write(json.dumps(ev) + "\n")
                fx.write(to_xml(ev) + "\n")
        print(f"input: {args.count} events (a tenth process creations), JSON lines "
              f"{jl.stat().st_size / 1e6:.1f} MB, XML lines {xl.stat().st_size / 1e6:.1f} MB")
        print(f"{'command':44} {'seconds':>8} {'events/s':>10} {'peak RSS MB':>12}")
        cases = [("cmdchain -f jsonl --no-decode (JSON lines)",
                  f"{cmdchain} -f jsonl --no-decode {jl}"),
                 ("  the same, --no-rules",
                  f"{cmdchain} -f jsonl --no-decode --no-rules {jl}"),
                 ("cmdchain -f alerts (JSON lines)",
                  f"{cmdchain} -f alerts {jl}"),
                 ("cmdchain -f jsonl --no-decode (XML lines)",
                  f"{cmdchain} -f jsonl --no-decode {xl}")]
        if shutil.which("jq"):
            cases.append(("jq -c 'select(.EventID == 1)' (JSON lines)",
                          f"jq -c 'select(.EventID == 1)' {jl}"))
        for name, cmd in cases:
            t, peak = run(cmd)
            print(f"{name:44} {t:8.2f} {args.count / t:10.0f} {peak / 1024:12.1f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
