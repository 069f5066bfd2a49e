#!/usr/bin/env python3
"""Documentation checks: the man pages cannot drift from the tools.

1. Every long option a tool's --help prints appears in its man page.
2. The committed roff (man/*.1, man/ioc-recipes.7) is what scripts/md2man.py
   makes of the committed markdown.
3. man/ioc-recipes.7.md is what ioc-gen-docs writes from the operation registry,
   and it names every operation --list-operations prints.
4. groff renders every page without warnings (skipped when groff is absent).

    tests/docs/check_docs.py --bin build/debug/tools
"""
import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("psdecode", "iocgrep", "certsum", "cmdchain")


def load_md2man():
    spec = importlib.util.spec_from_file_location("md2man", ROOT / "scripts" / "md2man.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def find_tool(bin_dir: Path, name: str) -> Path:
    p = bin_dir / name
    if p.is_file():
        return p
    raise SystemExit(f"check_docs: {name} not found under {bin_dir}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, type=Path)
    args = ap.parse_args()
    md2man = load_md2man()
    version = md2man.project_version(ROOT)
    failures = []

    for tool in TOOLS:
        exe = find_tool(args.bin, tool)
        help_text = subprocess.run([exe, "--help"], capture_output=True, text=True, check=True).stdout
        options = sorted(set(re.findall(r"--[a-z][a-z0-9-]*", help_text)))
        md = md2man.expand_includes((ROOT / "man" / f"{tool}.1.md").read_text(), ROOT / "man")
        roff = (ROOT / "man" / f"{tool}.1").read_text()
        for opt in options:
            if f"`{opt}`" not in md and f"`{opt}" not in md:
                failures.append(f"{tool}: option {opt} is in --help but not in man/{tool}.1.md")
            if opt.replace("-", "\\-") not in roff:
                failures.append(f"{tool}: option {opt} is in --help but not in man/{tool}.1")
        print(f"{tool}: {len(options)} long options checked against its man page")

    for md_path in sorted((ROOT / "man").glob("*.[0-9].md")):
        roff_path = md_path.with_suffix("")
        md = md2man.expand_includes(md_path.read_text(), md_path.parent)
        want = md2man.convert(md, version)
        if not roff_path.exists() or roff_path.read_text() != want:
            failures.append(f"{roff_path.relative_to(ROOT)} is not what scripts/md2man.py makes of "
                            f"{md_path.relative_to(ROOT)}: run scripts/make-docs")

    gen = args.bin / "ioc-gen-docs" if (args.bin / "ioc-gen-docs").exists() else None
    if gen is None:
        failures.append("ioc-gen-docs not built")
    else:
        generated = subprocess.run([gen], capture_output=True, text=True, check=True).stdout
        committed = (ROOT / "man" / "ioc-recipes.7.md").read_text()
        if generated != committed:
            failures.append("man/ioc-recipes.7.md differs from ioc-gen-docs output: run scripts/make-docs")
        listed = subprocess.run([find_tool(args.bin, "psdecode"), "--list-operations"],
                                capture_output=True, text=True, check=True).stdout
        ops = [line.split()[0] for line in listed.splitlines() if line.strip()]
        for op in ops:
            if f"### {op}\n" not in committed:
                failures.append(f"operation {op} is missing from man/ioc-recipes.7.md")
        print(f"ioc-recipes(7): {len(ops)} operations checked")

    if shutil.which("groff"):
        for page in sorted((ROOT / "man").glob("*.[0-9]")):
            p = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", str(page)],
                               capture_output=True, text=True)
            if p.returncode != 0 or p.stderr.strip():
                failures.append(f"groff warns about {page.name}: {p.stderr.strip()[:300]}")
        print("groff: pages render without warnings" if not failures else "groff: checked")
    else:
        print("groff not installed: rendering check skipped")

    for f in failures:
        print("FAIL " + f)
    print(f"docs: {'ok' if not failures else str(len(failures)) + ' problem(s)'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
