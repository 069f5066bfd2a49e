// sigma_corpus RULES_DIR REGRESSION_DIR [--min-pass N] [--max-cross N] [--verbose]
//
// Loads the SigmaHQ process_creation rules and runs each rule on its
// regression events (SigmaHQ regression_data: <rule name>/<uuid>.json, the
// same events as <uuid>.evtx, and info.yml), like SigmaHQ's runner: a rule
// passes when it matches at least `match_count` events, in the JSON and in the
// .evtx (read with events::EvtxReader) alike. Then every regression rule runs on every other
// folder's events (the cross-fire count: a rule firing on another rule's test
// events; the 41 pairs seen when this test was written are all between related
// rule families, e.g. the bitsadmin or certutil variants). Exit 0 when at least
// N rules pass (default: all that have a rule file) and no more than
// --max-cross pairs fire (default: no limit), 1 otherwise, 77 when a dir is
// absent.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/events/evtx.hpp"
#include "ioc/events/process_event.hpp"
#include "ioc/events/record_assembler.hpp"
#include "ioc/io/file.hpp"
#include "ioc/sigma/rules.hpp"
#include "ioc/text/ascii.hpp"

namespace fs = std::filesystem;
using ioc::events::EventReader;
using ioc::events::ParseKind;
using ioc::events::ProcessEvent;

namespace {

std::string read_file(const fs::path& p) {
  auto text = ioc::io::read_file(p.string(), 64u * 1024 * 1024);
  if (!text) std::cout << "  " << text.error().message << "\n";
  return text ? std::move(*text) : std::string();
}

/// The JSON documents of a regression file (concatenated pretty-printed
/// objects), split as cmdchain splits them.
std::vector<std::string> split_json(std::string_view text) {
  std::vector<std::string> out;
  ioc::events::RecordAssembler assembler;
  const auto on_record = [&](std::string_view r, std::uint64_t) {
    if (!r.empty()) out.emplace_back(r);
  };
  const auto on_error = [&](std::string_view m, std::uint64_t line) {
    std::cout << "  JSON split error at line " << line << ": " << m << "\n";
  };
  ioc::text::for_each_line(text, [&](std::size_t n, std::string_view line) {
    assembler.feed(line, n, on_record, on_error);
    return true;
  });
  assembler.finish(on_error);
  return out;
}

/// Reason a reason line is grouped by: the text after "rule '...': ".
std::string reason_of(const std::string& problem) {
  std::size_t at = problem.find("': ");
  std::string r = at == std::string::npos ? problem : problem.substr(at + 3);
  // Group by the kind, not the quoted detail.
  const std::size_t q = r.find('\'');
  if (q != std::string::npos) {
    const std::size_t q2 = r.find('\'', q + 1);
    if (q2 != std::string::npos)
      r = r.substr(0, q) + "'" + r.substr(q + 1, q2 - q - 1) + "'" + r.substr(q2 + 1);
  }
  return r;
}

struct Folder {
  std::string name;
  std::size_t rule = static_cast<std::size_t>(-1);
  std::size_t want = 1;
  std::vector<ProcessEvent> events;       // from the .json
  std::vector<ProcessEvent> evtx_events;  // from the .evtx
  std::size_t records = 0, errors = 0, others = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> pos;
  long min_pass = -1;
  long max_cross = -1;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--min-pass" && i + 1 < argc)
      min_pass = std::strtol(argv[++i], nullptr, 10);
    else if (a == "--max-cross" && i + 1 < argc)
      max_cross = std::strtol(argv[++i], nullptr, 10);
    else if (a == "--verbose" || a == "-v")
      verbose = true;
    else
      pos.push_back(a);
  }
  if (pos.size() != 2) {
    std::cerr << "usage: sigma_corpus RULES_DIR REGRESSION_DIR [--min-pass N] [--max-cross N] "
                 "[--verbose]\n";
    return 2;
  }
  const fs::path rules_dir = pos[0], reg_dir = pos[1];
  std::error_code ec;
  if (!fs::is_directory(rules_dir, ec) || !fs::is_directory(reg_dir, ec)) {
    std::cout << "sigma_corpus: corpus not found (skipped)\n";
    return 77;
  }

