// psdecode — Peel every encoding layer of command lines and scripts (base64, UTF-16LE, deflate,
// char codes, ...). A thin front-end: options here, all the work in libioc.
#include <exception>

#include "common/options.hpp"

int main(int argc, char** argv) try {
  static constexpr ioc::tools::ToolInfo kInfo{
      "psdecode",
      "Peel every encoding layer of command lines and scripts (base64, UTF-16LE, deflate, char "
      "codes, ...).",
      "[OPTIONS] [FILE]...",
      true,
      "decoded",
  };
  ioc::tools::CommandLine cmd(kInfo);
  if (auto code = cmd.parse(argc, argv)) return *code;
  if (!cmd.common().recipe.empty()) return ioc::tools::run_recipe_mode(cmd);
  return cmd.usage_error("automatic layer peeling is not built yet; give a recipe, e.g. -r ps-enc");
} catch (const std::exception& e) {
  return ioc::tools::report_internal_error("psdecode", e);
}
