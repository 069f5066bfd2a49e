// cmdchain — Rebuild process trees from Sysmon process-creation events and flag attack sequences.
// A thin front-end: options here, all the work in libioc.
#include "common/options.hpp"

int main(int argc, char** argv) {
  static constexpr ioc::tools::ToolInfo kInfo{
      .name = "cmdchain",
      .summary =
          "Rebuild process trees from Sysmon process-creation events and flag attack sequences.",
      .usage = "[OPTIONS] [FILE]...",
      .recipe_short_r = false,
      .ok_verb = "decoded",
  };
  return ioc::tools::run_recipe_only_tool(
      kInfo, argc, argv, "process trees are not built yet; only --recipe runs in this version");
}
