// ioc/chain/report.hpp — cmdchain's job: event inputs -> forest -> rules ->
// trees, groups, alerts or pictures.
//
//   ChainOptions o;
//   o.format = ChainFormat::kAlerts;
//   ChainResult r = run_cmdchain(input, o, out, diag);
//
// Inputs: each named file is an .evtx file (recognized by its magic, read with
// events::EvtxReader) or text: one XML or JSON event per line, pretty-printed
// or array-wrapped JSON (events::RecordAssembler), or CSV with a header line.
// Events go through the filters (--host, --since, --until) into a
// chain::Forest; then the Sigma rules (--rules, or the shipped recipes/sigma/)
// run over every logged process (sigma::Matcher) and their alerts are marked
// on the nodes. Written: `text` (an indented tree per host), `jsonl` (one
// object per process in tree order), `json` (nested trees per host), `groups`
// (one record per parent command line with its ordered children), `alerts`
// (one record per alert), `dot`, `mermaid`, `sankey`, `html` (chain/render.hpp).
// Records that are not events are reported with FILE:LINE (or FILE:record N)
// and skipped; other event kinds are counted.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/io/diagnostics.hpp"
#include "ioc/io/output.hpp"
#include "ioc/io/records.hpp"

namespace ioc::chain {

enum class ChainFormat { kText, kJsonl, kJson, kGroups, kAlerts, kDot, kMermaid, kSankey, kHtml };

struct ChainOptions {
  ChainFormat format = ChainFormat::kText;
  bool group_by_parent = false;  ///< --group-by parent-cmdline (text or jsonl)
  bool across_hosts = false;     ///< groups across hosts
  bool wide = false;             ///< text: whole command lines
  bool decode = true;            ///< decode encoded command lines (psdecode's peeler)
  std::string host;              ///< only this host (case-insensitive)
  std::string since, until;      ///< ISO 8601 bounds on event time (inclusive)
  std::string root;              ///< GUID or PID: only its subtree
  std::string ancestors;         ///< GUID or PID: only its path to the root
  /// Only processes whose image file name / user contains this (case-insensitive),
  /// shown with their ancestors and descendants; with groups, only such children.
  std::string image, user;
  /// Sigma rule files or directories; empty: the shipped recipes/sigma/.
  std::vector<std::string> rules;
  bool no_rules = false;  ///< --no-rules: no alerts at all
  std::string min_level;  ///< only alerts at or above this level ("" = all)
  bool strict = false;    ///< --strict: stop at the first unreadable record
};

struct ChainResult {
  bool completed = true;   ///< false when output stopped early (closed pipe)
  std::size_t alerts = 0;  ///< alerts raised (after --min-level)
};

/// Reads every input and writes the result.
ChainResult run_cmdchain(const io::InputOptions& input, const ChainOptions& options,
                         io::Output& out, io::Diagnostics& diag);

/// The directory of the shipped Sigma rules (recipes/sigma under the recipe
/// search path: $IOC_RECIPE_PATH, the installed data, the source tree); "" if none.
std::string default_rules_dir();

/// The format named `name` ("text", "jsonl", "json", "groups", "alerts", "dot",
/// "mermaid", "sankey", "html"); nullopt for others.
std::optional<ChainFormat> chain_format_from_name(std::string_view name);

/// "informational" < "low" < "medium" < "high" < "critical"; -1 for others.
int level_rank(std::string_view level);

}  // namespace ioc::chain
