// Unit tests of ioc/sigma/rules.hpp: loading rules from YAML, every value
// modifier, wildcards, null, keywords, conditions, correlations, problems.
#include "ioc/sigma/rules.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ioc/text/ascii.hpp"

using ioc::sigma::CorrelationType;
using ioc::sigma::FieldSource;
using ioc::sigma::load_text;
using ioc::sigma::LoadReport;
using ioc::sigma::RuleSet;

namespace {

/// Fields by name (case-insensitive), for matching without a ProcessEvent.
class MapFields final : public FieldSource {
 public:
  MapFields(std::initializer_list<std::pair<const char*, const char*>> kv) {
    for (const auto& p : kv) fields_.emplace_back(p.first, p.second);
  }
  std::optional<std::string_view> field(std::string_view name) const override {
    for (const auto& f : fields_)
      if (ioc::text::iequals(f.first, name)) return std::string_view(f.second);
    return std::nullopt;
  }
  void for_each_value(void (*fn)(void*, std::string_view), void* ctx) const override {
    for (const auto& f : fields_) fn(ctx, f.second);
  }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

/// A rule document around a detection block (indented 4 spaces).
std::string rule_yaml(const std::string& detection, const std::string& title = "Test rule") {
  return "title: " + title +
         "\nid: 11111111-2222-3333-4444-555555555555\nstatus: test\nlevel: high\n"
         "tags:\n  - attack.execution\nlogsource:\n  category: process_creation\n  product: "
         "windows\n"
         "detection:\n" +
         detection;
}

/// Loads one rule; fails the test when it does not load.
RuleSet load_one(const std::string& detection) {
  RuleSet set;
  const LoadReport rep = load_text(rule_yaml(detection), "test.yml", set);
  INFO(detection);
  std::string problems;
  for (const auto& p : rep.problems) problems += p + "\n";
  INFO(problems);
  REQUIRE(rep.problems.empty());
  REQUIRE(set.rules.size() == 1);
  return set;
}

/// The reason a rule is skipped ("" when it loads).
std::string problem_of(const std::string& detection) {
  RuleSet set;
  const LoadReport rep = load_text(rule_yaml(detection), "test.yml", set);
  if (rep.problems.empty()) return {};
  CHECK(set.rules.empty());
  CHECK(rep.skipped == 1);
  return rep.problems[0];
}

bool match(const std::string& detection, const FieldSource& f) {
  return load_one(detection).rules[0].matches(f);
}

}  // namespace

TEST_CASE("a rule loads with its metadata", "[sigma][rules]") {
  RuleSet set;
  const LoadReport rep = load_text(rule_yaml("    selection:\n        Image|endswith: '\\cmd.exe'\n"
                                             "    condition: selection\n") +
                                       "name: my_rule\n",
                                   "dir/rule.yml", set);
  CHECK(rep.files == 1);
  CHECK(rep.documents == 1);
  CHECK(rep.rules == 1);
  CHECK(rep.skipped == 0);
  REQUIRE(set.rules.size() == 1);
  const auto& r = set.rules[0];
  CHECK(r.title == "Test rule");
  CHECK(r.id == "11111111-2222-3333-4444-555555555555");
  CHECK(r.name == "my_rule");
  CHECK(r.level == "high");
  CHECK(r.status == "test");
  CHECK(r.file == "dir/rule.yml");
  CHECK(r.tags == std::vector<std::string>{"attack.execution"});
  CHECK(set.find("11111111-2222-3333-4444-555555555555") == 0);
  CHECK(set.find("my_rule") == 0);
  CHECK(set.find("nope") == static_cast<std::size_t>(-1));
  CHECK(set.find("") == static_cast<std::size_t>(-1));
  CHECK(r.matches(MapFields{{"Image", "C:\\Windows\\System32\\CMD.EXE"}}));
  CHECK_FALSE(r.matches(MapFields{{"Image", "C:\\Windows\\System32\\cmd.exe.bak"}}));
  CHECK_FALSE(r.matches(MapFields{{"CommandLine", "cmd.exe"}}));
}

TEST_CASE("plain values: equality, case-insensitive", "[sigma][modifiers]") {
  const std::string d =
      "    selection:\n        Image: 'C:\\Windows\\System32\\cmd.exe'\n    condition: selection\n";
  CHECK(match(d, MapFields{{"Image", "c:\\windows\\system32\\CMD.exe"}}));
  CHECK_FALSE(match(d, MapFields{{"Image", "c:\\windows\\system32\\cmd.exe "}}));
  CHECK_FALSE(match(d, MapFields{{"Image", "x c:\\windows\\system32\\cmd.exe"}}));
  CHECK(match(d, MapFields{{"image", "C:\\Windows\\System32\\cmd.exe"}}));  // field names too
}

TEST_CASE("contains startswith endswith", "[sigma][modifiers]") {
  CHECK(match("    s:\n        CommandLine|contains: ' -EncodedCommand '\n    condition: s\n",
              MapFields{{"CommandLine", "powershell -encodedcommand ZQBjAGgAbwA="}}));
  CHECK_FALSE(match("    s:\n        CommandLine|contains: ' -EncodedCommand '\n    condition: s\n",
                    MapFields{{"CommandLine", "powershell -enc ZQBjAGgAbwA="}}));
  CHECK(match("    s:\n        CommandLine|startswith: 'cmd /c'\n    condition: s\n",
              MapFields{{"CommandLine", "CMD /C whoami"}}));
  CHECK_FALSE(match("    s:\n        CommandLine|startswith: 'cmd /c'\n    condition: s\n",
                    MapFields{{"CommandLine", "x cmd /c whoami"}}));
  CHECK(
      match("    s:\n        Image|endswith:\n            - '\\a.exe'\n            - '\\b.exe'\n   "
            " condition: s\n",
            MapFields{{"Image", "C:\\B.EXE"}}));
  CHECK_FALSE(match("    s:\n        Image|endswith: '\\a.exe'\n    condition: s\n",
                    MapFields{{"Image", "a.exe"}}));
}

TEST_CASE("contains|all needs every value", "[sigma][modifiers]") {
  const std::string d =
      "    s:\n        CommandLine|contains|all:\n            - 'reg'\n            - ' add '\n"
      "            - '\\Run'\n    condition: s\n";
  CHECK(match(d, MapFields{{"CommandLine", "reg.exe ADD HKCU\\...\\run /v x"}}));
  CHECK_FALSE(match(d, MapFields{{"CommandLine", "reg.exe query HKCU\\...\\run"}}));
}

TEST_CASE("cased makes matching case-sensitive", "[sigma][modifiers]") {
  const std::string d =
      "    s:\n        CommandLine|contains|cased: 'AmsiUtils'\n    condition: s\n";
  CHECK(match(d, MapFields{{"CommandLine",
                            "[Ref].Assembly.GetType('System.Management.Automation.AmsiUtils')"}}));
  CHECK_FALSE(match(d, MapFields{{"CommandLine", "amsiutils"}}));
  const std::string eq = "    s:\n        Image|cased: 'A.exe'\n    condition: s\n";
  CHECK(match(eq, MapFields{{"Image", "A.exe"}}));
  CHECK_FALSE(match(eq, MapFields{{"Image", "a.exe"}}));
}

TEST_CASE("re with i m s", "[sigma][modifiers]") {
  const std::string plain =
      "    s:\n        CommandLine|re: '\\s-e(nc?)?\\s+[A-Za-z0-9+/]{8,}'\n    condition: s\n";
  CHECK(match(plain, MapFields{{"CommandLine", "powershell -enc SQBFAFgAIAAo"}}));
  CHECK_FALSE(match(plain, MapFields{{"CommandLine", "powershell -command x"}}));
  // re is case-sensitive unless i.
  CHECK_FALSE(match("    s:\n        Image|re: 'CMD\\.EXE$'\n    condition: s\n",
                    MapFields{{"Image", "c:\\cmd.exe"}}));
  CHECK(match("    s:\n        Image|re|i: 'CMD\\.EXE$'\n    condition: s\n",
              MapFields{{"Image", "c:\\cmd.exe"}}));
  // m: ^ and $ at line breaks; s: . matches a newline.
  CHECK_FALSE(match("    s:\n        CommandLine|re: '^b$'\n    condition: s\n",
                    MapFields{{"CommandLine", "a\nb\nc"}}));
  CHECK(match("    s:\n        CommandLine|re|m: '^b$'\n    condition: s\n",
              MapFields{{"CommandLine", "a\nb\nc"}}));
  CHECK_FALSE(match("    s:\n        CommandLine|re: 'a.b'\n    condition: s\n",
                    MapFields{{"CommandLine", "a\nb"}}));
  CHECK(match("    s:\n        CommandLine|re|s: 'a.b'\n    condition: s\n",
              MapFields{{"CommandLine", "a\nb"}}));
  CHECK(match("    s:\n        CommandLine|re|i|m|s: '^X.Y$'\n    condition: s\n",
              MapFields{{"CommandLine", "q\nx\ny"}}));
  // Wildcards mean nothing to re.
  CHECK(match("    s:\n        CommandLine|re: 'a*b'\n    condition: s\n",
              MapFields{{"CommandLine", "b"}}));
}

TEST_CASE("re: patterns that would compile huge are refused", "[sigma][modifiers][limits]") {
  CHECK_THAT(problem_of("    s:\n        CommandLine|re: '\\pL{1000}'\n    condition: s\n"),
             Catch::Contains("regular expression too large"));
  CHECK_THAT(problem_of("    s:\n        CommandLine|re: '((a{30}){30}){30}'\n    condition: s\n"),
             Catch::Contains("regular expression too large"));
  std::string many = "    s:\n        CommandLine|re:\n";
  for (int i = 0; i < 20; ++i) many += "            - '\\pL{90}x" + std::to_string(i) + "'\n";
  CHECK_THAT(problem_of(many + "    condition: s\n"),
             Catch::Contains("regular expression too large"));
  const std::string guid =
      "    s:\n        CommandLine|re: "
      "'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'\n"
      "    condition: s\n";
  CHECK(match(guid, MapFields{{"CommandLine", "x 0197231e-f810-6938-b710-000000000800"}}));
  CHECK(match("    s:\n        CommandLine|re: '\\pL{20}'\n    condition: s\n",
              MapFields{{"CommandLine", "abcdefghijklmnopqrstuvwxyz"}}));
}

TEST_CASE("windash: - and / and the Unicode dashes", "[sigma][modifiers]") {
  const std::string d =
      "    s:\n        CommandLine|contains|windash: ' -urlcache '\n    condition: s\n";
  CHECK(match(d, MapFields{{"CommandLine", "certutil -urlcache -f http://x"}}));
  CHECK(match(d, MapFields{{"CommandLine", "certutil /urlcache /f http://x"}}));
  CHECK(match(d, MapFields{{"CommandLine", "certutil \xE2\x80\x93urlcache x"}}));  // en dash
  CHECK(match(d, MapFields{{"CommandLine", "certutil \xE2\x80\x94urlcache x"}}));  // em dash
  CHECK(match(d, MapFields{{"CommandLine", "certutil \xE2\x80\x95urlcache x"}}));  // horizontal bar
  CHECK_FALSE(match(d, MapFields{{"CommandLine", "certutil urlcache x"}}));
  // Two options: every combination.
  const std::string two =
      "    s:\n        CommandLine|windash|contains: '-a -b'\n    condition: s\n";
  CHECK(match(two, MapFields{{"CommandLine", "x /a -b"}}));
  CHECK(match(two, MapFields{{"CommandLine", "x -a /b"}}));
  // A dash inside a word is not an option.
  const std::string mid =
      "    s:\n        CommandLine|contains|windash: 'Get-Item'\n    condition: s\n";
  CHECK_FALSE(match(mid, MapFields{{"CommandLine", "Get/Item"}}));
  CHECK(match(mid, MapFields{{"CommandLine", "Get-Item"}}));
}

TEST_CASE("exists", "[sigma][modifiers]") {
  const std::string yes = "    s:\n        OriginalFileName|exists: true\n    condition: s\n";
  const std::string no = "    s:\n        OriginalFileName|exists: false\n    condition: s\n";
  CHECK(match(yes, MapFields{{"OriginalFileName", "x.exe"}}));
  CHECK(match(yes, MapFields{{"OriginalFileName", ""}}));
  CHECK_FALSE(match(yes, MapFields{{"Image", "x"}}));
  CHECK(match(no, MapFields{{"Image", "x"}}));
  CHECK_FALSE(match(no, MapFields{{"OriginalFileName", "x.exe"}}));
  CHECK_THAT(problem_of("    s:\n        OriginalFileName|exists: maybe\n    condition: s\n"),
             Catch::Contains("true or false"));
}

TEST_CASE("base64 and base64offset|contains", "[sigma][modifiers]") {
  // base64 of "http://" is "aHR0cDovLw=="; the three offsets of it in longer text.
  const std::string off =
      "    s:\n        CommandLine|base64offset|contains: 'http://'\n    condition: s\n";
  CHECK(match(off, MapFields{{"CommandLine", "powershell -e aHR0cDovL2V4YW1wbGU="}}));
  CHECK(match(off, MapFields{{"CommandLine", "x IGh0dHA6Ly9leGFtcGxl"}}));      // " http://example"
  CHECK(match(off, MapFields{{"CommandLine", "x ICBodHRwOi8vZXhhbXBsZQ=="}}));  // " http://example"
  CHECK_FALSE(match(off, MapFields{{"CommandLine", "x AHR0CDOVL2V4YW1WBGU="}}));  // base64 is cased
  CHECK_FALSE(match(off, MapFields{{"CommandLine", "http://example"}}));
  const std::string b64 = "    s:\n        CommandLine|base64|contains: 'IEX'\n    condition: s\n";
  CHECK(match(b64, MapFields{{"CommandLine", "x SUVY y"}}));
  CHECK_FALSE(match(b64, MapFields{{"CommandLine", "x suvy y"}}));
  const std::string eq = "    s:\n        CommandLine|base64: 'ab'\n    condition: s\n";
  CHECK(match(eq, MapFields{{"CommandLine", "YWI="}}));
  CHECK_FALSE(match(eq, MapFields{{"CommandLine", "xYWI="}}));
  CHECK_THAT(problem_of("    s:\n        CommandLine|base64offset: 'http'\n    condition: s\n"),
             Catch::Contains("needs 'contains'"));
}

TEST_CASE("fieldref compares two fields", "[sigma][modifiers]") {
  const std::string d = "    s:\n        User|fieldref: ParentUser\n    condition: not s\n";
  CHECK(match(d, MapFields{{"User", "A\\b"}, {"ParentUser", "A\\c"}}));
  CHECK_FALSE(match(d, MapFields{{"User", "A\\b"}, {"ParentUser", "a\\B"}}));
}

TEST_CASE("wildcards * and ? and escapes", "[sigma][wildcards]") {
  const std::string star = "    s:\n        CommandLine: 'cmd*/c*whoami'\n    condition: s\n";
  CHECK(match(star, MapFields{{"CommandLine", "cmd.exe /c x & whoami"}}));
  CHECK(match(star, MapFields{{"CommandLine", "CMD/cwhoami"}}));
  CHECK_FALSE(match(star, MapFields{{"CommandLine", "cmd.exe /c whoami /all"}}));
  const std::string q = "    s:\n        Image: '*\\cmd?.exe'\n    condition: s\n";
  CHECK(match(q, MapFields{{"Image", "C:\\cmd2.exe"}}));
  CHECK_FALSE(match(q, MapFields{{"Image", "C:\\cmd.exe"}}));
  CHECK_FALSE(match(q, MapFields{{"Image", "C:\\cmd22.exe"}}));
  // \* and \? are literal; \\ is one backslash; a lone \ stays.
  const std::string esc = "    s:\n        CommandLine: 'a\\*b\\?c'\n    condition: s\n";
  CHECK(match(esc, MapFields{{"CommandLine", "a*b?c"}}));
  CHECK_FALSE(match(esc, MapFields{{"CommandLine", "axxbyc"}}));
  const std::string bs =
      "    s:\n        CommandLine: 'x\\\\*'\n    condition: s\n";  // x\\* : x, \, wildcard
  CHECK(match(bs, MapFields{{"CommandLine", "x\\anything"}}));
  CHECK_FALSE(match(bs, MapFields{{"CommandLine", "xanything"}}));
  const std::string lone = "    s:\n        Image: 'C:\\Windows\\x.exe'\n    condition: s\n";
  CHECK(match(lone, MapFields{{"Image", "c:\\windows\\x.exe"}}));
  const std::string any = "    s:\n        Image: '*'\n    condition: s\n";
  CHECK(match(any, MapFields{{"Image", ""}}));
  CHECK_FALSE(match(any, MapFields{{"CommandLine", "x"}}));
  const std::string contains_wild =
      "    s:\n        CommandLine|contains: 'net* user'\n    condition: s\n";
  CHECK(match(contains_wild, MapFields{{"CommandLine", "c:\\net1.exe user /add"}}));
  CHECK_FALSE(match(contains_wild, MapFields{{"CommandLine", "c:\\net1.exe group"}}));
}

TEST_CASE("null: the field is absent or empty", "[sigma][values]") {
  const std::string d =
      "    s:\n        Image|endswith: '\\x.exe'\n    f:\n        OriginalFileName: null\n"
      "    condition: s and not f\n";
  CHECK(match(d, MapFields{{"Image", "C:\\x.exe"}, {"OriginalFileName", "x.exe"}}));
  CHECK_FALSE(match(d, MapFields{{"Image", "C:\\x.exe"}}));
  CHECK_FALSE(match(d, MapFields{{"Image", "C:\\x.exe"}, {"OriginalFileName", ""}}));
  const std::string tilde = "    s:\n        OriginalFileName: ~\n    condition: s\n";
  CHECK(match(tilde, MapFields{{"Image", "x"}}));
  const std::string empty = "    s:\n        OriginalFileName: ''\n    condition: s\n";
  CHECK(match(empty, MapFields{{"OriginalFileName", ""}}));
  CHECK_FALSE(match(empty, MapFields{{"Image", "x"}}));
  CHECK_FALSE(match(empty, MapFields{{"OriginalFileName", "x"}}));
}

TEST_CASE("numbers as values", "[sigma][values]") {
  const std::string d = "    s:\n        ProcessId: 4444\n    condition: s\n";
  CHECK(match(d, MapFields{{"ProcessId", "4444"}}));
  CHECK_FALSE(match(d, MapFields{{"ProcessId", "44444"}}));
  const std::string list =
      "    s:\n        TerminalSessionId:\n            - 0\n            - 1\n    condition: s\n";
  CHECK(match(list, MapFields{{"TerminalSessionId", "1"}}));
  CHECK_FALSE(match(list, MapFields{{"TerminalSessionId", "2"}}));
}

TEST_CASE("maps are AND, lists OR, list of maps OR", "[sigma][values]") {
  const std::string map =
      "    s:\n        Image|endswith: '\\reg.exe'\n        CommandLine|contains: ' add '\n"
      "    condition: s\n";
  CHECK(match(map, MapFields{{"Image", "C:\\reg.exe"}, {"CommandLine", "reg add x"}}));
  CHECK_FALSE(match(map, MapFields{{"Image", "C:\\reg.exe"}, {"CommandLine", "reg query x"}}));
  const std::string lom =
      "    s:\n        - Image|endswith: '\\a.exe'\n        - OriginalFileName: 'a.exe'\n"
      "          Company: 'ACME'\n    condition: s\n";
  CHECK(match(lom, MapFields{{"Image", "C:\\a.exe"}}));
  CHECK(match(
      lom, MapFields{{"Image", "C:\\b.exe"}, {"OriginalFileName", "A.EXE"}, {"Company", "acme"}}));
  CHECK_FALSE(match(lom, MapFields{{"Image", "C:\\b.exe"}, {"OriginalFileName", "a.exe"}}));
}

TEST_CASE("keyword lists search every field", "[sigma][values]") {
  const std::string d =
      "    keywords:\n        - 'mimikatz'\n        - 'sekurlsa::'\n    condition: keywords\n";
  CHECK(match(d, MapFields{{"Image", "C:\\x.exe"}, {"CommandLine", "x SEKURLSA::logonpasswords"}}));
  CHECK(match(d, MapFields{{"Description", "Mimikatz for Windows"}}));
  CHECK_FALSE(match(d, MapFields{{"Image", "C:\\x.exe"}}));
  const std::string one = "    keyword: 'evil'\n    condition: keyword\n";
  CHECK(match(one, MapFields{{"CommandLine", "some EVIL thing"}}));
  CHECK_FALSE(match(one, MapFields{{"CommandLine", "good"}}));
}

TEST_CASE("condition forms evaluate", "[sigma][condition]") {
  const std::string sels =
      "    selection_a:\n        CommandLine|contains: 'aaa'\n"
      "    selection_b:\n        CommandLine|contains: 'bbb'\n"
      "    filter:\n        CommandLine|contains: 'fff'\n"
      "    _meta:\n        CommandLine|contains: 'mmm'\n";
  auto check = [&](const std::string& cond, const char* cmd) {
    return match(sels + "    condition: " + cond + "\n", MapFields{{"CommandLine", cmd}});
  };
  CHECK(check("selection_a and selection_b", "aaa bbb"));
  CHECK_FALSE(check("selection_a and selection_b", "aaa"));
  CHECK(check("selection_a or selection_b", "bbb"));
  CHECK(check("selection_a and not filter", "aaa"));
  CHECK_FALSE(check("selection_a and not filter", "aaa fff"));
  CHECK(check("1 of selection_*", "bbb"));
  CHECK_FALSE(check("all of selection_*", "bbb"));
  CHECK(check("all of selection_*", "aaa bbb"));
  CHECK(check("1 of them", "fff"));
  CHECK_FALSE(check("1 of them", "mmm"));  // _meta is not in `them`
  CHECK(check("all of them", "aaa bbb fff"));
  CHECK(check("2 of them", "aaa fff"));
  CHECK_FALSE(check("2 of them", "aaa mmm"));
  // not > and > or
  CHECK(check("selection_a or selection_b and filter", "aaa"));
  CHECK_FALSE(check("(selection_a or selection_b) and filter", "aaa"));
  CHECK(check("not selection_a and selection_b", "bbb"));
  CHECK_FALSE(check("not (selection_a or selection_b)", "bbb"));
  CHECK(check("1 of selection_* and not 1 of filter*", "aaa"));
  CHECK_FALSE(check("1 of selection_* and not 1 of filter*", "aaa fff"));
  // A list of conditions is their OR.
  const std::string list =
      sels + "    condition:\n        - selection_a and filter\n        - selection_b\n";
  CHECK(match(list, MapFields{{"CommandLine", "bbb"}}));
  CHECK(match(list, MapFields{{"CommandLine", "aaa fff"}}));
  CHECK_FALSE(match(list, MapFields{{"CommandLine", "aaa"}}));
}

TEST_CASE("an unknown modifier skips the rule, naming the file and title", "[sigma][problems]") {
  RuleSet set;
  const LoadReport rep = load_text(
      rule_yaml("    s:\n        CommandLine|frobnicate: 'x'\n    condition: s\n", "Weird rule"),
      "rules/weird.yml", set);
  CHECK(set.rules.empty());
  CHECK(rep.skipped == 1);
  REQUIRE(rep.problems.size() == 1);
  CHECK_THAT(rep.problems[0], Catch::StartsWith("rules/weird.yml: rule 'Weird rule': "));
  CHECK_THAT(rep.problems[0], Catch::Contains("unknown modifier 'frobnicate'"));
}

TEST_CASE("malformed and unsupported rules give problems", "[sigma][problems]") {
  struct Case {
    std::string detection;
    const char* why;
  };
  const std::vector<Case> cases = {
      {"    s:\n        Image: x\n    condition: s | count() > 5\n", "aggregation"},
      {"    s:\n        Image: x\n    condition: s near t\n", "near"},
      {"    s:\n        Image: x\n    condition: t\n", "unknown selection 't'"},
      {"    s:\n        Image: x\n", "no condition"},
      {"    s:\n        Image|re: '(unclosed'\n    condition: s\n", "regular expression"},
      {"    s:\n        Image|re: '(a)\\1'\n    condition: s\n", "regular expression"},
      {"    s:\n        Image|contains|startswith: x\n    condition: s\n", "conflicting"},
      {"    s:\n        Image|i: x\n    condition: s\n", "without 're'"},
      {"    s:\n        Image:\n            a: b\n    condition: s\n", "not a scalar"},
      {"    s:\n        Image: []\n    condition: s\n", "empty value list"},
      {"    s:\n        - Image: x\n        - keyword\n    condition: s\n", "mixes"},
      {"    s: {}\n    condition: s\n", "empty selection"},
      {"    s:\n    condition: s\n", "is empty"},
      {"    s:\n        Image: x\n    condition:\n        a: b\n", "not text"},
      {"    s:\n        '|re': x\n    condition: s\n", "without a field name"},
      {"    s:\n        Image|utf16le|base64offset|contains: x\n    condition: s\n",
       "unknown modifier 'utf16le'"},
      {"    s:\n        Image|contains|windash: '-a -b -c -d -e'\n    condition: s\n", "windash"},
      {"    s:\n        Image|exists|contains: true\n    condition: s\n", "'exists' with"},
      {"    s:\n        Image|contains: null\n    condition: s\n", "null value with modifiers"},
      {"    s:\n        Image: x\n    condition: 1 of x*\n", "no selection matches"},
  };
  for (const Case& c : cases) {
    INFO(c.detection);
    const std::string p = problem_of(c.detection);
    if (*c.why == '\0') continue;  // only: no crash
    CHECK_THAT(p, Catch::Contains(c.why));
  }
}

TEST_CASE("documents of other kinds and broken YAML", "[sigma][problems]") {
  RuleSet set;
  LoadReport rep = load_text(
      "title: x\nlogsource:\n  category: network_connection\n  product: windows\n"
      "detection:\n  s:\n    Image: x\n  condition: s\n",
      "net.yml", set);
  CHECK(rep.skipped == 1);
  REQUIRE(rep.problems.size() == 1);
  CHECK_THAT(rep.problems[0], Catch::Contains("network_connection"));
  rep = load_text(
      "title: x\nlogsource:\n  category: process_creation\n  product: linux\n"
      "detection:\n  s:\n    Image: x\n  condition: s\n",
      "lin.yml", set);
  CHECK_THAT(rep.problems.at(0), Catch::Contains("linux"));
  rep = load_text("title: x\ndetection:\n  s:\n    Image: x\n  condition: s\n", "nols.yml", set);
  CHECK_THAT(rep.problems.at(0), Catch::Contains("logsource"));
  rep = load_text("title: [unclosed\n", "bad.yml", set);
  CHECK(rep.skipped == 1);
  CHECK_THAT(rep.problems.at(0), Catch::StartsWith("bad.yml: YAML error"));
  // yaml-cpp 0.7's LoadAll loops forever on these.
  for (std::string_view s :
       {std::string_view(",::"), std::string_view("\0,::", 4), std::string_view(",\n"),
        std::string_view("---\n,\n---\n[:\n---\n{:]\n")})
    (void)load_text(s, "loop.yml", set);
  // A broken document costs only itself.
  rep =
      load_text(rule_yaml("    s:\n        Image: a\n    condition: s\n") + "---\ntitle: [\n---\n" +
                    rule_yaml("    s:\n        Image: b\n    condition: s\n"),
                "mixed.yml", set);
  CHECK(rep.rules == 2);
  CHECK(rep.skipped == 1);
  rep = load_text("- just\n- a list\n", "list.yml", set);
  CHECK_THAT(rep.problems.at(0), Catch::Contains("not a mapping"));
  rep = load_text("", "empty.yml", set);
  CHECK(rep.documents == 0);
  CHECK(rep.problems.empty());
  rep = load_text(std::string(1000, '[') + std::string(1000, ']'), "deep.yml", set);
  CHECK_THAT(rep.problems.at(0), Catch::Contains("deep"));
  std::string block = "a:\n";
  for (int i = 1; i < 100; ++i) block += std::string(static_cast<std::size_t>(i) * 2, ' ') + "a:\n";
  rep = load_text(block, "deepblock.yml", set);
  CHECK_THAT(rep.problems.at(0), Catch::Contains("deep"));
  // Billion laughs: aliases make a huge tree from small text.
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'k'; ++c)
    laughs += std::string(1, c) + ": &" + c + " [*" + static_cast<char>(c - 1) + ", *" +
              static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + ", *" +
              static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + ", *" +
              static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + ", *" +
              static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + ", *" +
              static_cast<char>(c - 1) + "]\n";
  RuleSet fresh;
  rep = load_text(laughs, "laughs.yml", fresh);
  CHECK(rep.skipped == 1);
  CHECK(fresh.rules.empty());
}

