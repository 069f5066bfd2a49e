#include "ioc/chain/forest.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "ioc/text/ascii.hpp"

namespace ioc::chain {

std::string_view image_name(std::string_view image) {
  const std::size_t sep = image.find_last_of("\\/");
  return sep == std::string_view::npos ? image : image.substr(sep + 1);
}

std::string normalize_guid(std::string_view guid) {
  std::string out;
  out.reserve(guid.size());
  for (char c : guid) {
    if (c == '{' || c == '}' || c == ' ') continue;
    out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  }
  return out;
}

namespace {

std::string host_key(std::string_view host) {
  return text::to_lower_ascii(host);
}

// Time order; events without a time keep their input order.
bool earlier(const Node& a, std::size_t ia, const Node& b, std::size_t ib) {
  if (a.event.time != b.event.time) return a.event.time < b.event.time;
  return ia < ib;
}

}  // namespace

void Forest::add(events::ProcessEvent event) {
  event.guid = normalize_guid(event.guid);
  event.parent_guid = normalize_guid(event.parent_guid);
  Node n;
  n.event = std::move(event);
  nodes_.push_back(std::move(n));
  finished_ = false;
}

void Forest::finish() {
  if (finished_) return;
  finished_ = true;
  // A process logged by both Sysmon (EID 1) and Security (4688) is one process:
  // keep the Sysmon event (it has GUIDs and the parent's command line).
  {
    std::unordered_map<std::string, char> sysmon;
    const auto key = [](const events::ProcessEvent& e) {
      return host_key(e.host) + '\n' + std::to_string(e.pid) + '\n' +
             text::to_lower_ascii(image_name(e.image));
    };
    // Sysmon events without a ProcessId (seen in OTRF data) match by command line.
    const auto by_command = [](const events::ProcessEvent& e) {
      return host_key(e.host) + '\n' + text::to_lower_ascii(image_name(e.image)) + '\n' +
             e.command_line;
    };
    for (const Node& n : nodes_) {
      if (n.event.event_id != 1) continue;
      sysmon.emplace(n.event.pid != 0 ? key(n.event) : by_command(n.event), 1);
    }
    // The same event read twice (overlapping exports): one node per host and GUID.
    std::unordered_map<std::string, char> seen_guid;
    std::erase_if(nodes_, [&](const Node& n) {
      return !n.event.guid.empty() &&
             !seen_guid.emplace(host_key(n.event.host) + '\n' + n.event.guid, 1).second;
    });
    if (!sysmon.empty())
      std::erase_if(nodes_, [&](const Node& n) {
        return n.event.event_id == 4688 && ((n.event.pid != 0 && sysmon.count(key(n.event)) > 0) ||
                                            sysmon.count(by_command(n.event)) > 0);
      });
  }
  const std::size_t logged = nodes_.size();
  // Indexes: (host, guid) -> node; (host, pid) -> nodes in time order.
  std::unordered_map<std::string, std::size_t> by_guid;
  std::map<std::pair<std::string, std::uint64_t>, std::vector<std::size_t>> by_pid;
  for (std::size_t i = 0; i < logged; ++i) {
    const auto& e = nodes_[i].event;
    const std::string h = host_key(e.host);
    if (!e.guid.empty()) by_guid.emplace(h + '\n' + e.guid, i);
    if (e.pid != 0) by_pid[{h, e.pid}].push_back(i);
  }
  for (auto& [key, list] : by_pid)
    std::sort(list.begin(), list.end(),
              [&](std::size_t a, std::size_t b) { return earlier(nodes_[a], a, nodes_[b], b); });
  // Synthesized parents, shared by the children that name the same one.
  std::unordered_map<std::string, std::size_t> synthesized;
  for (std::size_t i = 0; i < logged; ++i) {
    const events::ProcessEvent e = nodes_[i].event;  // copy: nodes_ may grow below
    const std::string h = host_key(e.host);
    std::size_t parent = kNone;
    if (!e.parent_guid.empty()) {
      if (auto it = by_guid.find(h + '\n' + e.parent_guid); it != by_guid.end())
        parent = it->second;
    }
    if (parent == kNone && e.parent_guid.empty() && e.ppid != 0) {
      // No GUIDs: the most recent earlier process with the parent's PID (and
      // image file name, when the child names it).
      if (auto it = by_pid.find({h, e.ppid}); it != by_pid.end()) {
        for (auto c = it->second.rbegin(); c != it->second.rend(); ++c) {
          if (*c == i || !earlier(nodes_[*c], *c, nodes_[i], i)) continue;
          const auto& cand = nodes_[*c].event;
          if (!e.parent_image.empty() &&
              !text::iequals(image_name(cand.image), image_name(e.parent_image)))
            continue;
          parent = *c;
          break;
        }
      }
    }
    if (parent == kNone && (!e.parent_guid.empty() || e.ppid != 0 || !e.parent_image.empty() ||
                            !e.parent_command_line.empty())) {
      const std::string key =
          h + '\n' +
          (!e.parent_guid.empty() ? "guid:" + e.parent_guid
                                  : "pid:" + std::to_string(e.ppid) + '\n' + e.parent_image + '\n' +
                                        e.parent_command_line);
      auto [it, fresh] = synthesized.emplace(key, nodes_.size());
      if (fresh) {
        Node s;
        s.synthesized = true;
        s.event.host = e.host;
        s.event.guid = e.parent_guid;
        s.event.pid = e.ppid;
        s.event.image = e.parent_image;
        s.event.command_line = e.parent_command_line;
        s.event.time = e.time;  // not logged: the first child's time
        s.event.source = e.source;
        nodes_.push_back(std::move(s));
      }
      parent = it->second;
    }
    if (parent != kNone && parent != i) {
      nodes_[i].parent = parent;
      nodes_[parent].children.push_back(i);
    }
  }
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    auto& kids = nodes_[i].children;
    std::sort(kids.begin(), kids.end(),
              [&](std::size_t a, std::size_t b) { return earlier(nodes_[a], a, nodes_[b], b); });
  }
  // Depths from the roots; a GUID cycle in corrupt data is cut where it closes.
  std::vector<char> seen(nodes_.size(), 0);
  for (std::size_t r = 0; r < nodes_.size(); ++r) {
    if (nodes_[r].parent != kNone) continue;
    std::vector<std::size_t> stack{r};
    seen[r] = 1;
    while (!stack.empty()) {
      const std::size_t n = stack.back();
      stack.pop_back();
      for (std::size_t c : nodes_[n].children) {
        if (seen[c]) continue;
        seen[c] = 1;
        nodes_[c].depth = nodes_[n].depth + 1;
        stack.push_back(c);
      }
    }
  }
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (seen[i]) continue;  // on a cycle: make it a root
    Node& n = nodes_[i];
    auto& siblings = nodes_[n.parent].children;
    siblings.erase(std::remove(siblings.begin(), siblings.end(), i), siblings.end());
    n.parent = kNone;
    std::vector<std::size_t> stack{i};
    seen[i] = 1;
    n.depth = 0;
    while (!stack.empty()) {
      const std::size_t x = stack.back();
      stack.pop_back();
      for (std::size_t c : nodes_[x].children) {
        if (seen[c]) continue;
        seen[c] = 1;
        nodes_[c].depth = nodes_[x].depth + 1;
        stack.push_back(c);
      }
    }
  }
}

