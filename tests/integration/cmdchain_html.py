#!/usr/bin/env python3
"""cmdchain -f html in a real browser: headless Chromium renders the page.

Skipped (exit 77) when Chromium is absent. Run from the repository root:

    tests/integration/cmdchain_html.py --bin build/debug/tools

Checks:
  * the page is self-contained (no external resources) and has one script;
  * a screenshot at 1400x1000 is a valid PNG of that size (IHDR read with
    struct), and not blank: decoded with zlib, it has many distinct colours,
    among them the alert red of the stylesheet (#d1242f);
  * --dump-dom: the page's script ran (it marks <body data-cmdchain="ready">)
    and the DOM still holds every process box;
  * collapsing works: a copy of the page with a test script appended clicks the
    first process with children; its descendants (known from the data-p
    attributes in the HTML) are hidden and the drawing gets shorter; a second
    click shows them again at full height.
"""
import argparse
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "sysmon-botsv2.jsonl"
WIDTH, HEIGHT = 1400, 1000
ALERT_RED = (0xD1, 0x24, 0x2F)

# Appended to a copy of the page: click the first collapsible process twice and
# write what happened on <body>.
CLICK_TEST = """<script>
(function () {
  var g = document.querySelector("svg.tree g.node.parent");
  if (!g) { document.body.setAttribute("data-test", "no-parent"); return; }
  function hidden() {
    var n = 0;
    document.querySelectorAll("svg.tree g.node").forEach(function (x) {
      if (getComputedStyle(x).display === "none") n++;
    });
    return n;
  }
  var svg = g.ownerSVGElement;
  var h0 = Number(svg.getAttribute("height"));
  g.dispatchEvent(new MouseEvent("click", {bubbles: true}));
  var after1 = hidden();
  var h1 = Number(svg.getAttribute("height"));
  var knob = g.querySelector(".knob text").textContent;
  var cls = g.classList.contains("collapsed");
  g.dispatchEvent(new MouseEvent("click", {bubbles: true}));
  var after2 = hidden();
  var h2 = Number(svg.getAttribute("height"));
  document.body.setAttribute("data-test",
      "id=" + g.id + " hidden=" + after1 + " knob=" + (knob === "+" ? "plus" : "other") +
      " collapsed=" + cls + " shorter=" + (h1 < h0) + " shown-again=" + after2 +
      " height-again=" + (h2 === h0));
})();
</script>
"""


def find_chromium():
    for name in ("chromium", "chromium-browser"):
        p = shutil.which(name)
        if p:
            return p
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def chromium_cmd(chromium, profile, *args):
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}", *args]


def png_pixels(data):
    """(width, height, set of RGB colours) of an 8-bit RGB/RGBA PNG, or raises ValueError."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("no PNG signature")
    pos = 8
    width = height = None
    idat = []
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc, = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError(f"bad CRC in {kind!r}")
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace != 0:
                raise ValueError(f"unexpected PNG format: depth {depth} type {ctype}")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if width is None:
        raise ValueError("no IHDR")
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    if len(raw) != height * (stride + 1):
        raise ValueError("IDAT size does not match IHDR")
    colours = set()
    prev = bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 0xFF
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        elif f != 0:
            raise ValueError(f"bad filter type {f}")
        for x in range(0, stride, bpp):
            colours.add(bytes(line[x:x + 3]))
        prev = line
    return width, height, colours


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", type=Path, required=True)
    args = ap.parse_args()
    chromium = find_chromium()
    if not chromium:
        print("skip: chromium is absent")
        return 77
    cmdchain = str((args.bin / "cmdchain").resolve())
    failures = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        page = tmp / "out.html"
        with open(page, "wb") as out:
            p = subprocess.run([cmdchain, "-f", "html", str(SAMPLE)], stdout=out,
                               stderr=subprocess.PIPE, cwd=ROOT)
        check(p.returncode == 0, f"cmdchain -f html exits 0 ({p.stderr.decode()[:200].strip()})")
        html = page.read_text(encoding="utf-8", errors="replace")
        check(html.startswith("<!DOCTYPE html>"), "an HTML5 page")
        check(html.count("<script") == 1, "one script, the page's own")
        external = [s for s in ("<link", "src=", "@import", "url(", "href=\"http") if s in html]
        check(not external, f"self-contained (no {external})")
        boxes = len(re.findall(r'<g class="node[ "]', html))
        check(boxes > 0, f"{boxes} process boxes drawn")

        shot = tmp / "out.png"
        r = subprocess.run(chromium_cmd(chromium, tmp / "profile1", f"--screenshot={shot}",
                                        f"--window-size={WIDTH},{HEIGHT}", page.as_uri()),
                           capture_output=True, timeout=180)
        check(shot.is_file(), f"chromium wrote a screenshot (rc {r.returncode})")
        if shot.is_file():
            try:
                w, h, colours = png_pixels(shot.read_bytes())
                check((w, h) == (WIDTH, HEIGHT), f"the PNG is {w}x{h}")
                check(len(colours) >= 16, f"not blank: {len(colours)} distinct colours")
                red = any(abs(c[0] - ALERT_RED[0]) <= 16 and abs(c[1] - ALERT_RED[1]) <= 16 and
                          abs(c[2] - ALERT_RED[2]) <= 16 for c in colours)
                check(red, "the alert red is on screen")
            except ValueError as e:
                check(False, f"a valid PNG ({e})")

        r = subprocess.run(chromium_cmd(chromium, tmp / "profile2", "--dump-dom", page.as_uri()),
                           capture_output=True, timeout=180)
        dom = r.stdout.decode("utf-8", "replace")
        check(re.search(r'<body[^>]*data-cmdchain="ready"', dom) is not None,
              "the page's script ran (body data-cmdchain=ready)")
        dom_boxes = len(re.findall(r'<g class="node[ "]', dom))
        check(dom_boxes == boxes, f"the DOM holds every process box ({dom_boxes}/{boxes})")

        # Collapse and expand the first process with children.
        parents = dict(re.findall(r'<g class="node[^"]*" id="(n\d+)" data-p="(n\d+)"', html))
        first = re.search(r'<g class="node[^"]*\bparent\b[^"]*" id="(n\d+)"', html)
        if first:
            root = first.group(1)
            below = 0
            for node in parents:
                p = parents.get(node)
                while p is not None and p != root:
                    p = parents.get(p)
                if p == root:
                    below += 1
            test_page = tmp / "click.html"
            test_page.write_text(html.replace("</body>", CLICK_TEST + "</body>"), encoding="utf-8")
            r = subprocess.run(
                chromium_cmd(chromium, tmp / "profile3", "--dump-dom", test_page.as_uri()),
                capture_output=True, timeout=180)
            m = re.search(r'data-test="([^"]*)"', r.stdout.decode("utf-8", "replace"))
            got = m.group(1) if m else "(no result)"
            want = (f"id={root} hidden={below} knob=plus collapsed=true shorter=true "
                    "shown-again=0 height-again=true")
            check(got == want, f"a click collapses {root}'s {below} descendants and a second "
                               f"click shows them ({got})")
        else:
            check(False, "a process with children to collapse")

    print(f"cmdchain_html: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
