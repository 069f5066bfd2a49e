#!/usr/bin/env python3
"""md2man.py: turns the man pages' markdown (ronn-format subset) into roff.

The markdown in man/*.md is the source; the roff next to it is generated and
committed, so installing needs no generator (as zstd does). tests/docs checks
that the committed roff is what this script makes of the markdown.

Subset: a title line "name(section) -- description" underlined with '=',
'## SECTION', '### Subsection', paragraphs, definition items ("  * term:" then
indented lines), bullet items ("  - text"), indented (4 spaces) code blocks,
inline `code` (bold), **bold** and *italic*, and '{{include FILE}}' lines
(the options all tools share live in man/common-options.md).

Usage: md2man.py IN.md [OUT]   (OUT defaults to IN without .md)
"""
import re
import sys
from pathlib import Path


def project_version(root: Path) -> str:
    text = (root / "CMakeLists.txt").read_text()
    m = re.search(r"project\(\S+\s+VERSION\s+([0-9.]+)", text)
    return m.group(1) if m else "0"


def escape(text: str) -> str:
    text = text.replace("\\", "\\e")
    text = text.replace("-", "\\-")
    # Non-ASCII as groff glyph escapes, so pages render without preconv.
    return "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in text)


def inline(text: str) -> str:
    out = []
    pos = 0
    pattern = re.compile(r"`([^`]*)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*")
    for m in pattern.finditer(text):
        out.append(escape(text[pos:m.start()]))
        if m.group(1) is not None:
            out.append("\\fB" + escape(m.group(1)) + "\\fR")
        elif m.group(2) is not None:
            out.append("\\fB" + escape(m.group(2)) + "\\fR")
        else:
            out.append("\\fI" + escape(m.group(3)) + "\\fR")
        pos = m.end()
    out.append(escape(text[pos:]))
    line = "".join(out)
    if line.startswith(".") or line.startswith("'"):
        line = "\\&" + line
    return line


def expand_includes(md: str, base: Path) -> str:
    """'{{include FILE}}' lines are replaced by FILE (relative to the page)."""
    def repl(m):
        return (base / m.group(1)).read_text().rstrip("\n")
    return re.sub(r"^\{\{include ([^}]+)\}\}$", repl, md, flags=re.M)


def convert(md: str, version: str) -> str:
    lines = md.splitlines()
    out = []
    i = 0
    m = re.match(r"^(\S+)\((\d)\)\s+--\s+(.*)$", lines[0]) if lines else None
    if not m or len(lines) < 2 or not set(lines[1]) <= {"="}:
        raise SystemExit("md2man: first lines must be 'name(N) -- description' and '===='")
    name, section, desc = m.groups()
    out.append('.TH "%s" "%s" "" "ioc-toolkit %s" "ioc-toolkit manual"' % (name.upper(), section, version))
    out.append(".SH NAME")
    out.append("%s \\- %s" % (escape(name), inline(desc)))
    i = 2
    para = []

    def flush():
        if para:
            out.append(".PP")
            out.extend(inline(p) for p in para)
            para.clear()

    while i < len(lines):
        line = lines[i]
        if not line.strip():
            flush()
            i += 1
            continue
        if line.startswith("## "):
            flush()
            out.append(".SH " + inline(line[3:].strip()))
            i += 1
            continue
        if line.startswith("### "):
            flush()
            out.append(".SS " + inline(line[4:].strip()))
            i += 1
            continue
        if line.startswith("    ") and not para:
            flush()
            block = []
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                block.append(lines[i][4:])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            out.append(".PP")
            out.append(".RS 4")
            out.append(".nf")
            for b in block:
                b = escape(b)
                if b.startswith(".") or b.startswith("'"):
                    b = "\\&" + b
                out.append(b)
            out.append(".fi")
            out.append(".RE")
            continue
        dm = re.match(r"^  \* (.*?):?$", line)
        if dm and line.rstrip().endswith(":"):
            flush()
            out.append(".TP")
            out.append(inline(dm.group(1)))
            i += 1
            while i < len(lines) and lines[i].startswith("    ") and lines[i].strip():
                out.append(inline(lines[i].strip()))
                i += 1
            continue
        bm = re.match(r"^  [-*] (.*)$", line)
        if bm:
            flush()
            out.append(".IP \\(bu 2")
            out.append(inline(bm.group(1)))
            i += 1
            while i < len(lines) and lines[i].startswith("    ") and lines[i].strip():
                out.append(inline(lines[i].strip()))
                i += 1
            continue
        para.append(line.strip())
        i += 1
    flush()
    return "\n".join(out) + "\n"


def main() -> None:
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    src = Path(sys.argv[1])
    dst = Path(sys.argv[2]) if len(sys.argv) == 3 else src.with_suffix("")
    root = Path(__file__).resolve().parent.parent
    md = expand_includes(src.read_text(), src.parent)
    dst.write_text(convert(md, project_version(root)))


if __name__ == "__main__":
    main()
