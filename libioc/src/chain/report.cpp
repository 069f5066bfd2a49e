#include "ioc/chain/report.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "ioc/chain/forest.hpp"
#include "ioc/decode/peeler.hpp"
#include "ioc/events/process_event.hpp"
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
    std::string lower;
    lower.reserve(std::min<std::size_t>(s.size(), 4096));
    for (char c : s.substr(0, 4096))
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower.find(" -e") != std::string::npos || lower.find(" /e") != std::string::npos ||
           lower.find("frombase64string") != std::string::npos;
  }

  std::map<std::string, std::optional<Decoded>> cache_;
};

ordered_json decoded_json(const std::optional<Decoded>& d) {
  if (!d) return nullptr;
  return ordered_json{
      {"framework", d->framework}, {"server", d->server}, {"first_line", d->first_line}};
}

ordered_json node_json(const Node& n, const std::optional<Decoded>& d) {
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
  j["alerts"] = ordered_json::array();
  return j;
}

std::string short_text(std::string_view s, bool wide) {
  if (wide || s.size() <= 120) return std::string(s);
  return std::string(s.substr(0, 117)) + "...";
}

std::string text_line(const Node& n, const std::optional<Decoded>& d, bool wide) {
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
  return line;
}

}  // namespace

bool run_cmdchain(const io::InputOptions& input, const ChainOptions& o, io::Output& out,
                  io::Diagnostics& diag) {
  Forest forest;
  events::EventReader reader;
  std::string current_source;
  bool csv = false;
  std::size_t other = 0;
  io::for_each_record(input, diag, [&](io::Record& rec) {
    if (rec.source.name != current_source || rec.source.line == 1) {
      current_source = std::string(rec.source.name);
      csv = false;
      if (events::EventReader::looks_like_csv_header(rec.text)) {
        std::string error;
        if (!reader.parse_csv_header(rec.text, &error))
          diag.record_error(rec.source, "CSV header: " + error);
        else
          csv = true;
        return true;
      }
    }
    events::ParseResult r = csv ? reader.parse_csv_row(rec.text) : reader.parse_line(rec.text);
    switch (r.kind) {
      case events::ParseKind::kError: diag.record_error(rec.source, r.error); return true;
      case events::ParseKind::kOther: ++other; return true;
      case events::ParseKind::kProcess: break;
    }
    const auto& e = r.event;
    if (!o.host.empty() && !text::iequals(e.host, o.host)) return true;
    if (!o.since.empty() && !e.time.empty() && e.time < o.since) return true;
    if (!o.until.empty() && !e.time.empty() && e.time > o.until) return true;
    diag.count_ok();
    forest.add(std::move(r.event));
    return true;
  });
  forest.finish();
  if (other > 0)
    diag.note(std::to_string(other) + " record(s) were not process-creation events (skipped)");

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
      return true;
    }
    only = o.root.empty() ? forest.ancestors(at) : forest.subtree(at);
    if (o.root.empty()) std::reverse(only.begin(), only.end());  // root first
  }

  // --image / --user: the matching processes, their ancestors and descendants.
  const bool filtered = !o.image.empty() || !o.user.empty();
  std::vector<char> keep(forest.nodes().size(), filtered ? 0 : 1);
  std::vector<char> match(forest.nodes().size(), filtered ? 0 : 1);
  if (filtered) {
    for (std::size_t i = 0; i < forest.nodes().size(); ++i) {
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

  const auto write_line = [&](const std::string& s) {
    out.write(out.is_tty() ? io::escape_for_terminal(s) : s);
    out.end_record();
    return !out.broken_pipe();
  };

  if (o.group_by_parent) {
    for (Group g : group_by_parent_command_line(forest, o.across_hosts)) {
      std::erase_if(g.children, [&](std::size_t c) { return !match[c]; });
      if (g.children.empty()) continue;
      if (o.format == ChainFormat::kText) {
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
        if (!write_line(head)) return false;
        for (std::size_t c : g.children) {
          const auto& e = forest.node(c).event;
          if (!write_line("    " + e.time + "  " + e.host + "  " +
                          std::string(image_name(e.image)) + "  " +
                          short_text(e.command_line, o.wide)))
            return false;
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
                                   {"command_line", e.command_line}});
        }
        out.write(dump(j));
        out.end_record();
        if (out.broken_pipe()) return false;
      }
    }
    return true;
  }

  const auto emit_node = [&](std::size_t i) {
    const Node& n = forest.node(i);
    if (!keep[i]) return true;
    if (o.format == ChainFormat::kText) return write_line(text_line(n, decoded(n), o.wide));
    out.write(dump(node_json(n, decoded(n))));
    out.end_record();
    return !out.broken_pipe();
  };

  if (!only.empty()) {
    for (std::size_t i : only)
      if (!emit_node(i)) return false;
    return true;
  }

  for (const std::string& host : forest.hosts()) {
    const std::vector<std::size_t> roots = forest.roots(host);
    if (o.format == ChainFormat::kJson) {
      // Nested: {host, roots: [{..., children: [...]}]}, built bottom-up.
      std::function<ordered_json(std::size_t, std::size_t)> nest = [&](std::size_t i,
                                                                       std::size_t level) {
        const Node& n = forest.node(i);
        ordered_json j = node_json(n, decoded(n));
        j.erase("alerts");
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
        if (keep[r]) h["roots"].push_back(nest(r, 0));
      if (h["roots"].empty()) continue;
      out.write(dump(h));
      out.end_record();
      if (out.broken_pipe()) return false;
      continue;
    }
    if (std::none_of(roots.begin(), roots.end(), [&](std::size_t r) { return keep[r] != 0; }))
      continue;
    if (o.format == ChainFormat::kText && !write_line("host " + host)) return false;
    for (std::size_t r : roots)
      for (std::size_t i : forest.subtree(r))
        if (!emit_node(i)) return false;
  }
  return true;
}

}  // namespace ioc::chain
