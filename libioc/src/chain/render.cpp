// Process-tree pictures (render.hpp): Graphviz DOT, Mermaid, Sankey CSV and a
// self-contained HTML page with inline SVG.
//
// All four walk the same drawn forest (drawn_nodes): per host, the roots and
// their subtrees in pre-order, keeping the nodes with keep[i] != 0; a kept node
// whose parent is not kept starts a tree of its own. Event text is cleaned once
// (valid UTF-8, no control or bidi-override characters) and then escaped for
// the target language; the HTML page's script is a constant and never holds
// event text.
#include "ioc/chain/render.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string_view>
#include <utility>

#include "ioc/io/writer.hpp"

namespace ioc::chain {
namespace {

// Label lines are cut to this many characters unless `wide`.
constexpr std::size_t kLabelChars = 80;
// At most this many alert lines per label; the rest are counted.
constexpr std::size_t kLabelAlerts = 3;
// HTML: nodes drawn per host, rows per host in the details table, characters of
// a command line in a tooltip and in a table cell.
constexpr std::size_t kMaxDrawnPerHost = 5000;
constexpr std::size_t kMaxRowsPerHost = 50000;
constexpr std::size_t kMaxTooltipChars = 2000;
constexpr std::size_t kMaxCellChars = 8192;

// ---------------------------------------------------------------------------
// Text: UTF-8 cleaning, cutting.

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 when ill-formed.
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::uint32_t& cp) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  std::size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1Fu;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0Fu;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07u;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const unsigned char x = b(k);
    if (x < (k == 1 ? lo : 0x80) || x > (k == 1 ? hi : 0xBF)) return 0;
    cp = (cp << 6) | (x & 0x3Fu);
  }
  return n;
}

// Valid UTF-8 (ill-formed bytes become U+FFFD); with `display`, also CR LF and
// CR become LF, tab a space, and other C0 controls, DEL, U+FFFE/U+FFFF and the
// bidirectional embedding/override/isolate controls (which could make a label
// read differently from what ran) U+FFFD, so the text is also valid XML 1.0.
std::string clean(std::string_view s, bool display = true) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::uint32_t cp = 0;
    const std::size_t n = utf8_sequence(s, i, cp);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (display) {
      if (cp == '\r') {
        out += '\n';
        i += (i + 1 < s.size() && s[i + 1] == '\n') ? 2 : 1;
        continue;
      }
      if (cp == '\t') {
        out += ' ';
        ++i;
        continue;
      }
      const bool control = (cp < 0x20 && cp != '\n') || cp == 0x7F;
      const bool bidi = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
      if (control || bidi || cp == 0xFFFE || cp == 0xFFFF) {
        out += kReplacement;
        i += n;
        continue;
      }
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

// Code points in valid UTF-8.
std::size_t chars(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// Byte offset of the code point number `count` of valid UTF-8.
std::size_t offset_of_char(std::string_view s, std::size_t count) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == count) return i;
      ++n;
    }
  }
  return s.size();
}

// Valid UTF-8 cut to `max` characters, the last three of them "..." when cut.
std::string cut(std::string_view s, std::size_t max) {
  if (chars(s) <= max) return std::string(s);
  return std::string(s.substr(0, offset_of_char(s, max > 3 ? max - 3 : 0))) + "...";
}

// ---------------------------------------------------------------------------
// What is drawn, and the labels.

struct Drawn {
  std::size_t node;
  std::size_t parent;  ///< the drawn parent, kNone for the top of a drawn tree
  std::size_t depth;   ///< below the top of its drawn tree
};

bool kept(const RenderInput& in, std::size_t i) {
  if (in.keep.empty()) return true;
  return i < in.keep.size() && in.keep[i] != 0;
}

const std::vector<NodeAlert>& alerts_of(const RenderInput& in, std::size_t i) {
  static const std::vector<NodeAlert> none;
  return i < in.alerts.size() ? in.alerts[i] : none;
}

std::string_view decoded_of(const RenderInput& in, std::size_t i) {
  return i < in.decoded.size() ? std::string_view(in.decoded[i]) : std::string_view();
}

