// cmdchain — rebuild process trees from Sysmon / Security process-creation events,
// group children by parent command line, decode encoded parents and run Sigma
// rules over them. A thin front-end: options here, the work in libioc
// (events/, chain/, sigma/).
#include <exception>
#include <string>
#include <vector>

#include "common/options.hpp"
#include "ioc/chain/report.hpp"
#include "ioc/io/output.hpp"

namespace {

namespace po = boost::program_options;

int run(int argc, char** argv) {
  static constexpr ioc::tools::ToolInfo kInfo{
      .name = "cmdchain",
      .summary =
          "Rebuild process trees from Sysmon and Security process-creation events (XML, "
          "JSON, CSV, EVTX), group children by parent command line, decode encoded parents, "
          "and flag attack sequences with Sigma rules.",
      .usage = "[OPTIONS] [FILE]...",
      .recipe_short_r = false,
      .ok_verb = "read as process events",
      .extra_formats = "json groups alerts dot mermaid sankey html",
  };
  ioc::tools::CommandLine cmd(kInfo);
  cmd.tool_options().add_options()(
      "group-by", po::value<std::string>()->value_name("KEY"),
      "parent-cmdline: one record per parent command line with its children in time order")(
      "across-hosts", "with --group-by: one group for the same command line on every host")(
      "wide", "text: whole command lines (default: cut at 120 characters)")(
      "no-decode", "do not decode encoded command lines")(
      "host", po::value<std::string>()->value_name("NAME"), "only events of this host")(
      "since", po::value<std::string>()->value_name("TIME"),
      "only events at or after TIME (ISO 8601 UTC, e.g. 2017-08-22T23:00:00)")(
      "until", po::value<std::string>()->value_name("TIME"), "only events at or before TIME")(
      "image", po::value<std::string>()->value_name("NAME"),
      "only processes whose image file name contains NAME, with their ancestors and "
      "descendants")("user", po::value<std::string>()->value_name("NAME"),
                     "only processes whose user contains NAME, likewise")(
      "root", po::value<std::string>()->value_name("GUID|PID"),
      "only the subtree under this process")("ancestors",
                                             po::value<std::string>()->value_name("GUID|PID"),
                                             "only this process and its ancestors, root first")(
      "rules", po::value<std::vector<std::string>>()->value_name("PATH")->composing(),
      "Sigma rule file or directory (repeatable; default: the shipped recipes/sigma)")(
      "no-rules", "run no Sigma rules")(
      "min-level", po::value<std::string>()->value_name("LEVEL"),
      "only alerts of LEVEL or above: informational, low, medium, high, critical")(
      "strict", "stop at the first record that cannot be read")(
      "skip-errors", "report records that cannot be read and go on (the default)");
  if (auto code = cmd.parse(argc, argv)) return *code;
  const auto& common = cmd.common();
  if (!common.recipe.empty()) return ioc::tools::run_recipe_mode(cmd);
  const auto& vm = cmd.vm();
  if (!common.input.field.empty() || common.input.whole)
    return cmd.usage_error("--field and --whole do not apply: cmdchain reads event records");

  ioc::chain::ChainOptions o;
  using ioc::chain::ChainFormat;
  if (common.extra_format) {
    if (auto format = ioc::chain::chain_format_from_name(common.format_name)) o.format = *format;
  } else if (common.format == ioc::io::OutputFormat::kJsonl) {
    o.format = ChainFormat::kJsonl;
  } else if (common.format == ioc::io::OutputFormat::kText) {
    o.format = ChainFormat::kText;
  } else {
    return cmd.usage_error(
        "--format: cmdchain writes text, jsonl, json, groups, alerts, dot, mermaid, sankey or "
        "html");
  }
  if (vm.count("group-by")) {
    if (vm["group-by"].as<std::string>() != "parent-cmdline")
      return cmd.usage_error("--group-by: use parent-cmdline");
    if (o.format != ChainFormat::kText && o.format != ChainFormat::kJsonl &&
        o.format != ChainFormat::kGroups)
      return cmd.usage_error("--group-by writes text, jsonl or groups");
    o.group_by_parent = true;
  }
  if (o.format == ChainFormat::kGroups) o.group_by_parent = true;
  o.across_hosts = vm.count("across-hosts") > 0;
  if (o.across_hosts && !o.group_by_parent)
    return cmd.usage_error("--across-hosts needs --group-by or --format groups");
  o.wide = vm.count("wide") > 0;
  o.decode = vm.count("no-decode") == 0;
  if (vm.count("host")) o.host = vm["host"].as<std::string>();
  if (vm.count("since")) o.since = vm["since"].as<std::string>();
  if (vm.count("until")) o.until = vm["until"].as<std::string>();
  if (vm.count("image")) o.image = vm["image"].as<std::string>();
  if (vm.count("user")) o.user = vm["user"].as<std::string>();
  if (vm.count("root")) o.root = vm["root"].as<std::string>();
  if (vm.count("ancestors")) o.ancestors = vm["ancestors"].as<std::string>();
  if (!o.root.empty() && !o.ancestors.empty())
    return cmd.usage_error("--root and --ancestors cannot be combined");
  if ((!o.root.empty() || !o.ancestors.empty()) && o.group_by_parent)
    return cmd.usage_error("--root and --ancestors do not combine with --group-by");
  if (vm.count("rules")) o.rules = vm["rules"].as<std::vector<std::string>>();
  o.no_rules = vm.count("no-rules") > 0;
  if (o.no_rules && !o.rules.empty())
    return cmd.usage_error("--rules and --no-rules cannot be combined");
  if (o.no_rules && o.format == ChainFormat::kAlerts)
    return cmd.usage_error("--format alerts needs rules (drop --no-rules)");
  if (vm.count("min-level")) {
    o.min_level = vm["min-level"].as<std::string>();
    if (ioc::chain::level_rank(o.min_level) < 0)
      return cmd.usage_error("--min-level: use informational, low, medium, high or critical");
  }
  o.strict = vm.count("strict") > 0;
  if (o.strict && vm.count("skip-errors"))
    return cmd.usage_error("--strict and --skip-errors cannot be combined");

  // --format alerts is a search: 0 when an alert was raised, 1 when none.
  ioc::chain::ChainResult result;
  const int code = ioc::tools::run_job(cmd, [&](ioc::io::Output& out, ioc::io::Diagnostics& diag) {
    result = ioc::chain::run_cmdchain(common.input, o, out, diag);
  });
  if (code == 0 && result.completed && o.format == ChainFormat::kAlerts && result.alerts == 0)
    return 1;
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    return ioc::tools::report_internal_error("cmdchain", e);
  }
}
