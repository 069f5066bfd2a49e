#include "ioc/chain/render.hpp"

#include <catch2/catch.hpp>
#include <pugixml.hpp>

#include <cstdio>
#include <string>
#include <vector>

using ioc::chain::Forest;
using ioc::chain::NodeAlert;
using ioc::chain::RenderInput;
using ioc::events::ProcessEvent;

namespace {

ProcessEvent ev(std::string host, std::string time, std::string guid, std::string parent_guid,
                std::string image, std::string cmd, std::uint64_t pid, std::uint64_t ppid,
                std::string user) {
  ProcessEvent e;
  e.host = std::move(host);
  e.time = std::move(time);
  e.guid = std::move(guid);
  e.parent_guid = std::move(parent_guid);
  e.image = std::move(image);
  e.command_line = std::move(cmd);
  e.pid = pid;
  e.ppid = ppid;
  e.user = std::move(user);
  return e;
}

// wrk:   explorer [100] -> powershell [200] (alert, decoded) -> ftp [300], ftp [301]
// venus: cmd.exe (not logged, node 5) -> whoami [500]
Forest small_forest() {
  Forest f;
  f.add(ev("wrk", "2020-01-01T10:00:00Z", "A", "", "C:\\Windows\\explorer.exe",
           "C:\\Windows\\Explorer.EXE", 100, 0, "CORP\\kevin"));
  f.add(ev("wrk", "2020-01-01T10:01:00Z", "B", "A", "C:\\ps\\powershell.exe",
           "powershell -enc SQBFAFgA", 200, 100, "CORP\\kevin"));
  f.add(ev("wrk", "2020-01-01T10:02:00Z", "C", "B", "C:\\w\\ftp.exe", "ftp.exe -i -s:\"a, b.dll\"",
           300, 200, "CORP\\kevin"));
  f.add(ev("wrk", "2020-01-01T10:03:00Z", "D", "B", "C:\\w\\ftp.exe", "ftp.exe -i -s:\"a, b.dll\"",
           301, 200, "CORP\\kevin"));
  ProcessEvent w = ev("venus", "2020-01-01T09:00:00Z", "E", "P", "C:\\w\\whoami.exe",
                      "whoami /user", 500, 400, "CORP\\billy");
  w.parent_image = "C:\\Windows\\System32\\cmd.exe";
  w.parent_command_line = "cmd.exe /c whoami /user";
  f.add(w);
  f.finish();
  return f;
}

void mark(RenderInput& in) {
  const std::size_t n = in.forest.nodes().size();
  in.decoded.assign(n, "");
  in.alerts.assign(n, {});
  in.decoded[1] = "PowerShell Empire https://45.77.65.211:443";
  in.alerts[1] = {NodeAlert{"r1", "Encoded PowerShell", "high"}};
}

// One process with a hostile command line, on a hostile host name.
Forest hostile_forest(const std::string& cmd) {
  Forest f;
  f.add(ev("h<\"&'>", "2020-01-01T10:00:00Z", "A", "", "C:\\x\\a&b<c>.exe", cmd, 1, 0, "U\"ser'<"));
  f.add(ev("h<\"&'>", "2020-01-01T10:01:00Z", "B", "A", "C:\\x\\child.exe", cmd + " child", 2, 1,
           "u"));
  f.finish();
  return f;
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = hay.find(needle); at != std::string::npos;
       at = hay.find(needle, at + needle.size()))
    ++n;
  return n;
}

// The <svg>...</svg> fragments of an HTML page.
std::vector<std::string> svg_fragments(const std::string& page) {
  std::vector<std::string> out;
  for (std::size_t at = page.find("<svg "); at != std::string::npos;
       at = page.find("<svg ", at + 1)) {
    const std::size_t end = page.find("</svg>", at);
    REQUIRE(end != std::string::npos);
    out.push_back(page.substr(at, end + 6 - at));
  }
  return out;
}