std::vector<std::string> Forest::hosts() const {
  std::map<std::string, std::string> by_key;
  for (const Node& n : nodes_) by_key.emplace(host_key(n.event.host), n.event.host);
  std::vector<std::string> out;
  for (auto& [k, v] : by_key) out.push_back(v);
  return out;
}

std::vector<std::size_t> Forest::roots(std::string_view host) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].parent == kNone && text::iequals(nodes_[i].event.host, host)) out.push_back(i);
  std::sort(out.begin(), out.end(),
            [&](std::size_t a, std::size_t b) { return earlier(nodes_[a], a, nodes_[b], b); });
  return out;
}

std::size_t Forest::find(std::string_view host, std::string_view guid_or_pid) const {
  const std::string guid = normalize_guid(guid_or_pid);
  const bool numeric = !guid.empty() && guid.find_first_not_of("0123456789") == std::string::npos &&
                       guid.size() < 20;
  std::size_t best = kNone;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const auto& e = nodes_[i].event;
    if (!host.empty() && !text::iequals(e.host, host)) continue;
    if (!e.guid.empty() && e.guid == guid) return i;
    if (numeric && e.pid == std::stoull(guid) &&
        (best == kNone || earlier(nodes_[best], best, nodes_[i], i)))
      best = i;
  }
  return best;
}

std::vector<std::size_t> Forest::subtree(std::size_t root) const {
  std::vector<std::size_t> out;
  std::vector<std::size_t> stack{root};
  while (!stack.empty() && out.size() <= nodes_.size()) {
    const std::size_t n = stack.back();
    stack.pop_back();
    out.push_back(n);
    const auto& kids = nodes_[n].children;
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(*it);
  }
  return out;
}

std::vector<std::size_t> Forest::ancestors(std::size_t i) const {
  std::vector<std::size_t> out;
  while (i != kNone && out.size() <= nodes_.size()) {
    out.push_back(i);
    i = nodes_[i].parent;
  }
  return out;
}

std::vector<Group> group_by_parent_command_line(const Forest& forest, bool across_hosts) {
  std::map<std::string, std::size_t> index;  // key -> position in out
  std::vector<Group> out;
  std::vector<std::vector<std::size_t>> parents;
  for (std::size_t i = 0; i < forest.nodes().size(); ++i) {
    const Node& p = forest.node(i);
    if (p.children.empty() || p.event.command_line.empty()) continue;
    const std::string key =
        (across_hosts ? std::string() : text::to_lower_ascii(p.event.host) + '\n') +
        p.event.command_line;
    auto [it, fresh] = index.emplace(key, out.size());
    if (fresh) {
      out.push_back({p.event.command_line, {}, 0, {}});
      parents.emplace_back();
    }
    Group& g = out[it->second];
    ++g.parent_instances;
    if (std::none_of(g.hosts.begin(), g.hosts.end(),
                     [&](const std::string& h) { return text::iequals(h, p.event.host); }))
      g.hosts.push_back(p.event.host);
    g.children.insert(g.children.end(), p.children.begin(), p.children.end());
  }
  const auto& nodes = forest.nodes();
  for (Group& g : out) {
    std::sort(g.hosts.begin(), g.hosts.end());
    std::sort(g.children.begin(), g.children.end(),
              [&](std::size_t a, std::size_t b) { return earlier(nodes[a], a, nodes[b], b); });
  }
  std::stable_sort(out.begin(), out.end(), [&](const Group& a, const Group& b) {
    const std::size_t fa = a.children.front(), fb = b.children.front();
    return earlier(nodes[fa], fa, nodes[fb], fb);
  });
  return out;
}

}  // namespace ioc::chain
