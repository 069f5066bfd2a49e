// iocgrep — Extract indicators of compromise (IPs, domains, URLs, hashes, ...) from any text,
// defanged or not. A thin front-end: options here, all the work in libioc.
#include <exception>

#include "common/options.hpp"

int main(int argc, char** argv) try {
  static constexpr ioc::tools::ToolInfo kInfo{
      "iocgrep",
      "Extract indicators of compromise (IPs, domains, URLs, hashes, ...) from any text, defanged "
      "or not.",
      "[OPTIONS] [FILE]...",
      false,
      "decoded",
  };
  ioc::tools::CommandLine cmd(kInfo);
  if (auto code = cmd.parse(argc, argv)) return *code;
  if (!cmd.common().recipe.empty()) return ioc::tools::run_recipe_mode(cmd);
  return cmd.usage_error(
      "indicator extraction is not built yet; only --recipe runs in this version");
} catch (const std::exception& e) {
  return ioc::tools::report_internal_error("iocgrep", e);
}