// Every '&' starts one of the five entities the renderer writes.
bool entities_ok(const std::string& s) {
  for (std::size_t at = s.find('&'); at != std::string::npos; at = s.find('&', at + 1)) {
    const std::string_view rest = std::string_view(s).substr(at);
    bool ok = false;
    for (std::string_view e : {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"})
      if (rest.substr(0, e.size()) == e) ok = true;
    if (!ok) return false;
  }
  return true;
}

// Parses one SVG fragment as XML; counts its g.node elements.
std::size_t parse_svg(const std::string& svg, pugi::xml_document& doc) {
  const pugi::xml_parse_result r = doc.load_string(svg.c_str());
  INFO(r.description() << " at " << r.offset);
  REQUIRE(r);
  REQUIRE(std::string(doc.first_child().name()) == "svg");
  return doc.select_nodes("//g[contains(concat(' ', @class, ' '), ' node ')]").size();
}

// The text between <script> and </script> (the page has one script).
std::string script_of(const std::string& page) {
  const std::size_t a = page.find("<script>");
  const std::size_t b = page.find("</script>");
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  return page.substr(a + 8, b - a - 8);
}

const std::string kHostileScript = "</script><script>alert(1)</script>";

}  // namespace

TEST_CASE("render: DOT of a small forest", "[chain][render]") {
  const Forest f = small_forest();
  REQUIRE(f.nodes().size() == 6);
  REQUIRE(f.node(5).synthesized);
  RenderInput in{f};
  mark(in);
  const std::string expected = R"DOT(digraph cmdchain {
  rankdir=LR;
  node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];
  edge [color="#555555"];
  subgraph cluster_0 {
    label="venus";
    style=rounded;
    color="#888888";
    n5 [label="cmd.exe [400] (not logged)\ncmd.exe /c whoami /user", style="rounded,dashed"];
    n4 [label="whoami.exe [500]\nCORP\\billy\nwhoami /user"];
    n5 -> n4;
  }
  subgraph cluster_1 {
    label="wrk";
    style=rounded;
    color="#888888";
    n0 [label="explorer.exe [100]\nCORP\\kevin\nC:\\Windows\\Explorer.EXE"];
    n1 [label="powershell.exe [200]\nCORP\\kevin\npowershell -enc SQBFAFgA\ndecoded: PowerShell Empire https://45.77.65.211:443\nalert: Encoded PowerShell (high)", color="#cc0000", fontcolor="#cc0000", fillcolor="#ffecec", penwidth=2, style="rounded,filled,bold"];
    n2 [label="ftp.exe [300]\nCORP\\kevin\nftp.exe -i -s:\"a, b.dll\""];
    n3 [label="ftp.exe [301]\nCORP\\kevin\nftp.exe -i -s:\"a, b.dll\""];
    n0 -> n1;
    n1 -> n2;
    n1 -> n3;
  }
}
)DOT";
  CHECK(ioc::chain::render_dot(in) == expected);
}

TEST_CASE("render: Mermaid of a small forest", "[chain][render]") {
  const Forest f = small_forest();
  RenderInput in{f};
  mark(in);
  const std::string expected = R"(flowchart LR
  subgraph h0["venus"]
    n5["cmd.exe #91;400#93; #40;not logged#41;<br/>cmd.exe /c whoami /user"]
    n4["whoami.exe #91;500#93;<br/>CORP\billy<br/>whoami /user"]
    n5 --> n4
  end
  subgraph h1["wrk"]
    n0["explorer.exe #91;100#93;<br/>CORP\kevin<br/>C:\Windows\Explorer.EXE"]
    n1["powershell.exe #91;200#93;<br/>CORP\kevin<br/>powershell -enc SQBFAFgA<br/>decoded: PowerShell Empire https://45.77.65.211:443<br/>alert: Encoded PowerShell #40;high#41;"]
    n2["ftp.exe #91;300#93;<br/>CORP\kevin<br/>ftp.exe -i -s:#quot;a, b.dll#quot;"]
    n3["ftp.exe #91;301#93;<br/>CORP\kevin<br/>ftp.exe -i -s:#quot;a, b.dll#quot;"]
    n0 --> n1
    n1 --> n2
    n1 --> n3
  end
  classDef alert fill:#ffecec,stroke:#cc0000,stroke-width:3px,color:#cc0000
  class n1 alert
  classDef synth stroke-dasharray:5 5
  class n5 synth
)";
  CHECK(ioc::chain::render_mermaid(in) == expected);
}

