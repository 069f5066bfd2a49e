// psdecode — peel every encoding layer of command lines and scripts, and parse
// attack-framework stagers into fields. A thin front-end: options here, the
// work in libioc (decode/peeler.hpp, decode/report.hpp).
#include <sys/stat.h>

#include <cstdlib>
#include <exception>
#include <iostream>

#include "common/options.hpp"
#include "ioc/decode/report.hpp"
#include "ioc/io/output.hpp"
#include "ioc/io/parallel.hpp"

namespace {

namespace po = boost::program_options;

// A positional argument that is not a file is text to decode, so a pasted
// command line works without a pipe. "-" is standard input.
bool is_input_file(const std::string& arg) {
  if (arg == "-") return true;
  struct stat st;
  return ::stat(arg.c_str(), &st) == 0;
}

int run(int argc, char** argv) {
  static constexpr ioc::tools::ToolInfo kInfo{
      .name = "psdecode",
      .summary =
          "Peel every encoding layer of command lines and scripts (base64, UTF-16LE, deflate, "
          "char codes, ...) and parse Empire and other stagers into fields.",
      .usage = "[OPTIONS] [FILE|TEXT]...",
      .recipe_short_r = true,
      .ok_verb = "decoded",
  };
  ioc::tools::CommandLine cmd(kInfo);
  cmd.tool_options().add_options()("pretty", "print decoded scripts one statement per line")(
      "explain", "print the recipe (ours and CyberChef's) that reproduces each layer")(
      "no-fold", "do not constant-fold PowerShell obfuscation ('a'+'b', -f, [char]N, ...)")(
      "artifacts-dir", po::value<std::string>()->value_name("DIR"),
      "write every binary artifact (PE, shellcode) to DIR/<sha256>.bin")(
      "jobs,j", po::value<unsigned>()->value_name("N"),
      "decode with N threads (default: the number of CPUs, at most 8); output keeps the input "
      "order")("color", po::value<std::string>()->value_name("WHEN")->default_value("auto"),
               "highlight the text report: auto (on a terminal, unless NO_COLOR), always or never");
  if (auto code = cmd.parse(argc, argv)) return *code;
  const auto& common = cmd.common();
  if (!common.recipe.empty()) return ioc::tools::run_recipe_mode(cmd);
  const auto& vm = cmd.vm();

  ioc::decode::RunOptions opt;
  opt.peel.limits = common.limits;
  opt.peel.fold = vm.count("no-fold") == 0;
  opt.format = common.format;
  opt.output_key = common.output_key;
  opt.text.pretty = vm.count("pretty") > 0;
  opt.text.explain = vm.count("explain") > 0;
  opt.jobs = vm.count("jobs") ? vm["jobs"].as<unsigned>() : ioc::io::default_jobs();
  if (opt.jobs == 0) return cmd.usage_error("--jobs must be at least 1");
  const std::string color = vm["color"].as<std::string>();
  if (color != "auto" && color != "always" && color != "never")
    return cmd.usage_error("--color: use auto, always or never");
  if (vm.count("artifacts-dir")) {
    opt.artifacts_dir = vm["artifacts-dir"].as<std::string>();
    struct stat st;
    if (::stat(opt.artifacts_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      return cmd.usage_error("--artifacts-dir: '" + opt.artifacts_dir + "' is not a directory");
  }

  ioc::io::InputOptions input = common.input;
  std::vector<std::string> texts;
  input.paths.clear();
  for (const std::string& arg : common.input.paths)
    (is_input_file(arg) ? input.paths : texts).push_back(arg);

  return ioc::tools::run_job(cmd, [&](ioc::io::Output& out, ioc::io::Diagnostics& diag) {
    opt.text.color =
        color == "always" || (color == "auto" && out.is_tty() && !std::getenv("NO_COLOR"));
    ioc::decode::peel_records(input, texts, opt, out, diag);
  });
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    return ioc::tools::report_internal_error("psdecode", e);
  }
}
