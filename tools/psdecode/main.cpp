// psdecode — Peel every encoding layer of command lines and scripts (base64, UTF-16LE, deflate,
// char codes, ...). A thin front-end: options here, all the work in libioc.
#include "common/options.hpp"

int main(int argc, char** argv) {
  static constexpr ioc::tools::ToolInfo kInfo{
      .name = "psdecode",
      .summary =
          "Peel every encoding layer of command lines and scripts (base64, UTF-16LE, deflate, char "
          "codes, ...).",
      .usage = "[OPTIONS] [FILE]...",
      .recipe_short_r = true,
      .ok_verb = "decoded",
  };
  return ioc::tools::run_recipe_only_tool(
      kInfo, argc, argv, "automatic layer peeling is not built yet; give a recipe, e.g. -r ps-enc");
}
