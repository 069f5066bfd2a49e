// cmdchain — Rebuild process trees from Sysmon process-creation events and flag attack sequences.
// A thin front-end: options here, all the work in libioc.
#include <exception>

#include "common/options.hpp"

int main(int argc, char** argv) try {
  static constexpr ioc::tools::ToolInfo kInfo{
      "cmdchain",
      "Rebuild process trees from Sysmon process-creation events and flag attack sequences.",
      "[OPTIONS] [FILE]...",
      false,
      "decoded",
  };
  ioc::tools::CommandLine cmd(kInfo);
  if (auto code = cmd.parse(argc, argv)) return *code;
  if (!cmd.common().recipe.empty()) return ioc::tools::run_recipe_mode(cmd);
  return cmd.usage_error("process trees are not built yet; only --recipe runs in this version");
} catch (const std::exception& e) {
  return ioc::tools::report_internal_error("cmdchain", e);
}
