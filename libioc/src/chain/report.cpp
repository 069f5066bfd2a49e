#include "ioc/chain/report.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "ioc/chain/forest.hpp"
#include "ioc/chain/render.hpp"
#include "ioc/decode/peeler.hpp"
#include "ioc/events/evtx.hpp"
#include "ioc/events/process_event.hpp"
#include "ioc/events/record_assembler.hpp"
#include "ioc/recipe/library.hpp"
#include "ioc/sigma/correlate.hpp"
#include "ioc/sigma/rules.hpp"
#include "ioc/text/ascii.hpp"

namespace ioc::chain {
namespace {

using ordered_json = nlohmann::ordered_json;

std::string dump(const ordered_json& j) {
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}
// What psdecode finds in an encoded command line, cached per command line.
struct Decoded {
  std::string framework;
  std::string server;
  std::string first_line;
};

class Decoder {
 public:
  const std::optional<Decoded>& get(const std::string& command_line) {
    auto it = cache_.find(command_line);
    if (it != cache_.end()) return it->second;
    std::optional<Decoded> d;
    if (looks_encoded(command_line)) {
      decode::Peeled p = decode::peel(command_line);
      if (p.decoded_any()) {
        Decoded x;
        x.framework = p.framework.name;
        if (p.empire && !p.empire->server.empty()) {
          x.server = p.empire->server;
        } else {
          for (const auto& i : p.iocs)
            if (i.type == "url") {
              x.server = i.value;
              break;
            }
        }
        const std::string& text = p.deobfuscated.empty() ? p.decoded : p.deobfuscated;
        std::string_view first(text);
        first = first.substr(0, std::min(first.find('\n'), first.size()));
        x.first_line = std::string(first.substr(0, 160));
        d = std::move(x);
      }
    }
    if (cache_.size() > 10000) cache_.clear();  // bounded: command lines repeat
    return cache_.emplace(command_line, std::move(d)).first->second;
  }

 private:
  // Cheap gate before the peeler: an encoded-command switch or a base64 call.
  static bool looks_encoded(std::string_view s) {
    s = s.substr(0, 4096);
    return text::ifind(s, " -e") != std::string_view::npos ||
           text::ifind(s, " /e") != std::string_view::npos ||
           text::ifind(s, "frombase64string") != std::string_view::npos;
  }

  std::map<std::string, std::optional<Decoded>> cache_;
};

ordered_json decoded_json(const std::optional<Decoded>& d) {
  if (!d) return nullptr;
  return ordered_json{
      {"framework", d->framework}, {"server", d->server}, {"first_line", d->first_line}};
}

std::string decoded_hint(const std::optional<Decoded>& d) {
  if (!d) return {};
  std::string s = d->framework;
  if (!d->server.empty()) s += (s.empty() ? "" : " ") + d->server;
  if (s.empty()) s = d->first_line.substr(0, 60);
  return s;
}

ordered_json alerts_json(const std::vector<NodeAlert>& marks) {
  ordered_json a = ordered_json::array();
  for (const NodeAlert& m : marks)
    a.push_back({{"rule_id", m.rule_id}, {"title", m.title}, {"level", m.level}});
  return a;
}

ordered_json node_json(const Node& n, const std::optional<Decoded>& d,
                       const std::vector<NodeAlert>& marks) {
  const auto& e = n.event;
  ordered_json j;
  j["host"] = e.host;
  j["guid"] = e.guid;
  j["pid"] = e.pid;
  j["parent_guid"] = e.parent_guid;
  j["ppid"] = e.ppid;
  j["image"] = e.image;
  j["command_line"] = e.command_line;
  j["parent_image"] = e.parent_image;
  j["parent_command_line"] = e.parent_command_line;
  j["user"] = e.user;
  j["integrity_level"] = e.integrity_level;
  j["time"] = e.time;
  j["depth"] = n.depth;
  j["synthesized"] = n.synthesized;
  j["decoded"] = decoded_json(d);
  j["alerts"] = alerts_json(marks);
  return j;
}

std::string short_text(std::string_view s, bool wide) {
  if (wide || s.size() <= 120) return std::string(s);
  return std::string(s.substr(0, 117)) + "...";
}

std::string text_line(const Node& n, const std::optional<Decoded>& d,
                      const std::vector<NodeAlert>& marks, bool wide) {
  const auto& e = n.event;
  std::string line(2 + 2 * n.depth, ' ');
  line += e.time.empty() ? "-" : e.time;
  line += "  ";
  line += e.image.empty() ? "?" : std::string(image_name(e.image));
  if (e.pid != 0) line += " [" + std::to_string(e.pid) + "]";
  if (n.synthesized) line += " (not logged)";
  if (!e.user.empty()) line += "  " + e.user;
  if (!e.integrity_level.empty()) line += " " + e.integrity_level;
  if (!e.command_line.empty()) line += "  " + short_text(e.command_line, wide);
  if (d) {
    line += "\n" + std::string(4 + 2 * n.depth, ' ') + "decoded: " + d->framework;
    if (!d->server.empty()) line += " " + d->server;
    if (!d->first_line.empty()) line += " | " + short_text(d->first_line, wide);
  }
  for (const NodeAlert& m : marks)
    line += "\n" + std::string(4 + 2 * n.depth, ' ') + "alert: [" + m.level + "] " + m.title;
  return line;
}

// ---------------------------------------------------------------------------
// Reading the inputs.

class InputReader {
 public:
  InputReader(const ChainOptions& o, Forest& forest, io::Diagnostics& diag)
      : o_(o), forest_(forest), diag_(diag) {}