TEST_CASE("render: Sankey CSV counts parent -> child command lines", "[chain][render]") {
  const Forest f = small_forest();
  RenderInput in{f};
  const std::string expected =
      "parent,child,count\n"
      "cmd.exe /c whoami /user,whoami /user,1\n"
      "C:\\Windows\\Explorer.EXE,powershell -enc SQBFAFgA,1\n"
      "powershell -enc SQBFAFgA,\"ftp.exe -i -s:\"\"a, b.dll\"\"\",2\n";
  CHECK(ioc::chain::render_sankey(in) == expected);

  SECTION("a parent without a command line is named by its image; line breaks are quoted") {
    Forest g;
    g.add(ev("h", "t1", "A", "", "C:\\x\\svchost.exe", "", 1, 0, ""));
    g.add(ev("h", "t2", "B", "A", "C:\\x\\b.exe", "b\r\nsecond", 2, 1, ""));
    g.finish();
    RenderInput gi{g};
    CHECK(ioc::chain::render_sankey(gi) ==
          "parent,child,count\nC:\\x\\svchost.exe,\"b\r\nsecond\",1\n");
  }
}

TEST_CASE("render: the keep mask drops nodes and their edges", "[chain][render]") {
  const Forest f = small_forest();
  RenderInput in{f};
  in.keep.assign(f.nodes().size(), 1);
  in.keep[1] = 0;  // powershell: its children become tops of their own
  in.keep[5] = 0;  // the synthesized cmd.exe
  const std::string dot = ioc::chain::render_dot(in);
  CHECK(dot.find("n1 [") == std::string::npos);
  CHECK(dot.find("n5 [") == std::string::npos);
  CHECK(dot.find("->") == std::string::npos);
  CHECK(dot.find("n2 [label=\"ftp.exe [300]") != std::string::npos);
  CHECK(dot.find("n4 [label=\"whoami.exe [500]") != std::string::npos);
  CHECK(ioc::chain::render_sankey(in) == "parent,child,count\n");
  const std::string mmd = ioc::chain::render_mermaid(in);
  CHECK(mmd.find("-->") == std::string::npos);
  CHECK(mmd.find("n1[") == std::string::npos);

  // Only one host kept: the other one is not drawn at all.
  in.keep.assign(f.nodes().size(), 0);
  in.keep[4] = 1;
  in.keep[5] = 1;
  CHECK(ioc::chain::render_dot(in).find("cluster_1") == std::string::npos);
  CHECK(ioc::chain::render_sankey(in) ==
        "parent,child,count\ncmd.exe /c whoami /user,whoami /user,1\n");
  const std::string page = ioc::chain::render_html(in);
  CHECK(page.find("<h2>wrk</h2>") == std::string::npos);
  const auto svgs = svg_fragments(page);
  REQUIRE(svgs.size() == 1);
  pugi::xml_document doc;
  CHECK(parse_svg(svgs[0], doc) == 2);
}

TEST_CASE("render: DOT escaping", "[chain][render]") {
  const Forest f = hostile_forest("a\\b \"q\" line1\nline2 {x|y} <z>");
  RenderInput in{f};
  const std::string dot = ioc::chain::render_dot(in);
  CHECK(dot.find("label=\"h<\\\"&'>\";") != std::string::npos);
  CHECK(dot.find("a&b<c>.exe [1]\\nU\\\"ser'<\\na\\\\b \\\"q\\\" line1\\nline2 {x|y} <z>\"") !=
        std::string::npos);
  // Every line of the output is a statement: no raw newline inside a label.
  std::size_t lines = count(dot, "\n");
  CHECK(lines == 13);
}

