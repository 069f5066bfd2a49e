// certsum — One record per X.509 certificate, with fingerprints, serials and C2 default-certificate
// flags. A thin front-end: options here, all the work in libioc.
#include <exception>

#include "common/options.hpp"

int main(int argc, char** argv) try {
  static constexpr ioc::tools::ToolInfo kInfo{
      "certsum",
      "One record per X.509 certificate, with fingerprints, serials and C2 default-certificate "
      "flags.",
      "[OPTIONS] [FILE]...",
      false,
      "decoded",
  };
  ioc::tools::CommandLine cmd(kInfo);
  if (auto code = cmd.parse(argc, argv)) return *code;
  if (!cmd.common().recipe.empty()) return ioc::tools::run_recipe_mode(cmd);
  return cmd.usage_error(
      "certificate summaries are not built yet; only --recipe runs in this version");
} catch (const std::exception& e) {
  return ioc::tools::report_internal_error("certsum", e);
}
