// iocgrep — Extract indicators of compromise (IPs, domains, URLs, hashes, ...) from any text,
// defanged or not. A thin front-end: options here, all the work in libioc.
#include "common/options.hpp"

int main(int argc, char** argv) {
  static constexpr ioc::tools::ToolInfo kInfo{
      .name = "iocgrep",
      .summary =
          "Extract indicators of compromise (IPs, domains, URLs, hashes, ...) from any text, "
          "defanged or not.",
      .usage = "[OPTIONS] [FILE]...",
      .recipe_short_r = false,
      .ok_verb = "decoded",
  };
  return ioc::tools::run_recipe_only_tool(
      kInfo, argc, argv,
      "indicator extraction is not built yet; only --recipe runs in this version");
}