TEST_CASE("render: Mermaid escaping", "[chain][render]") {
  const Forest f = hostile_forest("a\"b<c>#d`e|f[g]{h}(i)&j;k");
  RenderInput in{f};
  const std::string mmd = ioc::chain::render_mermaid(in);
  CHECK(mmd.find("subgraph h0[\"h#lt;#quot;#amp;'#gt;\"]") != std::string::npos);
  CHECK(mmd.find("a#quot;b#lt;c#gt;#35;d#96;e#124;f#91;g#93;#123;h#125;#40;i#41;#amp;j#59;k") !=
        std::string::npos);
  // Inside each label, none of the characters Mermaid reads as syntax is left.
  for (std::size_t at = mmd.find("[\""); at != std::string::npos; at = mmd.find("[\"", at + 1)) {
    const std::size_t end = mmd.find("\"]", at + 2);
    REQUIRE(end != std::string::npos);
    const std::string label = mmd.substr(at + 2, end - at - 2);
    INFO(label);
    std::string no_br = label;
    for (std::size_t b = no_br.find("<br/>"); b != std::string::npos; b = no_br.find("<br/>"))
      no_br.erase(b, 5);
    CHECK(no_br.find_first_of("\"<>`|[]{}()\n") == std::string::npos);
  }
}

TEST_CASE("render: labels cut long command lines unless wide", "[chain][render]") {
  const std::string long_cmd = "cmd.exe /c " + std::string(200, 'x');
  const Forest f = hostile_forest(long_cmd);
  RenderInput in{f};
  const std::string cut = ioc::chain::render_dot(in);
  CHECK(cut.find("cmd.exe /c " + std::string(66, 'x') + "...\"") != std::string::npos);
  CHECK(cut.find(std::string(67, 'x')) == std::string::npos);
  in.wide = true;
  CHECK(ioc::chain::render_dot(in).find(long_cmd + "\"") != std::string::npos);

  // Cuts never split a UTF-8 sequence.
  const Forest g = hostile_forest(std::string(100, 'a') + "\xC3\xA9");  // é after the cut
  RenderInput gi{g};
  const std::string m = ioc::chain::render_mermaid(gi);
  CHECK(m.find(std::string(77, 'a') + "...") != std::string::npos);
  CHECK(m.find("\xC3") == std::string::npos);
}

TEST_CASE("render: HTML page structure, alerts and synthesized nodes", "[chain][render]") {
  const Forest f = small_forest();
  RenderInput in{f};
  mark(in);
  in.title = "cmdchain: <a.jsonl>";
  const std::string page = ioc::chain::render_html(in);
  CHECK(page.rfind("<!DOCTYPE html>\n", 0) == 0);
  CHECK(page.find("<title>cmdchain: &lt;a.jsonl&gt;</title>") != std::string::npos);
  CHECK(page.size() > 1000);
  CHECK(page.substr(page.size() - 8) == "</html>\n");
  CHECK(count(page, "<section class=\"host\"") == 2);
  CHECK(count(page, "<script>") == 1);
  // Self-contained: no external resources.
  for (const char* s : {"<link", "src=", "@import", "url(", "href=\"http", "https://fonts"})
    CHECK(page.find(s) == std::string::npos);

  const auto svgs = svg_fragments(page);
  REQUIRE(svgs.size() == 2);  // venus, wrk
  pugi::xml_document venus, wrk;
  CHECK(parse_svg(svgs[0], venus) == 2);
  CHECK(parse_svg(svgs[1], wrk) == 4);
  CHECK(entities_ok(svgs[0]));
  CHECK(entities_ok(svgs[1]));

  // The alert node: red, its title in a text line, in the legend and the table.
  const pugi::xml_node n1 = wrk.select_node("//g[@id='n1']").node();
  REQUIRE(n1);
  CHECK(std::string(n1.attribute("class").value()) == "node alert parent");
  CHECK(std::string(n1.attribute("data-p").value()) == "n0");
  CHECK(wrk.select_node("//g[@id='n1']/text[@class='alerttext']").node().text().as_string() ==
        std::string("alert: Encoded PowerShell (high)"));
  CHECK(wrk.select_node("//g[@id='n1']/text[@class='decoded']").node().text().as_string() ==
        std::string("decoded: PowerShell Empire https://45.77.65.211:443"));
  CHECK(page.find("<span class=\"lvl high\">high</span> Encoded PowerShell") != std::string::npos);
  CHECK(page.find("<tr id=\"row-n1\" class=\"alert\">") != std::string::npos);
  // Edges: one elbow per drawn child, inside the child's group.
  CHECK(wrk.select_nodes("//path[@class='edge']").size() == 3);
  CHECK(!wrk.select_node("//g[@id='n0']/path").node());
  // Children of n1 have data-p n1; n0 is a root.
  CHECK(wrk.select_nodes("//g[@data-p='n1']").size() == 2);
  CHECK(!wrk.select_node("//g[@id='n0']").node().attribute("data-p"));

  // The synthesized parent: dashed class, "(not logged)".
  const pugi::xml_node n5 = venus.select_node("//g[@id='n5']").node();
  REQUIRE(n5);
  CHECK(std::string(n5.attribute("class").value()) == "node synth parent");
  CHECK(std::string(n5.select_node("text[@class='name']").node().text().as_string()) ==
        "cmd.exe [400] (not logged)");
  CHECK(page.find("<tr id=\"row-n5\" class=\"synth\">") != std::string::npos);

  // The table: one row per drawn process; the script marks the page ready.
  CHECK(count(page, "<tr id=\"row-n") == 6);
  CHECK(script_of(page).find("data-cmdchain") != std::string::npos);
}

