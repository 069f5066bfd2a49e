// ioc/chain/forest.hpp — process trees from process-creation events, per host.
//
//   chain::Forest forest;
//   for (auto& ev : events) forest.add(std::move(ev));
//   forest.finish();                          // links, synthesized parents, depths
//   for (const auto& host : forest.hosts())
//     for (std::size_t root : forest.roots(host)) print(forest, root);
//   auto groups = chain::group_by_parent_command_line(forest, /*across_hosts=*/true);
//
// Linking: by ParentProcessGuid → ProcessGuid on the same host, compared
// case-insensitively (braces dropped). Without GUIDs: the most recent earlier
// process on that host with the parent's PID (and, when the child names the
// parent's image, the same image file name), so a reused PID does not merge
// unrelated processes. A parent that was never logged itself, only named by
// its children (ParentImage, ParentCommandLine, ids), becomes one synthesized
// node shared by those children. Trees never cross hosts (remote execution is
// not an edge). A process logged both by Sysmon and by Security 4688 (same
// host, PID and image file name) is kept once, as its Sysmon event; an event
// read twice (same host and GUID, e.g. overlapping exports) once. Memory: one
// node per process event kept.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/events/process_event.hpp"

namespace ioc::chain {

inline constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

struct Node {
  events::ProcessEvent event;
  bool synthesized = false;  ///< the parent of logged children, never logged itself
  std::size_t parent = kNone;
  std::vector<std::size_t> children;  ///< in time order
  std::size_t depth = 0;              ///< 0 for a root
};

class Forest {
 public:
  /// Adds one process-creation event.
  void add(events::ProcessEvent event);
  /// Links every node, synthesizes missing parents, orders children by time and
  /// computes depths. Call once, after the last add().
  void finish();

  const std::vector<Node>& nodes() const noexcept { return nodes_; }
  const Node& node(std::size_t i) const { return nodes_[i]; }
  /// Hosts in name order (as logged; compared case-insensitively).
  std::vector<std::string> hosts() const;
  /// The roots of one host, in time order.
  std::vector<std::size_t> roots(std::string_view host) const;
  /// Node index by host and GUID (braces and case ignored) or decimal PID (the
  /// most recent process with it); kNone when absent.
  std::size_t find(std::string_view host, std::string_view guid_or_pid) const;
  /// Pre-order walk of the subtree under `root` (root first).
  std::vector<std::size_t> subtree(std::size_t root) const;
  /// `i`, its parent, ... up to the root, root last.
  std::vector<std::size_t> ancestors(std::size_t i) const;

 private:
  std::vector<Node> nodes_;
  bool finished_ = false;
};

/// "C:\\Windows\\System32\\ftp.exe" -> "ftp.exe".
std::string_view image_name(std::string_view image);
/// Upper case, braces removed: "{3ff...}" -> "3FF...".
std::string normalize_guid(std::string_view guid);

struct Group {
  std::string parent_command_line;
  std::vector<std::string> hosts;     ///< where the parent ran, in name order
  std::size_t parent_instances = 0;   ///< distinct parent processes with this command line
  std::vector<std::size_t> children;  ///< their children, in time order
};

/// Children grouped under each distinct parent command line (as the analyst's
/// `stats count by ParentCommandLine`); with across_hosts false, one group per
/// host and command line. Groups are ordered by the time of their first child.
std::vector<Group> group_by_parent_command_line(const Forest& forest, bool across_hosts);

}  // namespace ioc::chain
