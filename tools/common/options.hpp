// tools/common/options.hpp — the options every tool shares, and the recipe runner.
//
// A tool's main() describes itself (ToolInfo), adds its own options to
// tool_options(), calls parse(), and then runs either the recipe runner
// (--recipe) or its own pipeline. Everything testable lives in libioc; this is
// only option plumbing.
#pragma once

#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

#include "ioc/core/limits.hpp"
#include "ioc/io/diagnostics.hpp"
#include "ioc/io/output.hpp"
#include "ioc/io/records.hpp"
#include "ioc/io/writer.hpp"

namespace ioc::tools {

struct ToolInfo {
  std::string_view name;     ///< "psdecode"
  std::string_view summary;  ///< one line under the usage line
  std::string_view usage;    ///< "[OPTIONS] [FILE]..."
  bool recipe_short_r;       ///< -r is --recipe (false where -r means recursive)
  std::string_view ok_verb;  ///< what a successful record is called in --stats: "decoded"
  /// Formats the tool writes besides text/jsonl/csv/tsv ("plain json"); the
  /// tool reads the name from CommonOptions::format_name.
  std::string_view extra_formats = {};
};

struct CommonOptions {
  io::InputOptions input;
  io::OutputFormat format = io::OutputFormat::kText;
  std::string format_name = "text";  ///< --format as given
  bool extra_format = false;         ///< format_name is one of ToolInfo::extra_formats
  std::string recipe;                ///< --recipe NAME|FILE|INLINE; empty = the tool's own work
  std::string output_key;            ///< --output-field
  bool stats = false;
  bool no_messages = false;
  Limits limits;
};

class CommandLine {
 public:
  explicit CommandLine(const ToolInfo& info);

  /// Add the tool's own options here before parse().
  boost::program_options::options_description& tool_options() { return tool_; }

  /// Parses argv. Returns an exit code when the tool should stop now (--help,
  /// --version, --list-*, --help-op, --print-recipe, or a usage error: 2), or
  /// nullopt to go on.
  std::optional<int> parse(int argc, char** argv);

  const CommonOptions& common() const { return common_; }
  const boost::program_options::variables_map& vm() const { return vm_; }
  const ToolInfo& info() const { return info_; }

  /// "tool: message" + "Try 'tool --help'" on stderr; returns 2.
  int usage_error(std::string_view message) const;

 private:
  std::optional<int> finish_parse();
  void print_help() const;

  ToolInfo info_;
  boost::program_options::options_description generic_, input_, output_, recipe_, limits_, tool_;
  boost::program_options::variables_map vm_;
  CommonOptions common_;
  std::vector<std::string> inputs_;
};

/// The end every tool's main() shares: ignores SIGPIPE, runs `job` with the
/// standard output and the tool's Diagnostics (quiet with -s), flushes, reports
/// a write error, prints the --stats summary (also on a terminal after failed
/// records), and returns the exit code: the diagnostics' 0/1/2, 0 after a closed
/// pipe, and with `hit_wins` 0 whenever a record succeeded (grep -q).
int run_job(const CommandLine& cmd, const std::function<void(io::Output&, io::Diagnostics&)>& job,
            bool hit_wins = false);

/// SOURCE_DATE_EPOCH (reproducible-builds.org) when it is set, else the clock;
/// nullopt when it is set but not a number of seconds.
std::optional<std::time_t> source_date_epoch_or_now();

/// Seconds since the epoch, "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (UTC).
std::optional<std::time_t> parse_time(const std::string& text);

/// Runs --recipe over the inputs (the recipe runner every tool has) and returns
/// the exit code: 0 if a record was decoded, 1 if none, 2 on I/O errors.
int run_recipe_mode(const CommandLine& cmd);

/// main()'s last resort: turns an escaped exception into "tool: internal error" and 2.
int report_internal_error(std::string_view tool, const std::exception& e);

/// The whole main() of a tool whose own work is not built yet: shared options,
/// the recipe runner with --recipe, else `pending` as a usage error (exit 2).
int run_recipe_only_tool(const ToolInfo& info, int argc, char** argv, std::string_view pending);

}  // namespace ioc::tools