TEST_CASE("render: hostile command lines stay inert in HTML", "[chain][render]") {
  const std::string cmd = "powershell " + kHostileScript +
                          " \"><img src=x onerror=alert(2)> ' & <!-- ]]> \x01\x1b[31m "
                          "\xFF\xFE bad utf8 \xE2\x80\xAE rlo";
  const Forest f = hostile_forest(cmd);
  RenderInput in{f};
  in.alerts.assign(f.nodes().size(), {});
  in.alerts[0] = {NodeAlert{"r<1>", "<b>bold</b> & \"quoted\"", "high'"}};
  in.decoded.assign(f.nodes().size(), "");
  in.decoded[0] = "</title><script>alert(3)</script>";
  in.title = kHostileScript;
  const std::string page = ioc::chain::render_html(in);

  // Exactly the renderer's own script: nothing of the event text reaches it.
  CHECK(count(page, "<script") == 1);
  CHECK(count(page, "</script") == 1);
  const std::string script = script_of(page);
  CHECK(script.find("alert(") == std::string::npos);
  CHECK(page.find("<img") == std::string::npos);
  CHECK(page.find("<b>") == std::string::npos);
  CHECK(page.find("<!--") == std::string::npos);
  CHECK(page.find("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(page.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt; &#39; &amp; &lt;!--") !=
        std::string::npos);
  CHECK(page.find("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;") != std::string::npos);
  // No control characters, ill-formed UTF-8 or bidi overrides.
  CHECK(page.find('\x01') == std::string::npos);
  CHECK(page.find('\x1b') == std::string::npos);
  CHECK(page.find('\xFF') == std::string::npos);
  CHECK(page.find("\xE2\x80\xAE") == std::string::npos);
  CHECK(page.find("\xEF\xBF\xBD[31m") != std::string::npos);

  const auto svgs = svg_fragments(page);
  REQUIRE(svgs.size() == 1);
  pugi::xml_document doc;
  CHECK(parse_svg(svgs[0], doc) == 2);
  CHECK(entities_ok(svgs[0]));
  // The parsed text is the command line as logged (cut), not markup.
  const std::string shown =
      doc.select_node("//g[@id='n0']/text[@class='cmd']").node().text().as_string();
  CHECK(shown.rfind("powershell </script><script>alert(1)</script> \"><img", 0) == 0);
  const std::string tip = doc.select_node("//g[@id='n0']/title").node().text().as_string();
  CHECK(tip.find("decoded: </title><script>alert(3)</script>") != std::string::npos);
}

