#!/usr/bin/env python3
"""Integration test over ../shared/corpus/psdecode/real-cmdlines.jsonl: real
encoded command lines from public datasets (OTRF Security-Datasets, EVTX-ATTACK-
SAMPLES). Skipped (exit 77) when the corpus is absent.

Checks, per entry of the corpus's own `framework` label:
  * every PowerShell Empire launcher (not the schtasks persistence entry) yields
    framework "empire" with server, URIs, user agent, staging key and a cookie
    that decrypts and is verified;
  * the Empire schtasks persistence entry yields persistence and a registry payload;
  * the Covenant entry yields a PE artifact and its C2 URL;
  * the Metasploit entries yield a shellcode artifact;
  * every entry decodes at least one layer.

    tests/integration/real_cmdlines.py --bin build/debug/tools [--corpus PATH]
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, type=Path)
    ap.add_argument("--corpus", type=Path,
                    default=ROOT.parent / "shared" / "corpus" / "psdecode" / "real-cmdlines.jsonl")
    args = ap.parse_args()
    if not args.corpus.exists():
        print(f"real_cmdlines: {args.corpus} not found: skipped")
        return 77
    entries = [json.loads(line) for line in args.corpus.read_text().splitlines() if line.strip()]
    p = subprocess.run([str(args.bin / "psdecode"), "--field", "cmdline", "-f", "jsonl", "-s",
                        str(args.corpus)], capture_output=True, text=True)
    if p.returncode != 0:
        print(f"psdecode exited {p.returncode}: {p.stderr[:500]}")
        return 1
    out = [json.loads(line) for line in p.stdout.splitlines()]
    if len(out) != len(entries):
        print(f"expected {len(entries)} records, got {len(out)}")
        return 1
    failures = []
    counts = {"empire": 0, "verified": 0, "covenant": 0, "metasploit": 0, "other": 0}
    for entry, rec in zip(entries, out):
        r = rec["cmdline_decoded"]
        fw = entry["framework"]
        name = entry["id"]

        def need(cond, what):
            if not cond:
                failures.append(f"{name} ({fw}): {what}")

        need(any(l["ok"] for l in r["layers"] if l["op"] not in ("fold", "unescape")),
             "no layer decoded")
        if fw.startswith("PowerShell Empire") and "schtasks" not in fw:
            counts["empire"] += 1
            e = r["empire"]
            need(r["framework"]["name"] == "empire", f"framework is {r['framework']['name']}")
            if e:
                need(e["server"].startswith("http"), f"server {e['server']!r}")
                need(len(e["uris"]) > 0, "no URIs")
                need(e["ua"].startswith("Mozilla/"), f"ua {e['ua']!r}")
                need(len(e["staging_key"]) == 32, f"staging key {e['staging_key']!r}")
                verified = bool(e["cookie_decoded"] and e["cookie_decoded"]["verified"])
                need(verified, "cookie not verified")
                counts["verified"] += verified
        elif "schtasks" in fw:
            need(r["persistence"] and r["persistence"]["mechanism"] == "schtasks", "no persistence")
            need(r["registry_payload"] is not None, "no registry payload")
        elif fw == "Covenant":
            counts["covenant"] += 1
            need(any(a["kind"] == "pe" for a in r["artifacts"]), "no PE artifact")
            need(r["framework"]["name"] == "covenant", f"framework is {r['framework']['name']}")
            need("http://172.18.39.8:80" in r["framework"].get("urls", []), "no C2 URL")
        elif fw == "Metasploit":
            counts["metasploit"] += 1
            if "phish" in name:  # a credential-prompt post module, not a shellcode runner
                need("PromptForCredential" in r["decoded"], "credential prompt not decoded")
            else:
                need(any(a["kind"] == "shellcode" for a in r["artifacts"]), "no shellcode artifact")
            need(r["framework"]["name"] == "metasploit", f"framework is {r['framework']['name']}")
        else:
            counts["other"] += 1
    for f in failures:
        print("FAIL " + f)
    print(f"real_cmdlines: {len(entries)} entries; Empire launchers {counts['empire']} "
          f"({counts['verified']} verified cookies), Covenant {counts['covenant']}, "
          f"Metasploit {counts['metasploit']}, others {counts['other']}; "
          f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
