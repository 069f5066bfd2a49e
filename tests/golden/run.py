#!/usr/bin/env python3
"""Golden tests: each tool run on samples/, compared with checked-in output.

A case is tests/golden/<tool>/<name>.cmd: one shell command line, run by bash
from the repository root with the tools under test first on PATH. Next to it:
<name>.stdout, <name>.stderr and <name>.exit hold what it must print and return.

    tests/golden/run.py --bin build/debug/tools            # check every case
    tests/golden/run.py --bin build/debug/tools --update   # rewrite the expected files
    tests/golden/run.py --bin ... psdecode/bad-records     # some cases only

Review the diff after --update: it is the behaviour change you are committing.
"""
import argparse
import difflib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def run_case(cmd_file: Path, bin_dir: Path):
    env = dict(os.environ)
    env["PATH"] = str(bin_dir) + os.pathsep + env.get("PATH", "")
    env["LC_ALL"] = "C.UTF-8"
    env.pop("IOC_RECIPE_PATH", None)
    env.pop("NO_COLOR", None)
    command = cmd_file.read_text().strip()
    p = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=ROOT, env=env,
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    return p.stdout, p.stderr, f"{p.returncode}\n".encode()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, type=Path, help="directory holding the built tools")
    ap.add_argument("--update", action="store_true", help="rewrite expected files from actual output")
    ap.add_argument("cases", nargs="*", help="TOOL/NAME of cases to run (default: all)")
    args = ap.parse_args()
    bin_dir = args.bin.resolve()
    for tool in ("psdecode", "iocgrep", "certsum", "cmdchain"):
        if not os.access(bin_dir / tool, os.X_OK):
            print(f"golden: {tool} not found in {bin_dir}", file=sys.stderr)
            return 2

    cases = sorted(HERE.glob("*/*.cmd"))
    if args.cases:
        cases = [c for c in cases if f"{c.parent.name}/{c.stem}" in args.cases]
    failed = 0
    for case in cases:
        name = f"{case.parent.name}/{case.stem}"
        actual = run_case(case, bin_dir)
        expected_files = [case.with_suffix(s) for s in (".stdout", ".stderr", ".exit")]
        if args.update:
            for f, data in zip(expected_files, actual):
                f.write_bytes(data)
            print(f"updated {name}")
            continue
        problems = []
        for f, data in zip(expected_files, actual):
            want = f.read_bytes() if f.exists() else None
            if want is None:
                problems.append(f"{f.name}: missing (run with --update)")
            elif want != data:
                diff = difflib.unified_diff(want.decode(errors="replace").splitlines(),
                                            data.decode(errors="replace").splitlines(),
                                            f"expected {f.suffix[1:]}", f"actual {f.suffix[1:]}",
                                            lineterm="", n=2)
                problems.append("\n".join(list(diff)[:40]))
        if problems:
            failed += 1
            print(f"FAIL {name}: {case.read_text().strip()}")
            for p in problems:
                print("  " + p.replace("\n", "\n  "))
        else:
            print(f"ok   {name}")
    if not args.update:
        print(f"golden: {len(cases) - failed} of {len(cases)} cases passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