  // 1. Load every rule, one file at a time (to map files to rule indices).
  ioc::sigma::RuleSet set;
  std::map<std::string, std::size_t> rule_of_file;  // stem -> index in set.rules
  std::size_t files = 0, loaded = 0, skipped = 0;
  std::map<std::string, std::size_t> reasons;
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(rules_dir, ec))
    if (e.path().extension() == ".yml" || e.path().extension() == ".yaml")
      paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  for (const fs::path& p : paths) {
    const std::size_t before = set.rules.size();
    const ioc::sigma::LoadReport rep = ioc::sigma::load_path(p.string(), set);
    files += rep.files;
    loaded += rep.rules;
    skipped += rep.skipped;
    for (const std::string& pr : rep.problems) {
      ++reasons[reason_of(pr)];
      if (verbose) std::cout << "  skip: " << pr << "\n";
    }
    if (set.rules.size() > before) rule_of_file[p.stem().string()] = before;
  }
  std::cout << "rules: " << files << " files, " << loaded << " loaded, " << skipped << " skipped\n";
  std::vector<std::pair<std::size_t, std::string>> by_count;
  for (const auto& [r, n] : reasons) by_count.emplace_back(n, r);
  std::sort(by_count.rbegin(), by_count.rend());
  for (const auto& [n, r] : by_count) std::cout << "  " << n << "x " << r << "\n";

  // 2. Regression folders.
  std::vector<Folder> folders;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(reg_dir, ec))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  std::size_t no_rule_file = 0, not_loaded = 0;
  for (const fs::path& d : dirs) {
    Folder f;
    f.name = d.filename().string();
    if (!fs::exists(rules_dir / (f.name + ".yml"))) {
      ++no_rule_file;
      if (verbose) std::cout << "  no rule file: " << f.name << "\n";
      continue;
    }
    const auto it = rule_of_file.find(f.name);
    if (it != rule_of_file.end()) f.rule = it->second;
    try {
      const YAML::Node info = YAML::LoadFile((d / "info.yml").string());
      const YAML::Node mc = info["regression_tests_info"][0]["match_count"];
      if (mc.IsDefined() && mc.IsScalar()) f.want = std::max<std::size_t>(1, mc.as<std::size_t>());
    } catch (const std::exception&) {
    }
    for (const auto& e : fs::directory_iterator(d, ec)) {
      if (e.path().extension() == ".evtx") {
        ioc::events::EvtxReader reader;
        std::string error;
        if (!reader.open_file(e.path().string(), &error)) {
          ++f.errors;
          std::cout << "  " << f.name << ": " << error << "\n";
          continue;
        }
        ioc::events::ParseResult r;
        while (reader.next(r)) {
          if (r.kind == ParseKind::kProcess)
            f.evtx_events.push_back(std::move(r.event));
          else if (r.kind == ParseKind::kError)
            ++f.errors, std::cout << "  " << f.name << ": evtx record error: " << r.error << "\n";
        }
        continue;
      }
      if (e.path().extension() != ".json") continue;
      const std::string text = read_file(e.path());
      EventReader reader;
      for (std::string_view doc : split_json(text)) {
        ++f.records;
        auto r = reader.parse_line(doc);  // a whole pretty-printed document
        if (r.kind == ParseKind::kProcess)
          f.events.push_back(std::move(r.event));
        else if (r.kind == ParseKind::kError)
          ++f.errors, std::cout << "  " << f.name << ": parse error: " << r.error << "\n";
        else
          ++f.others;
      }
    }
    if (f.rule == static_cast<std::size_t>(-1)) ++not_loaded;
    folders.push_back(std::move(f));
  }

  // 3. Each rule on its own events.
  std::size_t passed = 0, exact = 0, json_passed = 0, evtx_passed = 0;
  for (const Folder& f : folders) {
    if (f.rule == static_cast<std::size_t>(-1)) {
      std::cout << "  FAIL " << f.name << ": rule not loaded\n";
      continue;
    }
    const ioc::sigma::Rule& rule = set.rules[f.rule];
    std::size_t hits = 0, evtx_hits = 0;
    for (const ProcessEvent& e : f.events)
      if (rule.matches(ioc::sigma::EventFields(e))) ++hits;
    for (const ProcessEvent& e : f.evtx_events)
      if (rule.matches(ioc::sigma::EventFields(e))) ++evtx_hits;
    const bool ok = hits >= f.want && evtx_hits >= f.want;
    if (ok) ++passed;
    if (hits == f.want && evtx_hits == f.want) ++exact;
    if (hits >= f.want) ++json_passed;
    if (evtx_hits >= f.want) ++evtx_passed;
    if (!ok || verbose)
      std::cout << "  " << (ok ? "pass " : "FAIL ") << f.name << ": json " << hits << "/" << f.want
                << " (" << f.events.size() << " process events of " << f.records
                << " records), evtx " << evtx_hits << "/" << f.want << " (" << f.evtx_events.size()
                << " process events)\n";
  }

  // 4. Cross check: each loaded rule on every other folder's events.
  std::size_t cross = 0;
  for (const Folder& a : folders) {
    if (a.rule == static_cast<std::size_t>(-1)) continue;
    const ioc::sigma::Rule& rule = set.rules[a.rule];
    for (const Folder& b : folders) {
      if (&a == &b) continue;
      for (const ProcessEvent& e : b.events) {
        if (rule.matches(ioc::sigma::EventFields(e))) {
          ++cross;
          if (verbose) std::cout << "  cross: " << a.name << " fires on " << b.name << "\n";
          break;
        }
      }
    }
  }

  const std::size_t available = folders.size();
  std::cout << "regression: " << dirs.size() << " folders, " << no_rule_file
            << " without a rule file, " << available << " tested, " << not_loaded
            << " rules not loaded\n"
            << "passed (>= match_count in both): " << passed << "/" << available << " (json "
            << json_passed << ", evtx " << evtx_passed << "), exact in both: " << exact << "/"
            << available << "\n"
            << "cross-fire (rule, other folder) pairs: " << cross << "\n";
  const std::size_t need = min_pass < 0 ? available : static_cast<std::size_t>(min_pass);
  const bool cross_ok = max_cross < 0 || cross <= static_cast<std::size_t>(max_cross);
  if (!cross_ok) std::cout << "FAIL: more than " << max_cross << " cross-fire pairs\n";
  return passed >= need && cross_ok ? 0 : 1;
}