TEST_CASE("render: DOT and Mermaid are clean of control characters too", "[chain][render]") {
  const Forest f = hostile_forest(
      "a\x01"
      "b\tc\xC0\xAF");
  RenderInput in{f};
  const std::string dot = ioc::chain::render_dot(in);
  CHECK(dot.find("a\xEF\xBF\xBD"
                 "b c\xEF\xBF\xBD\xEF\xBF\xBD") != std::string::npos);
  const std::string mmd = ioc::chain::render_mermaid(in);
  CHECK(mmd.find("a\xEF\xBF\xBD"
                 "b c\xEF\xBF\xBD\xEF\xBF\xBD") != std::string::npos);
}

TEST_CASE("render: an empty forest", "[chain][render]") {
  Forest f;
  f.finish();
  RenderInput in{f};
  CHECK(ioc::chain::render_dot(in) ==
        "digraph cmdchain {\n  rankdir=LR;\n  node [shape=box, style=rounded, "
        "fontname=\"Helvetica\", fontsize=10];\n  edge [color=\"#555555\"];\n}\n");
  CHECK(ioc::chain::render_mermaid(in) == "flowchart LR\n");
  CHECK(ioc::chain::render_sankey(in) == "parent,child,count\n");
  const std::string page = ioc::chain::render_html(in);
  CHECK(page.find("No processes to draw.") != std::string::npos);
  CHECK(svg_fragments(page).empty());
}

TEST_CASE("render: HTML draws at most 5000 nodes per host and says so", "[chain][render]") {
  Forest f;
  f.add(ev("big", "2020-01-01T00:00:00Z", "ROOT", "", "C:\\p.exe", "p", 1, 0, ""));
  for (int i = 0; i < 5200; ++i) {
    char t[32];
    std::snprintf(t, sizeof t, "2020-01-01T01:%02d:%02d.%03dZ", i / 3600 % 60, i / 60 % 60,
                  i % 1000);
    f.add(ev("big", t, "G" + std::to_string(i), "ROOT", "C:\\c.exe", "c " + std::to_string(i),
             static_cast<std::uint64_t>(i + 10), 1, ""));
  }
  f.finish();
  RenderInput in{f};
  const std::string page = ioc::chain::render_html(in);
  CHECK(page.find("the picture shows the first 5000 of 5201") != std::string::npos);
  const auto svgs = svg_fragments(page);
  REQUIRE(svgs.size() == 1);
  pugi::xml_document doc;
  CHECK(parse_svg(svgs[0], doc) == 5000);
  CHECK(count(page, "<tr id=\"row-n") == 5201);  // the table holds them all
  // Proportional: well under 2 KiB per node.
  CHECK(page.size() < 5201 * 2048);
}

TEST_CASE("render: a deep chain is drawn without recursion", "[chain][render]") {
  Forest f;
  const int depth = 3000;
  for (int i = 0; i < depth; ++i) {
    char t[32];
    std::snprintf(t, sizeof t, "2020-01-01T%02d:%02d:%02dZ", i / 3600, i / 60 % 60, i % 60);
    f.add(ev("deep", t, "G" + std::to_string(i), i ? "G" + std::to_string(i - 1) : "", "C:\\x.exe",
             "x", static_cast<std::uint64_t>(i + 1), static_cast<std::uint64_t>(i), ""));
  }
  f.finish();
  RenderInput in{f};
  CHECK(count(ioc::chain::render_dot(in), " -> ") == depth - 1);
  CHECK(count(ioc::chain::render_mermaid(in), " --> ") == depth - 1);
  CHECK(ioc::chain::render_sankey(in) ==
        "parent,child,count\nx,x," + std::to_string(depth - 1) + "\n");
  const auto svgs = svg_fragments(ioc::chain::render_html(in));
  REQUIRE(svgs.size() == 1);
  pugi::xml_document doc;
  CHECK(parse_svg(svgs[0], doc) == static_cast<std::size_t>(depth));
}
