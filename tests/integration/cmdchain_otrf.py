#!/usr/bin/env python3
"""cmdchain on the OTRF Security-Datasets Empire recordings of ../shared/corpus/sysmon/otrf/
and the EVTX-ATTACK-SAMPLES logs of ../shared/corpus/sysmon/evtx/.

Skipped (exit 77) when the corpus is absent. Checks what an analyst expects:
  * empire_launcher_vbs: WScript -> encoded PowerShell (decoded: Empire) -> whoami,
    each process once although Sysmon and Security 4688 both logged it;
  * the two `net` datasets of one agent: their net.exe children merge under the
    agent's one PowerShell parent command line;
  * empire_wmic_add_user_backdoor: two hosts, and no tree crosses from one to the other;
  * every .evtx reads without errors, and in exec_sysmon_1_ftp.evtx the ftp.exe
    parent, only named by its child, is a synthesized node with the child under it;
  * the JSON and the .evtx of a SigmaHQ regression pair give the same processes.

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
EVTX = ROOT.parent / "shared" / "corpus" / "sysmon" / "evtx"
SIGMA = ROOT.parent / "shared" / "corpus" / "sigma" / "regression"


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

    if EVTX.is_dir():
        for f in sorted(EVTX.glob("*.evtx")):
            rc, nodes, err = run("--no-rules", str(f))
            record_errors = [l for l in err.splitlines() if f"{f.name}:" in l]
            check(rc in (0, 1) and not record_errors,
                  f"{f.name}: {len(nodes)} processes ({err.strip()[:160]})")
        rc, nodes, err = run("--no-rules", str(EVTX / "exec_sysmon_1_ftp.evtx"))
        ftp = [n for n in nodes if n["image"].lower().endswith("\\ftp.exe")]
        under = [n for n in nodes if ftp and n["depth"] == ftp[0]["depth"] + 1 and
                 n["parent_image"].lower().endswith("\\ftp.exe")]
        check(len(ftp) == 1 and ftp[0]["synthesized"] and len(under) >= 1,
              "exec_sysmon_1_ftp: ftp.exe (never logged) is synthesized, its child under it")
    if SIGMA.is_dir():
        folder = SIGMA / "proc_creation_win_findstr_recon_everyone"
        if folder.is_dir():
            evtx = next(folder.glob("*.evtx"))
            js = next(folder.glob("*.json"))
            key = lambda n: (n["host"], n["pid"], n["image"], n["command_line"].rstrip())
            rc1, a, _ = run("--no-rules", "--no-decode", str(evtx))
            rc2, b, _ = run("--no-rules", "--no-decode", str(js))
            check(rc1 == 0 and rc2 == 0 and len(a) > 0 and sorted(map(key, a)) == sorted(map(key, b)),
                  f"the .evtx and the .json of one regression pair: same {len(a)} processes")
    print(f"cmdchain_otrf: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