TEST_CASE("multi-document files: rules and correlations", "[sigma][correlation]") {
  const std::string text =
      rule_yaml("    s:\n        Image|endswith: '\\whoami.exe'\n    condition: s\n", "Whoami") +
      "name: whoami_exec\n"
      "---\n"
      "title: Recon burst\nid: c0000000-0000-0000-0000-000000000001\nname: recon_burst\n"
      "level: critical\n"
      "correlation:\n  type: temporal_ordered\n  rules:\n    - whoami_exec\n    - net_exec\n"
      "  group-by:\n    - Computer\n    - ParentCommandLine\n  timespan: 15m\n  generate: true\n"
      "---\n"
      "title: Many whoami\ncorrelation:\n  type: event_count\n  rules: whoami_exec\n"
      "  group-by: [Computer]\n  timespan: 1h\n  condition:\n    gte: 3\n"
      "---\n"
      "title: Together\ncorrelation:\n  type: temporal\n  rules: [a, b]\n  timespan: 30s\n"
      "---\n";
  RuleSet set;
  const LoadReport rep = load_text(text, "multi.yml", set);
  std::string problems;
  for (const auto& p : rep.problems) problems += p + "\n";
  INFO(problems);
  CHECK(rep.problems.empty());
  CHECK(rep.documents == 4);
  CHECK(rep.rules == 1);
  CHECK(rep.correlations == 3);
  REQUIRE(set.correlations.size() == 3);
  const auto& a = set.correlations[0];
  CHECK(a.type == CorrelationType::kTemporalOrdered);
  CHECK(a.title == "Recon burst");
  CHECK(a.id == "c0000000-0000-0000-0000-000000000001");
  CHECK(a.name == "recon_burst");
  CHECK(a.level == "critical");
  CHECK(a.file == "multi.yml");
  CHECK(a.rules == std::vector<std::string>{"whoami_exec", "net_exec"});
  CHECK(a.group_by == std::vector<std::string>{"Computer", "ParentCommandLine"});
  CHECK(a.timespan_ms == 900000);
  CHECK(a.condition_op.empty());
  CHECK(a.generate);
  const auto& b = set.correlations[1];
  CHECK(b.type == CorrelationType::kEventCount);
  CHECK(b.rules == std::vector<std::string>{"whoami_exec"});
  CHECK(b.condition_op == "gte");
  CHECK(b.condition_value == 3);
  CHECK(b.timespan_ms == 3600000);
  CHECK_FALSE(b.generate);
  const auto& c = set.correlations[2];
  CHECK(c.type == CorrelationType::kTemporal);
  CHECK(c.timespan_ms == 30000);
  CHECK(c.group_by.empty());
  CHECK(set.find("whoami_exec") == 0);
}