  /// False when --strict stopped the reading.
  bool read(const io::InputOptions& input) {
    std::vector<std::string> paths = input.paths;
    if (paths.empty()) paths.push_back("-");
    for (const std::string& path : paths) {
      if (path != "-" && is_evtx_file(path)) {
        if (!read_evtx(path)) return false;
        continue;
      }
      io::InputOptions one = input;
      one.paths = {path};
      if (!read_text(one)) return false;
    }
    return true;
  }

  std::size_t other() const { return other_; }
  std::size_t joined() const { return joined_; }

 private:
  static bool is_evtx_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[8] = {};
    if (!in.read(magic, sizeof magic)) return false;
    return events::looks_like_evtx(std::string_view(magic, sizeof magic));
  }

  // One parsed record; false to stop (--strict after an error).
  bool take(events::ParseResult& r, const Source& src) {
    switch (r.kind) {
      case events::ParseKind::kError: diag_.record_error(src, r.error); return !o_.strict;
      case events::ParseKind::kOther: ++other_; return true;
      case events::ParseKind::kProcess: break;
    }
    const auto& e = r.event;
    if (!o_.host.empty() && !text::iequals(e.host, o_.host)) return true;
    if (!o_.since.empty() && !e.time.empty() && e.time < o_.since) return true;
    if (!o_.until.empty() && !e.time.empty() && e.time > o_.until) return true;
    diag_.count_ok();
    forest_.add(std::move(r.event));
    return true;
  }

  bool read_evtx(const std::string& path) {
    events::EvtxReader reader;
    std::string error;
    if (!reader.open_file(path, &error)) {
      diag_.io_error(path + ": " + error);
      return !o_.strict;
    }
    events::ParseResult r;
    std::uint64_t number = 0;
    std::uint64_t n = 0;
    while (reader.next(r, &number)) {
      ++n;
      diag_.count_read();
      Source src{path, number, 0};
      if (!take(r, src)) return false;
    }
    return true;
  }

  bool read_text(const io::InputOptions& one) {
    events::RecordAssembler assembler;
    events::EventReader reader;
    bool csv = false;
    bool stopped = false;  // --strict after an error
    bool evtx_on_stdin = false;
    std::string name;
    const auto on_error = [&](std::string_view message, std::uint64_t line) {
      diag_.record_error(Source{name, line, 0}, message);
      if (o_.strict) stopped = true;
    };
    io::for_each_record(one, diag_, [&](io::Record& rec) {
      if (rec.source.line == 1) {
        name = std::string(rec.source.name);
        if (rec.text.substr(0, 7) == "ElfFile") {
          diag_.record_error(rec.source,
                             "an .evtx file on standard input: name the file instead (skipped)");
          evtx_on_stdin = true;
          return false;
        }
        if (events::EventReader::looks_like_csv_header(rec.text)) {
          std::string error;
          if (!reader.parse_csv_header(rec.text, &error))
            diag_.record_error(rec.source, "CSV header: " + error);
          else
            csv = true;
          return true;
        }
      }
      if (csv) {
        events::ParseResult r = reader.parse_csv_row(rec.text);
        if (!take(r, rec.source)) stopped = true;
        return !stopped;
      }
      assembler.feed(
          rec.text, rec.source.line,
          [&](std::string_view record, std::uint64_t first_line) {
            if (stopped) return;
            if (first_line != rec.source.line) ++joined_;
            events::ParseResult r = reader.parse_line(record);
            if (!take(r, Source{rec.source.name, first_line, 0})) stopped = true;
          },
          on_error);
      return !stopped;
    });
    if (!stopped && !evtx_on_stdin) assembler.finish(on_error);
    return !stopped || (evtx_on_stdin && !o_.strict);
  }