// The kept nodes of one host in pre-order (roots by time, children in node
// order). An edge is drawn from a kept node to a kept child only; a kept node
// under a node that is not kept starts a drawn tree. `seen` guards against a
// node being walked twice.
std::vector<Drawn> drawn_nodes(const RenderInput& in, const std::string& host,
                               std::vector<char>& seen) {
  std::vector<Drawn> out;
  const Forest& f = in.forest;
  std::vector<Drawn> stack;
  for (std::size_t root : f.roots(host)) {
    stack.push_back({root, kNone, 0});
    while (!stack.empty()) {
      const Drawn d = stack.back();
      stack.pop_back();
      if (d.node >= f.nodes().size() || seen[d.node]) continue;
      seen[d.node] = 1;
      const bool k = kept(in, d.node);
      if (k) out.push_back(d);
      const auto& children = f.node(d.node).children;
      for (auto it = children.rbegin(); it != children.rend(); ++it)
        stack.push_back(k ? Drawn{*it, d.node, d.depth + 1} : Drawn{*it, kNone, 0});
    }
  }
  return out;
}

enum class LineKind { kName, kUser, kCommand, kDecoded, kAlert };

struct Line {
  LineKind kind;
  std::string text;  ///< cleaned, cut unless wide
};

std::string name_line(const Node& n) {
  const auto& e = n.event;
  std::string s = e.image.empty() ? "?" : std::string(image_name(e.image));
  if (e.pid != 0) s += " [" + std::to_string(e.pid) + "]";
  if (n.synthesized) s += " (not logged)";
  return s;
}

std::string alert_text(const NodeAlert& a) {
  std::string s = "alert: " + (a.title.empty() ? a.rule_id : a.title);
  if (!a.level.empty()) s += " (" + a.level + ")";
  return s;
}

// image [pid] (not logged) / user / command line / decoded: hint / alert: title (level)...
std::vector<Line> label_lines(const RenderInput& in, std::size_t i, bool wide) {
  const Node& n = in.forest.node(i);
  const auto& e = n.event;
  const auto fit = [&](std::string_view s) {
    std::string c = clean(s);
    return wide ? c : cut(c, kLabelChars);
  };
  std::vector<Line> lines;
  lines.push_back({LineKind::kName, fit(name_line(n))});
  if (!e.user.empty()) lines.push_back({LineKind::kUser, fit(e.user)});
  if (!e.command_line.empty()) lines.push_back({LineKind::kCommand, fit(e.command_line)});
  const std::string_view hint = decoded_of(in, i);
  if (!hint.empty()) lines.push_back({LineKind::kDecoded, fit("decoded: " + std::string(hint))});
  const auto& alerts = alerts_of(in, i);
  for (std::size_t k = 0; k < alerts.size() && k < kLabelAlerts; ++k)
    lines.push_back({LineKind::kAlert, fit(alert_text(alerts[k]))});
  if (alerts.size() > kLabelAlerts)
    lines.push_back(
        {LineKind::kAlert, "(+" + std::to_string(alerts.size() - kLabelAlerts) + " more alerts)"});
  return lines;
}

// ---------------------------------------------------------------------------
// DOT

// Inside a DOT double-quoted string: \ and " escaped, a newline as \n.
void append_dot(std::string& out, std::string_view cleaned) {
  for (char c : cleaned) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
}

// ---------------------------------------------------------------------------
// Mermaid

// Inside a Mermaid "..." label: the characters Mermaid's parser or its HTML
// labels would take as syntax become entity codes (#quot; #35; ...); a newline
// is a <br/>.
void append_mermaid(std::string& out, std::string_view cleaned) {
  for (char c : cleaned) {
    switch (c) {
      case '"': out += "#quot;"; break;
      case '&': out += "#amp;"; break;
      case '<': out += "#lt;"; break;
      case '>': out += "#gt;"; break;
      case '#': out += "#35;"; break;
      case '`': out += "#96;"; break;
      case '|': out += "#124;"; break;
      case '[': out += "#91;"; break;
      case ']': out += "#93;"; break;
      case '{': out += "#123;"; break;
      case '}': out += "#125;"; break;
      case '(': out += "#40;"; break;
      case ')': out += "#41;"; break;
      case ';': out += "#59;"; break;
      case '\n': out += "<br/>"; break;
      default: out += c;
    }
  }
}

// ---------------------------------------------------------------------------
// HTML / SVG