TEST_CASE("unsupported and malformed correlations are skipped", "[sigma][correlation]") {
  struct Case {
    const char* body;
    const char* why;
  };
  for (const Case& c :
       {Case{"  type: value_count\n  rules: [a]\n  timespan: 1h\n  condition: {gte: 2}\n",
             "'value_count' is not supported"},
        Case{"  type: value_sum\n  rules: [a]\n  timespan: 1h\n", "'value_sum'"},
        Case{"  rules: [a]\n  timespan: 1h\n", "no type"},
        Case{"  type: temporal\n  timespan: 1h\n", "no rules"},
        Case{"  type: temporal\n  rules: [a, b]\n", "no timespan"},
        Case{"  type: temporal\n  rules: [a, b]\n  timespan: soon\n", "malformed timespan"},
        Case{"  type: event_count\n  rules: [a]\n  timespan: 1h\n", "condition"},
        Case{"  type: event_count\n  rules: [a]\n  timespan: 1h\n  condition: {near: 2}\n",
             "'near'"},
        Case{"  type: event_count\n  rules: [a]\n  timespan: 1h\n  condition: {gte: -1}\n",
             "not a count"},
        Case{"  type: temporal\n  rules: [[a]]\n  timespan: 1h\n", "non-text"}}) {
    RuleSet set;
    const LoadReport rep =
        load_text(std::string("title: C\ncorrelation:\n") + c.body, "c.yml", set);
    INFO(c.body);
    CHECK(set.correlations.empty());
    CHECK(rep.skipped == 1);
    REQUIRE(rep.problems.size() == 1);
    CHECK_THAT(rep.problems[0], Catch::StartsWith("c.yml: rule 'C': "));
    CHECK_THAT(rep.problems[0], Catch::Contains(c.why));
  }
}