  const ChainOptions& o_;
  Forest& forest_;
  io::Diagnostics& diag_;
  std::size_t other_ = 0;
  std::size_t joined_ = 0;
};

// ---------------------------------------------------------------------------
// Rules.

struct RuleRun {
  std::vector<sigma::Alert> alerts;
  std::vector<std::vector<NodeAlert>> marks;  // per node
};

RuleRun run_rules(const ChainOptions& o, const Forest& forest, io::Diagnostics& diag) {
  RuleRun run;
  run.marks.resize(forest.nodes().size());
  if (o.no_rules) return run;
  sigma::RuleSet set;
  std::vector<std::string> paths = o.rules;
  if (paths.empty()) {
    const std::string dir = default_rules_dir();
    if (dir.empty()) {
      diag.note("no shipped Sigma rules found (recipes/sigma); use --rules or --no-rules");
      return run;
    }
    paths.push_back(dir);
  }
  for (const std::string& p : paths) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) {
      diag.io_error("--rules: " + p + ": no such file or directory");
      continue;
    }
    const sigma::LoadReport rep = sigma::load_path(p, set);
    for (const std::string& problem : rep.problems) diag.note(problem);
  }
  sigma::Matcher matcher(set);
  for (std::size_t i = 0; i < forest.nodes().size(); ++i)
    if (!forest.node(i).synthesized) matcher.add(i, forest.node(i).event);
  const int min_rank = o.min_level.empty() ? -1 : level_rank(o.min_level);
  for (sigma::Alert& a : matcher.finish()) {
    if (min_rank >= 0 && level_rank(a.level) < min_rank) continue;
    for (std::size_t i : a.events) run.marks[i].push_back(NodeAlert{a.rule_id, a.title, a.level});
    run.alerts.push_back(std::move(a));
  }
  return run;
}

ordered_json alert_json(const sigma::Alert& a, const Forest& forest) {
  ordered_json j;
  j["rule_id"] = a.rule_id;
  j["title"] = a.title;
  j["level"] = a.level;
  j["correlation"] = a.correlation;
  j["host"] = a.host;
  j["time"] = a.time;
  j["events"] = ordered_json::array();
  for (std::size_t i : a.events) {
    const auto& e = forest.node(i).event;
    j["events"].push_back({{"time", e.time},
                           {"guid", e.guid},
                           {"pid", e.pid},
                           {"image", e.image},
                           {"command_line", e.command_line},
                           {"parent_command_line", e.parent_command_line}});
  }
  return j;
}

}  // namespace

std::optional<ChainFormat> chain_format_from_name(std::string_view name) {
  static constexpr std::pair<std::string_view, ChainFormat> kFormats[] = {
      {"text", ChainFormat::kText},       {"jsonl", ChainFormat::kJsonl},
      {"json", ChainFormat::kJson},       {"groups", ChainFormat::kGroups},
      {"alerts", ChainFormat::kAlerts},   {"dot", ChainFormat::kDot},
      {"mermaid", ChainFormat::kMermaid}, {"sankey", ChainFormat::kSankey},
      {"html", ChainFormat::kHtml}};
  for (const auto& [n, format] : kFormats)
    if (name == n) return format;
  return std::nullopt;
}

int level_rank(std::string_view level) {
  static constexpr std::string_view kLevels[] = {"informational", "low", "medium", "high",
                                                 "critical"};
  for (int i = 0; i < 5; ++i)
    if (text::iequals(level, kLevels[i])) return i;
  return -1;
}

std::string default_rules_dir() {
  const auto dir = recipe::find_on_search_path("sigma");
  std::error_code ec;
  return std::filesystem::is_directory(dir, ec) ? dir.string() : std::string();
}

