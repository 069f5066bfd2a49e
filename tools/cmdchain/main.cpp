// cmdchain — rebuild process trees from Sysmon / Security process-creation events,
// group children by parent command line, and decode encoded parents. A thin
// front-end: options here, the work in libioc (events/, chain/).
#include <exception>

#include "common/options.hpp"
#include "ioc/chain/report.hpp"
#include "ioc/io/output.hpp"

namespace {

namespace po = boost::program_options;

int run(int argc, char** argv) {
  static constexpr ioc::tools::ToolInfo kInfo{
      .name = "cmdchain",
      .summary =
          "Rebuild process trees from Sysmon and Security process-creation events, group "
          "children by parent command line, and decode encoded parents.",
      .usage = "[OPTIONS] [FILE]...",
      .recipe_short_r = false,
      .ok_verb = "read as process events",
      .extra_formats = "json",
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
                                             "only this process and its ancestors, root first");
  if (auto code = cmd.parse(argc, argv)) return *code;
  const auto& common = cmd.common();
  if (!common.recipe.empty()) return ioc::tools::run_recipe_mode(cmd);
  const auto& vm = cmd.vm();
  if (!common.input.field.empty() || common.input.whole)
    return cmd.usage_error("--field and --whole do not apply: cmdchain reads event records");

  ioc::chain::ChainOptions o;
  if (common.extra_format)
    o.format = ioc::chain::ChainFormat::kJson;
  else if (common.format == ioc::io::OutputFormat::kJsonl)
    o.format = ioc::chain::ChainFormat::kJsonl;
  else if (common.format == ioc::io::OutputFormat::kText)
    o.format = ioc::chain::ChainFormat::kText;
  else
    return cmd.usage_error("--format: cmdchain writes text, jsonl or json");
  if (vm.count("group-by")) {
    if (vm["group-by"].as<std::string>() != "parent-cmdline")
      return cmd.usage_error("--group-by: use parent-cmdline");
    if (o.format == ioc::chain::ChainFormat::kJson)
      return cmd.usage_error("--group-by writes text or jsonl");
    o.group_by_parent = true;
  }
  o.across_hosts = vm.count("across-hosts") > 0;
  if (o.across_hosts && !o.group_by_parent)
    return cmd.usage_error("--across-hosts needs --group-by");
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

  return ioc::tools::run_job(cmd, [&](ioc::io::Output& out, ioc::io::Diagnostics& diag) {
    ioc::chain::run_cmdchain(common.input, o, out, diag);
  });
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    return ioc::tools::report_internal_error("cmdchain", e);
  }
}