TEST_CASE("load_path reads a directory recursively, sorted", "[sigma][rules]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "ioc_sigma_load_path_test";
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  auto write = [](const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
  };
  write(dir / "b.yml", rule_yaml("    s:\n        Image: b\n    condition: s\n", "B"));
  write(dir / "sub" / "a.yaml", rule_yaml("    s:\n        Image: a\n    condition: s\n", "A"));
  write(dir / "c.yml", rule_yaml("    s:\n        Image|nope: a\n    condition: s\n", "C"));
  write(dir / "notes.txt", "not a rule");
  RuleSet set;
  const LoadReport rep = ioc::sigma::load_path(dir.string(), set);
  CHECK(rep.files == 3);
  CHECK(rep.rules == 2);
  CHECK(rep.skipped == 1);
  REQUIRE(set.rules.size() == 2);
  CHECK(set.rules[0].title == "B");
  CHECK(set.rules[1].title == "A");
  REQUIRE(rep.problems.size() == 1);
  CHECK_THAT(rep.problems[0], Catch::Contains("c.yml: rule 'C': unknown modifier 'nope'"));
  RuleSet one;
  CHECK(ioc::sigma::load_path((dir / "b.yml").string(), one).rules == 1);
  RuleSet none;
  const LoadReport missing = ioc::sigma::load_path((dir / "missing.yml").string(), none);
  CHECK(missing.problems.size() == 1);
  fs::remove_all(dir);
}
