// certsum — One record per X.509 certificate, with fingerprints, serials and C2 default-certificate
// flags. A thin front-end: options here, all the work in libioc.
#include "common/options.hpp"

int main(int argc, char** argv) {
  static constexpr ioc::tools::ToolInfo kInfo{
      .name = "certsum",
      .summary =
          "One record per X.509 certificate, with fingerprints, serials and C2 default-certificate "
          "flags.",
      .usage = "[OPTIONS] [FILE]...",
      .recipe_short_r = false,
      .ok_verb = "decoded",
  };
  return ioc::tools::run_recipe_only_tool(
      kInfo, argc, argv,
      "certificate summaries are not built yet; only --recipe runs in this version");
}