ChainResult run_cmdchain(const io::InputOptions& input, const ChainOptions& o, io::Output& out,
                         io::Diagnostics& diag) {
  ChainResult result;
  Forest forest;
  {
    InputReader reader(o, forest, diag);
    if (!reader.read(input)) {
      diag.io_error("stopped at the first record that cannot be read (--strict)");
      return result;
    }
    if (reader.other() > 0)
      diag.note(std::to_string(reader.other()) +
                " record(s) were not process-creation events (skipped)");
    if (reader.joined() > 0)
      diag.note(std::to_string(reader.joined()) +
                " JSON record(s) spanned several lines and were joined");
  }
  forest.finish();
  const RuleRun rules = run_rules(o, forest, diag);
  result.alerts = rules.alerts.size();

  Decoder decoder;
  const auto decoded = [&](const Node& n) -> const std::optional<Decoded>& {
    static const std::optional<Decoded> none;
    return o.decode ? decoder.get(n.event.command_line) : none;
  };

  // Which nodes to show: everything, one subtree, or one path to the root.
  std::vector<std::size_t> only;
  if (!o.root.empty() || !o.ancestors.empty()) {
    const std::string& id = o.root.empty() ? o.ancestors : o.root;
    const std::size_t at = forest.find(o.host, id);
    if (at == kNone) {
      diag.io_error("no process " + id + (o.host.empty() ? "" : " on " + o.host));
      return result;
    }
    only = o.root.empty() ? forest.ancestors(at) : forest.subtree(at);
    if (o.root.empty()) std::reverse(only.begin(), only.end());  // root first
  }

  // --image / --user: the matching processes, their ancestors and descendants.
  const bool filtered = !o.image.empty() || !o.user.empty();
  const std::size_t count = forest.nodes().size();
  std::vector<char> keep(count, filtered || !only.empty() ? 0 : 1);
  std::vector<char> match(count, filtered ? 0 : 1);
  if (filtered) {
    for (std::size_t i = 0; i < count; ++i) {
      const auto& e = forest.node(i).event;
      const bool hit = (o.image.empty() ||
                        text::ifind(image_name(e.image), o.image) != std::string_view::npos) &&
                       (o.user.empty() || text::ifind(e.user, o.user) != std::string_view::npos);
      if (!hit) continue;
      match[i] = 1;
      for (std::size_t a : forest.ancestors(i)) keep[a] = 1;
      for (std::size_t d : forest.subtree(i)) keep[d] = 1;
    }
  }
  if (!only.empty()) {
    std::vector<char> in_only(count, 0);
    for (std::size_t i : only) in_only[i] = 1;
    for (std::size_t i = 0; i < count; ++i) keep[i] = in_only[i] && (!filtered || keep[i]) ? 1 : 0;
  }

  const auto write_line = [&](const std::string& s) {
    out.write(out.is_tty() ? io::escape_for_terminal(s) : s);
    out.end_record();
    return !out.broken_pipe();
  };
  const auto write_json = [&](const ordered_json& j) {
    out.write(dump(j));
    out.end_record();
    return !out.broken_pipe();
  };
  const auto stop = [&] {
    result.completed = false;
    return result;
  };

  switch (o.format) {
    case ChainFormat::kAlerts: {
      for (const sigma::Alert& a : rules.alerts) {
        if (std::none_of(a.events.begin(), a.events.end(),
                         [&](std::size_t i) { return keep[i] != 0; }))
          continue;
        if (!write_json(alert_json(a, forest))) return stop();
      }
      return result;
    }
    case ChainFormat::kDot:
    case ChainFormat::kMermaid:
    case ChainFormat::kSankey:
    case ChainFormat::kHtml: {
      std::vector<std::string> hints;
      if (o.decode) {
        hints.resize(count);
        for (std::size_t i = 0; i < count; ++i)
          if (keep[i]) hints[i] = decoded_hint(decoded(forest.node(i)));
      }
      // The page title names the inputs (file names, not their directories).
      std::string title = "cmdchain:";
      for (const std::string& p : input.paths.empty() ? std::vector<std::string>{"-"} : input.paths)
        title += " " + (p == "-" ? std::string(kStdinName)
                                 : std::filesystem::path(p).filename().string());
      const RenderInput in{forest, keep, std::move(hints), rules.marks, o.wide, std::move(title)};
      std::string doc;
      switch (o.format) {
        case ChainFormat::kDot: doc = render_dot(in); break;
        case ChainFormat::kMermaid: doc = render_mermaid(in); break;
        case ChainFormat::kSankey: doc = render_sankey(in); break;
        default: doc = render_html(in); break;
      }
      out.write(doc);
      if (out.broken_pipe()) return stop();
      return result;
    }
    default: break;
  }

  if (o.group_by_parent || o.format == ChainFormat::kGroups) {
    const bool text = o.format == ChainFormat::kText;
    for (Group g : group_by_parent_command_line(forest, o.across_hosts)) {
      std::erase_if(g.children, [&](std::size_t c) { return !match[c]; });
      if (g.children.empty()) continue;
      if (text) {
        std::string head = "parent: " + short_text(g.parent_command_line, o.wide) + "\n  hosts: ";
        for (std::size_t i = 0; i < g.hosts.size(); ++i) head += (i ? ", " : "") + g.hosts[i];
        head += "; parent processes: " + std::to_string(g.parent_instances) +
                "; children: " + std::to_string(g.children.size());
        if (o.decode) {
          if (const auto& d = decoder.get(g.parent_command_line)) {
            head += "\n  decoded: " + d->framework;
            if (!d->server.empty()) head += " " + d->server;
          }
        }
        if (!write_line(head)) return stop();
        for (std::size_t c : g.children) {
          const auto& e = forest.node(c).event;
          std::string line = "    " + e.time + "  " + e.host + "  " +
                             std::string(image_name(e.image)) + "  " +
                             short_text(e.command_line, o.wide);
          for (const NodeAlert& m : rules.marks[c])
            line += "\n      alert: [" + m.level + "] " + m.title;
          if (!write_line(line)) return stop();
        }
      } else {
        ordered_json j;
        j["parent_command_line"] = g.parent_command_line;
        j["hosts"] = g.hosts;
        j["parent_instances"] = g.parent_instances;
        j["decoded"] = o.decode ? decoded_json(decoder.get(g.parent_command_line)) : nullptr;
        j["children"] = ordered_json::array();
        for (std::size_t c : g.children) {
          const auto& e = forest.node(c).event;
          j["children"].push_back({{"host", e.host},
                                   {"time", e.time},
                                   {"guid", e.guid},
                                   {"image", e.image},
                                   {"command_line", e.command_line},
                                   {"alerts", alerts_json(rules.marks[c])}});
        }
        if (!write_json(j)) return stop();
      }
    }
    return result;
  }

  const auto emit_node = [&](std::size_t i) {
    const Node& n = forest.node(i);
    if (!keep[i]) return true;
    if (o.format == ChainFormat::kText)
      return write_line(text_line(n, decoded(n), rules.marks[i], o.wide));
    return write_json(node_json(n, decoded(n), rules.marks[i]));
  };

  if (!only.empty() && o.format != ChainFormat::kJson) {
    for (std::size_t i : only)
      if (!emit_node(i)) return stop();
    return result;
  }

  for (const std::string& host : forest.hosts()) {
    const std::vector<std::size_t> roots = forest.roots(host);
    if (o.format == ChainFormat::kJson) {
      // Nested: {host, roots: [{..., children: [...]}]}, built bottom-up; a
      // kept node under a hidden parent (--root) becomes a root.
      std::function<ordered_json(std::size_t, std::size_t)> nest = [&](std::size_t i,
                                                                       std::size_t level) {
        const Node& n = forest.node(i);
        ordered_json j = node_json(n, decoded(n), rules.marks[i]);
        j["children"] = ordered_json::array();
        if (level < 256)
          for (std::size_t c : n.children)
            if (keep[c]) j["children"].push_back(nest(c, level + 1));
        return j;
      };
      ordered_json h;
      h["host"] = host;
      h["roots"] = ordered_json::array();
      for (std::size_t r : roots)
        for (std::size_t i : forest.subtree(r)) {
          const std::size_t p = forest.node(i).parent;
          if (keep[i] && (p == kNone || !keep[p])) h["roots"].push_back(nest(i, 0));
        }
      if (h["roots"].empty()) continue;
      if (!write_json(h)) return stop();
      continue;
    }
    if (std::none_of(roots.begin(), roots.end(), [&](std::size_t r) {
          const auto sub = forest.subtree(r);
          return std::any_of(sub.begin(), sub.end(), [&](std::size_t i) { return keep[i] != 0; });
        }))
      continue;
    if (o.format == ChainFormat::kText && !write_line("host " + host)) return stop();
    for (std::size_t r : roots)
      for (std::size_t i : forest.subtree(r))
        if (!emit_node(i)) return stop();
  }
  return result;
}

}  // namespace ioc::chain
