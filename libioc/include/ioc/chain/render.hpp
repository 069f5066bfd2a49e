// ioc/chain/render.hpp — pictures of process trees: Graphviz DOT, Mermaid,
// Sankey CSV and one self-contained HTML page (inline SVG).
//
//   chain::RenderInput in{forest};
//   in.keep = ...; in.decoded = ...; in.alerts = ...;     // one entry per node
//   out.write(chain::render_dot(in));
//
// Every renderer draws the nodes with keep[i] != 0 (all when `keep` is empty),
// per host, edges parent -> child, in the forest's order (hosts by name, roots
// and children by time), so the output is deterministic for golden tests.
// Nodes with alerts are highlighted (red, with the rule titles); synthesized
// (never logged) parents are drawn dashed; a decoded hint is shown under the
// command line. All text is escaped for the target language.
#pragma once

#include <string>
#include <vector>

#include "ioc/chain/forest.hpp"

namespace ioc::chain {

struct NodeAlert {
  std::string rule_id;
  std::string title;
  std::string level;  ///< informational low medium high critical
};

// Members other than `forest` have default initializers (`{}`), so
// `RenderInput in{forest};` builds without -Wmissing-field-initializers.
struct RenderInput {
  const Forest& forest;
  /// Per node: drawn or not (empty: all nodes drawn).
  std::vector<char> keep{};
  /// Per node: a short decoded hint ("PowerShell Empire https://45.77.65.211:443"),
  /// "" for none (empty vector: none at all).
  std::vector<std::string> decoded{};
  /// Per node: the alerts that mark it (empty vector: none at all).
  std::vector<std::vector<NodeAlert>> alerts{};
  /// Whole command lines; otherwise cut to 80 characters in labels.
  bool wide = false;
  /// Page title for HTML ("cmdchain: <inputs>").
  std::string title = "cmdchain";
};

/// `digraph cmdchain { ... }`: one cluster per host, a node per process
/// labelled image name, pid, user and the (short) command line.
std::string render_dot(const RenderInput& in);

/// A Mermaid `flowchart LR` with one subgraph per host.
std::string render_mermaid(const RenderInput& in);

/// `parent,child,count` CSV (RFC 4180, with that header): one row per distinct
/// (parent command line, child command line) pair over the drawn edges, counted
/// across hosts, ordered by first appearance: the Sankey chart of parent ->
/// child command lines. A parent without a command line is named by its image.
std::string render_sankey(const RenderInput& in);

/// One self-contained HTML5 page (no external resources, no network): per host
/// an SVG drawing of the trees (boxes and elbow edges, laid out left to right
/// by depth), each subtree collapsible (a small inline script toggles it), alert
/// nodes highlighted with their rule titles, full command lines in tooltips
/// (<title>) and in a details table below the picture.
std::string render_html(const RenderInput& in);

}  // namespace ioc::chain