// Text or attribute value in HTML and XML: & < > " ' escaped.
void append_html(std::string& out, std::string_view cleaned) {
  for (char c : cleaned) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

std::string html(std::string_view raw) {
  std::string out;
  append_html(out, clean(raw));
  return out;
}

// A long text for a table cell or a tooltip: cut at `max` characters, saying
// how many were left out.
std::string html_long(std::string_view raw, std::size_t max) {
  const std::string c = clean(raw);
  const std::size_t n = chars(c);
  std::string out;
  if (n <= max) {
    append_html(out, c);
  } else {
    append_html(out, std::string_view(c).substr(0, offset_of_char(c, max)));
    out += "\xE2\x80\xA6 (" + std::to_string(n - max) + " more characters)";
  }
  return out;
}

// Layout, in pixels (integers, so the output is the same everywhere).
constexpr int kMargin = 16;
constexpr int kIndent = 44;      // column width: x = depth * kIndent
constexpr int kLineHeight = 15;  // one label line (font-size 12px)
constexpr int kPadX = 8;
constexpr int kPadY = 6;
constexpr int kRowGap = 10;  // also GAP in kScript
constexpr int kKnob = 18;    // room for the collapse knob of a node with children
constexpr int kElbowX = 14;

// Width of `n` monospace characters at 12px (about 0.6em each, a little more).
int text_width(std::size_t n) {
  return static_cast<int>((std::min<std::size_t>(n, 100000) * 73 + 9) / 10);
}

const char* kCss = R"CSS(
:root { color-scheme: light; }
body { margin: 0; padding: 0 24px 40px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1f2328; background: #f6f8fa; }
header { padding: 18px 0 6px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 8px; }
.summary { color: #57606a; margin: 0; }
.legend, .host { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 12px 16px; margin: 14px 0; }
.legend h2 { font-size: 15px; }
.keys { display: flex; gap: 18px; flex-wrap: wrap; align-items: center; margin: 0 0 6px; }
.keys span { display: inline-flex; align-items: center; gap: 6px; }
.sw { display: inline-block; width: 26px; height: 14px; border: 1.5px solid #57606a; border-radius: 3px; background: #fff; }
.sw.alert { border: 2.5px solid #d1242f; background: #ffebe9; }
.sw.synth { border-style: dashed; background: #f6f8fa; }
.alerts { margin: 6px 0 0; padding-left: 20px; }
.alerts li { margin: 2px 0; }
.lvl { display: inline-block; min-width: 68px; font-size: 12px; font-weight: 600; text-transform: uppercase; color: #fff; background: #6e7781; border-radius: 4px; padding: 0 6px; text-align: center; }
.lvl.high, .lvl.critical { background: #d1242f; }
.lvl.medium { background: #bc4c00; }
.lvl.low { background: #9a6700; }
.note { color: #9a6700; margin: 4px 0 8px; }
.hint { color: #57606a; font-size: 12px; margin: 0 0 6px; }
.canvas { overflow: auto; max-height: 80vh; border: 1px solid #d8dee4; border-radius: 6px; background: #fbfcfd; }
svg.tree { display: block; }
svg.tree text { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; white-space: pre; fill: #1f2328; }
svg.tree .edge { fill: none; stroke: #8c959f; stroke-width: 1.4; pointer-events: none; }
svg.tree .box { fill: #fff; stroke: #57606a; stroke-width: 1.2; }
svg.tree .name { font-weight: 700; }
svg.tree .user { fill: #57606a; }
svg.tree .decoded { fill: #8250df; }
svg.tree .alert .box { fill: #ffebe9; stroke: #d1242f; stroke-width: 2.5; }
svg.tree .alert .name, svg.tree .alerttext { fill: #d1242f; font-weight: 700; }
svg.tree .synth .box { stroke-dasharray: 5 4; fill: #f6f8fa; }
svg.tree .synth .name { fill: #57606a; }
svg.tree .parent { cursor: pointer; }
svg.tree .parent:hover .box, svg.tree .parent:focus .box { stroke-width: 2.5; }
svg.tree .knob circle { fill: #eaeef2; stroke: #57606a; }
svg.tree .knob text { text-anchor: middle; font-weight: 700; }
svg.tree .collapsed .knob circle { fill: #0969da; stroke: #0969da; }
svg.tree .collapsed .knob text { fill: #fff; }
.tablewrap { overflow-x: auto; margin-top: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { border: 1px solid #d8dee4; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; position: sticky; top: 0; }
td.cmd, td.dec { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; white-space: pre-wrap; word-break: break-all; }
th.cmd { width: 42%; }
th.dec { width: 14%; }
td.t { white-space: nowrap; }
td.img { word-break: break-all; min-width: 10em; }
td.cmd div { max-height: 7.5em; overflow: auto; }
td.num { text-align: right; }
tr.alert td { background: #ffebe9; }
tr.alert td.al { color: #d1242f; font-weight: 600; }
tr.synth td { color: #57606a; font-style: italic; }
)CSS";

// Collapse/expand: a click (or Enter/Space) on a node with children hides or
// shows its descendants (their boxes and incoming edges) and moves the boxes
// below up over the hidden rows. It reads only the ids, data-p attributes and
// coordinates the renderer wrote; no event text is in here.
const char* kScript = R"JS(
(function () {
  "use strict";
  var GAP = 10;  // kRowGap
  var kids = {};
  var nodes = document.querySelectorAll("svg.tree g.node");
  Array.prototype.forEach.call(nodes, function (g) {
    var p = g.getAttribute("data-p");
    if (p) (kids[p] = kids[p] || []).push(g);
  });
  function setShown(id, shown) {
    var stack = (kids[id] || []).slice();
    while (stack.length) {
      var g = stack.pop();
      g.style.display = shown ? "" : "none";
      if (shown && g.classList.contains("collapsed")) continue;
      Array.prototype.push.apply(stack, kids[g.id] || []);
    }
  }
  // Moves the shown boxes up over the hidden rows and redraws their elbows.
  function relayout(svg) {
    var shift = 0, bottom = {};
    Array.prototype.forEach.call(svg.querySelectorAll("g.node"), function (g) {
      var r = g.querySelector("rect.box");
      var y = Number(r.getAttribute("y")), h = Number(r.getAttribute("height"));
      if (g.style.display === "none") { shift += h + GAP; return; }
      if (shift) g.setAttribute("transform", "translate(0," + (-shift) + ")");
      else g.removeAttribute("transform");
      bottom[g.id] = y - shift + h;
      var e = g.querySelector("path.edge");
      var p = g.getAttribute("data-p");
      if (e && p in bottom) {
        if (!e.elbow) e.elbow = e.getAttribute("d").match(/-?\d+/g).map(Number);
        var d = e.elbow;
        e.setAttribute("d", "M" + d[0] + " " + (bottom[p] + shift) + "V" + d[2] + "H" + d[3]);
      }
    });
    if (!svg.fullHeight) svg.fullHeight = Number(svg.getAttribute("height"));
    var h = svg.fullHeight - shift;
    svg.setAttribute("height", h);
    svg.setAttribute("viewBox", "0 0 " + svg.getAttribute("width") + " " + h);
  }
  function toggle(g) {
    if (!kids[g.id]) return;
    var collapsed = g.classList.toggle("collapsed");
    var knob = g.querySelector(".knob text");
    if (knob) knob.textContent = collapsed ? "+" : "\u2212";
    g.setAttribute("aria-expanded", collapsed ? "false" : "true");
    setShown(g.id, !collapsed);
    relayout(g.ownerSVGElement);
  }
  document.addEventListener("click", function (ev) {
    var g = ev.target.closest ? ev.target.closest("svg.tree g.node") : null;
    if (g) toggle(g);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" && ev.key !== " ") return;
    var g = document.activeElement;
    if (g && g.classList && g.classList.contains("node")) {
      ev.preventDefault();
      toggle(g);
    }
  });
  document.body.setAttribute("data-cmdchain", "ready");
})();
)JS";

struct AlertKey {
  std::string title;
  std::string level;
  std::size_t nodes = 0;
};

// The SVG drawing of one host's drawn nodes (the first `count`).
void append_svg(std::string& out, const RenderInput& in, const std::vector<Drawn>& drawn,
                std::size_t count) {
  const Forest& f = in.forest;
  // Per node: lines, box size; per host: one row height.
  std::vector<std::vector<Line>> lines(count);
  std::vector<int> widths(count);
  std::vector<char> has_kids(count, 0);
  std::map<std::size_t, std::size_t> row_of;  // node -> row
  for (std::size_t r = 0; r < count; ++r) row_of[drawn[r].node] = r;
  for (std::size_t r = 0; r < count; ++r) {
    const auto p = row_of.find(drawn[r].parent);
    if (drawn[r].parent != kNone && p != row_of.end()) has_kids[p->second] = 1;
  }
  int width = 0;
  for (std::size_t r = 0; r < count; ++r) {
    // The picture always cuts at 80 characters: the table and the tooltip hold
    // the whole command line.
    lines[r] = label_lines(in, drawn[r].node, false);
    std::size_t longest = 0;
    for (auto& l : lines[r]) {
      std::replace(l.text.begin(), l.text.end(), '\n', ' ');
      longest = std::max(longest, chars(l.text));
    }
    widths[r] = text_width(longest) + 2 * kPadX + (has_kids[r] ? kKnob : 0);
    const int x =
        kMargin + static_cast<int>(std::min<std::size_t>(drawn[r].depth, 10000)) * kIndent;
    width = std::max(width, x + widths[r] + kMargin);
  }
  // Rows in pre-order, each as tall as its box.
  std::vector<int> top(count + 1, kMargin);
  const auto box_h = [&](std::size_t r) {
    return static_cast<int>(lines[r].size()) * kLineHeight + 2 * kPadY;
  };
  for (std::size_t r = 0; r < count; ++r) top[r + 1] = top[r] + box_h(r) + kRowGap;
  const int height = count == 0 ? 2 * kMargin : top[count] - kRowGap + kMargin;
  const auto sx = [](int v) { return std::to_string(v); };

  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tree\" width=\"" + sx(width) +
         "\" height=\"" + sx(height) + "\" viewBox=\"0 0 " + sx(width) + " " + sx(height) +
         "\" role=\"img\">\n";
  for (std::size_t r = 0; r < count; ++r) {
    const std::size_t i = drawn[r].node;
    const Node& n = f.node(i);
    const bool alert = !alerts_of(in, i).empty();
    const int x =
        kMargin + static_cast<int>(std::min<std::size_t>(drawn[r].depth, 10000)) * kIndent;
    const int y = top[r];
    const int h = box_h(r);
    std::string cls = "node";
    if (alert) cls += " alert";
    if (n.synthesized) cls += " synth";
    if (has_kids[r]) cls += " parent";
    out += "<g class=\"" + cls + "\" id=\"n" + std::to_string(i) + "\"";
    const auto p = row_of.find(drawn[r].parent);
    if (drawn[r].parent != kNone && p != row_of.end())
      out += " data-p=\"n" + std::to_string(drawn[r].parent) + "\"";
    if (has_kids[r]) out += " tabindex=\"0\" aria-expanded=\"true\"";
    out += ">";
    // Tooltip: time, the whole command line, the decoded hint, every alert.
    out += "<title>";
    std::string tip = n.event.time.empty() ? std::string("-") : n.event.time;
    tip += "  " + name_line(n);
    if (!n.event.user.empty()) tip += "  " + n.event.user;
    out += html(tip);
    if (!n.event.command_line.empty())
      out += "\n" + html_long(n.event.command_line, kMaxTooltipChars);
    if (!decoded_of(in, i).empty()) out += "\ndecoded: " + html(decoded_of(in, i));
    for (const auto& a : alerts_of(in, i)) out += "\n" + html(alert_text(a));
    out += "</title>";
    if (p != row_of.end() && drawn[r].parent != kNone) {
      // Elbow from below the parent's box to the middle of this one's left side.
      const std::size_t pr = p->second;
      const int px = kMargin +
                     static_cast<int>(std::min<std::size_t>(drawn[pr].depth, 10000)) * kIndent +
                     kElbowX;
      const int py = top[pr] + box_h(pr);
      out += "<path class=\"edge\" d=\"M" + sx(px) + " " + sx(py) + "V" + sx(y + h / 2) + "H" +
             sx(x) + "\"/>";
    }
    out += "<rect class=\"box\" x=\"" + sx(x) + "\" y=\"" + sx(y) + "\" width=\"" + sx(widths[r]) +
           "\" height=\"" + sx(h) + "\" rx=\"5\"/>";
    for (std::size_t k = 0; k < lines[r].size(); ++k) {
      const Line& l = lines[r][k];
      const char* lc = "cmd";
      switch (l.kind) {
        case LineKind::kName: lc = "name"; break;
        case LineKind::kUser: lc = "user"; break;
        case LineKind::kCommand: lc = "cmd"; break;
        case LineKind::kDecoded: lc = "decoded"; break;
        case LineKind::kAlert: lc = "alerttext"; break;
      }
      const int ty = y + kPadY + static_cast<int>(k) * kLineHeight + 11;
      out += "<text class=\"" + std::string(lc) + "\" x=\"" + sx(x + kPadX) + "\" y=\"" + sx(ty) +
             "\">";
      append_html(out, l.text);
      out += "</text>";
    }
    if (has_kids[r]) {
      const int cx = x + widths[r] - kKnob / 2 - 2;
      const int cy = y + kPadY + 6;
      out += "<g class=\"knob\"><circle cx=\"" + sx(cx) + "\" cy=\"" + sx(cy) +
             "\" r=\"7\"/><text x=\"" + sx(cx) + "\" y=\"" + sx(cy + 4) +
             "\">\xE2\x88\x92</text></g>";
    }
    out += "</g>\n";
  }
  out += "</svg>";
}

void append_table(std::string& out, const RenderInput& in, const std::vector<Drawn>& drawn,
                  std::size_t count) {
  out +=
      "<div "
      "class=\"tablewrap\"><table>\n<thead><tr><th>time</th><th>host</th><th>image</th><th>pid</"
      "th><th>user</th>"
      "<th>integrity</th><th class=\"cmd\">command line</th><th class=\"dec\">decoded</th>"
      "<th>alerts</th></tr></thead>\n"
      "<tbody>\n";
  for (std::size_t r = 0; r < count; ++r) {
    const std::size_t i = drawn[r].node;
    const Node& n = in.forest.node(i);
    const auto& e = n.event;
    const auto& alerts = alerts_of(in, i);
    out += "<tr id=\"row-n" + std::to_string(i) + "\"";
    if (!alerts.empty())
      out += " class=\"alert\"";
    else if (n.synthesized)
      out += " class=\"synth\"";
    out += "><td class=\"t\">" + (e.time.empty() ? std::string("-") : html(e.time)) + "</td>";
    out += "<td>" + html(e.host) + "</td>";
    out += "<td class=\"img\">" + html(e.image.empty() ? std::string("?") : e.image) +
           (n.synthesized ? " (not logged)" : "") + "</td>";
    out += "<td class=\"num\">" + (e.pid ? std::to_string(e.pid) : std::string()) + "</td>";
    out += "<td>" + html(e.user) + "</td>";
    out += "<td>" + html(e.integrity_level) + "</td>";
    out += "<td class=\"cmd\"><div>" + html_long(e.command_line, kMaxCellChars) + "</div></td>";
    out += "<td class=\"dec\">" + html(decoded_of(in, i)) + "</td>";
    out += "<td class=\"al\">";
    for (std::size_t k = 0; k < alerts.size(); ++k) {
      if (k) out += "<br>";
      out += html(alerts[k].title.empty() ? alerts[k].rule_id : alerts[k].title);
      if (!alerts[k].level.empty()) out += " (" + html(alerts[k].level) + ")";
    }
    out += "</td></tr>\n";
  }
  out += "</tbody>\n</table></div>\n";
}

std::string level_class(std::string_view level) {
  for (std::string_view l : {"informational", "low", "medium", "high", "critical"})
    if (level == l) return std::string(l);
  return "other";
}

}  // namespace

std::string render_dot(const RenderInput& in) {
  std::string out =
      "digraph cmdchain {\n"
      "  rankdir=LR;\n"
      "  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n"
      "  edge [color=\"#555555\"];\n";
  std::vector<char> seen(in.forest.nodes().size(), 0);
  std::size_t cluster = 0;
  for (const std::string& host : in.forest.hosts()) {
    const std::vector<Drawn> drawn = drawn_nodes(in, host, seen);
    if (drawn.empty()) continue;
    out += "  subgraph cluster_" + std::to_string(cluster++) + " {\n    label=\"";
    append_dot(out, clean(host));
    out += "\";\n    style=rounded;\n    color=\"#888888\";\n";
    for (const Drawn& d : drawn) {
      const Node& n = in.forest.node(d.node);
      out += "    n" + std::to_string(d.node) + " [label=\"";
      const std::vector<Line> lines = label_lines(in, d.node, in.wide);
      for (std::size_t k = 0; k < lines.size(); ++k) {
        if (k) out += "\\n";
        append_dot(out, lines[k].text);
      }
      out += "\"";
      const bool alert = !alerts_of(in, d.node).empty();
      if (alert)
        out += ", color=\"#cc0000\", fontcolor=\"#cc0000\", fillcolor=\"#ffecec\", penwidth=2";
      if (alert || n.synthesized) {
        out += ", style=\"rounded";
        if (alert) out += ",filled,bold";
        if (n.synthesized) out += ",dashed";
        out += "\"";
      }
      out += "];\n";
    }
    for (const Drawn& d : drawn)
      if (d.parent != kNone)
        out += "    n" + std::to_string(d.parent) + " -> n" + std::to_string(d.node) + ";\n";
    out += "  }\n";
  }
  out += "}\n";
  return out;
}

std::string render_mermaid(const RenderInput& in) {
  std::string out = "flowchart LR\n";
  std::vector<char> seen(in.forest.nodes().size(), 0);
  std::string alert_ids;
  std::string synth_ids;
  std::size_t sub = 0;
  for (const std::string& host : in.forest.hosts()) {
    const std::vector<Drawn> drawn = drawn_nodes(in, host, seen);
    if (drawn.empty()) continue;
    out += "  subgraph h" + std::to_string(sub++) + "[\"";
    append_mermaid(out, clean(host));
    out += "\"]\n";
    for (const Drawn& d : drawn) {
      const std::string id = "n" + std::to_string(d.node);
      out += "    " + id + "[\"";
      const std::vector<Line> lines = label_lines(in, d.node, in.wide);
      for (std::size_t k = 0; k < lines.size(); ++k) {
        if (k) out += "<br/>";
        append_mermaid(out, lines[k].text);
      }
      out += "\"]\n";
      if (!alerts_of(in, d.node).empty()) alert_ids += (alert_ids.empty() ? "" : ",") + id;
      if (in.forest.node(d.node).synthesized) synth_ids += (synth_ids.empty() ? "" : ",") + id;
    }
    for (const Drawn& d : drawn)
      if (d.parent != kNone)
        out += "    n" + std::to_string(d.parent) + " --> n" + std::to_string(d.node) + "\n";
    out += "  end\n";
  }
  if (!alert_ids.empty()) {
    out += "  classDef alert fill:#ffecec,stroke:#cc0000,stroke-width:3px,color:#cc0000\n";
    out += "  class " + alert_ids + " alert\n";
  }
  if (!synth_ids.empty()) {
    out += "  classDef synth stroke-dasharray:5 5\n";
    out += "  class " + synth_ids + " synth\n";
  }
  return out;
}

std::string render_sankey(const RenderInput& in) {
  const auto name = [&](std::size_t i) {
    const auto& e = in.forest.node(i).event;
    const std::string& s = !e.command_line.empty() ? e.command_line : e.image;
    return s.empty() ? std::string("?") : clean(s, false);
  };
  std::vector<std::pair<std::pair<std::string, std::string>, std::size_t>> rows;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  std::vector<char> seen(in.forest.nodes().size(), 0);
  for (const std::string& host : in.forest.hosts()) {
    for (const Drawn& d : drawn_nodes(in, host, seen)) {
      if (d.parent == kNone) continue;
      auto key = std::make_pair(name(d.parent), name(d.node));
      const auto [it, added] = index.emplace(key, rows.size());
      if (added)
        rows.emplace_back(std::move(key), 1);
      else
        ++rows[it->second].second;
    }
  }
  std::string out = "parent,child,count\n";
  for (const auto& row : rows) {
    io::append_csv_cell(out, row.first.first);
    out += ',';
    io::append_csv_cell(out, row.first.second);
    out += ',' + std::to_string(row.second) + '\n';
  }
  return out;
}

std::string render_html(const RenderInput& in) {
  const Forest& f = in.forest;
  std::vector<char> seen(f.nodes().size(), 0);
  struct HostDrawing {
    std::string host;
    std::vector<Drawn> drawn;
  };
  std::vector<HostDrawing> hosts;
  std::size_t total = 0;
  std::size_t alerted = 0;
  std::vector<AlertKey> keys;  // in order of first appearance
  std::map<std::pair<std::string, std::string>, std::size_t> key_index;
  for (const std::string& host : f.hosts()) {
    std::vector<Drawn> drawn = drawn_nodes(in, host, seen);
    if (drawn.empty()) continue;
    total += drawn.size();
    for (const Drawn& d : drawn) {
      const auto& alerts = alerts_of(in, d.node);
      if (!alerts.empty()) ++alerted;
      std::vector<std::pair<std::string, std::string>> mine;
      for (const auto& a : alerts) {
        auto k = std::make_pair(a.title.empty() ? a.rule_id : a.title, a.level);
        if (std::find(mine.begin(), mine.end(), k) != mine.end()) continue;
        mine.push_back(k);
        const auto [it, added] = key_index.emplace(k, keys.size());
        if (added) keys.push_back({k.first, k.second, 0});
        ++keys[it->second].nodes;
      }
    }
    hosts.push_back({host, std::move(drawn)});
  }

  std::string out;
  out.reserve(4096 + total * 1024);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n";
  out += "<title>" + html(in.title) + "</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n";
  out += "<header><h1>" + html(in.title) + "</h1>\n<p class=\"summary\">";
  out += std::to_string(total) + " process" + (total == 1 ? "" : "es") + " on " +
         std::to_string(hosts.size()) + " host" + (hosts.size() == 1 ? "" : "s") + ", " +
         std::to_string(alerted) + " with alerts.";
  out += "</p></header>\n";

  out += "<section class=\"legend\">\n<h2>Legend</h2>\n<p class=\"keys\">";
  out += "<span><i class=\"sw\"></i>process</span>";
  out += "<span><i class=\"sw alert\"></i>process with alerts</span>";
  out += "<span><i class=\"sw synth\"></i>parent named by its children, not logged itself</span>";
  out +=
      "</p>\n<p class=\"hint\">Click a process with children (or focus it and press Enter) "
      "to collapse or expand its subtree. Hover a box for its whole command line.</p>\n";
  if (keys.empty()) {
    out += "<p>No alerts.</p>\n";
  } else {
    out += "<ul class=\"alerts\">\n";
    for (const AlertKey& k : keys) {
      out += "<li><span class=\"lvl " + level_class(k.level) + "\">" +
             html(k.level.empty() ? std::string("alert") : k.level) + "</span> " + html(k.title) +
             " \xE2\x80\x94 " + std::to_string(k.nodes) + " process" + (k.nodes == 1 ? "" : "es") +
             "</li>\n";
    }
    out += "</ul>\n";
  }
  out += "</section>\n";

  if (hosts.empty()) out += "<section class=\"host\"><p>No processes to draw.</p></section>\n";
  for (std::size_t h = 0; h < hosts.size(); ++h) {
    const auto& drawn = hosts[h].drawn;
    std::size_t host_alerts = 0;
    for (const Drawn& d : drawn)
      if (!alerts_of(in, d.node).empty()) ++host_alerts;
    out += "<section class=\"host\" id=\"host-" + std::to_string(h) + "\">\n<h2>" +
           html(hosts[h].host) + "</h2>\n<p class=\"summary\">" + std::to_string(drawn.size()) +
           " process" + (drawn.size() == 1 ? "" : "es") + ", " + std::to_string(host_alerts) +
           " with alerts</p>\n";
    const std::size_t draw = std::min(drawn.size(), kMaxDrawnPerHost);
    const std::size_t rows = std::min(drawn.size(), kMaxRowsPerHost);
    if (draw < drawn.size())
      out += "<p class=\"note\">Too many processes to draw: the picture shows the first " +
             std::to_string(draw) + " of " + std::to_string(drawn.size()) +
             " (in tree order).</p>\n";
    out += "<div class=\"canvas\">\n";
    append_svg(out, in, drawn, draw);
    out += "\n</div>\n";
    if (rows < drawn.size())
      out += "<p class=\"note\">The table lists the first " + std::to_string(rows) + " of " +
             std::to_string(drawn.size()) + " processes.</p>\n";
    append_table(out, in, drawn, rows);
    out += "</section>\n";
  }
  out += "<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace ioc::chain
