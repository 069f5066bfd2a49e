#!/usr/bin/env python3
"""cmdchain on the OTRF Security-Datasets Empire recordings of ../shared/corpus/sysmon/otrf/.

Skipped (exit 77) when the corpus is absent. Checks what an analyst expects:
  * empire_launcher_vbs: WScript -> encoded PowerShell (decoded: Empire) -> whoami,
    each process once although Sysmon and Security 4688 both logged it;
  * the two `net` datasets of one agent: their net.exe children merge under the
    agent's one PowerShell parent command line;
  * empire_wmic_add_user_backdoor: two hosts, and no tree crosses from one to the other.

    tests/integration/cmdchain_otrf.py --bin build/debug/tools
"""
import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OTRF = ROOT.parent / "shared" / "corpus" / "sysmon" / "otrf"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", type=Path, required=True)
    args = ap.parse_args()
    if not OTRF.is_dir():
        print(f"skip: {OTRF} is absent")
        return 77
    cmdchain = str((args.bin / "cmdchain").resolve())
    failures = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for z in sorted(OTRF.glob("*.zip")):
            with zipfile.ZipFile(z) as zf:
                for name in zf.namelist():
                    if name.endswith(".json"):
                        out = Path(tmp) / Path(name).name
                        out.write_bytes(zf.read(name))
                        files[z.stem] = out

        def run(*extra):
            p = subprocess.run([cmdchain, "-f", "jsonl", *extra], capture_output=True, text=True)
            return p.returncode, [json.loads(l) for l in p.stdout.splitlines()], p.stderr

        rc, nodes, err = run(str(files["empire_launcher_vbs"]))
        check(rc == 0, f"launcher_vbs reads ({err.strip()[:200]})")
        by_guid = {n["guid"]: n for n in nodes if n["guid"]}
        chain_found = False
        for n in nodes:
            if not n["image"].lower().endswith("whoami.exe"):
                continue
            parent = by_guid.get(n["parent_guid"])
            grand = by_guid.get(parent["parent_guid"]) if parent else None
            if (parent and parent["image"].lower().endswith("powershell.exe") and grand and
                    grand["image"].lower().endswith("wscript.exe") and parent["decoded"] and
                    parent["decoded"]["framework"] == "empire"):
                chain_found = True
        check(chain_found, "WScript -> encoded PowerShell (decoded as Empire) -> whoami")
        whoamis = [n for n in nodes if n["image"].lower().endswith("whoami.exe")]
        check(len(whoamis) == 1, f"whoami.exe once, not once per log source ({len(whoamis)})")

        rc, groups, err = run("--group-by", "parent-cmdline", "--across-hosts",
                              str(files["empire_shell_net_local_users"]),
                              str(files["empire_shell_net_localgroup_administrators"]))
        merged = [g for g in groups if "powershell" in g["parent_command_line"].lower() and
                  any("net.exe\" user" in c["command_line"] for c in g["children"]) and
                  any("localgroup" in c["command_line"] for c in g["children"])]
        check(len(merged) == 1 and merged[0]["parent_instances"] == 1,
              "both net datasets' net.exe children are under one PowerShell parent")

        rc, nodes, err = run(str(files["empire_wmic_add_user_backdoor"]))
        hosts = {n["host"].lower() for n in nodes}
        by_key = {(n["host"].lower(), n["guid"]): n for n in nodes if n["guid"]}
        crossing = [n for n in nodes if n["parent_guid"] and
                    (n["host"].lower(), n["parent_guid"]) not in by_key]
        check(len(hosts) >= 2, f"the WMIC dataset spans {len(hosts)} hosts")
        check(not crossing, "every parent link stays on its host")
    print(f"cmdchain_otrf: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
