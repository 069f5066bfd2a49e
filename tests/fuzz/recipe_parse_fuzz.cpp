// Fuzzes the recipe parser in all three syntaxes (ours, CyberChef JSON and
// compact), then checks that what parses can be written back and re-read,
// and runs it on a small input with small limits.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ioc/recipe/parse.hpp"
#include "ioc/recipe/run.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using ioc::recipe::RecipeSyntax;
  for (auto syntax : {RecipeSyntax::kAuto, RecipeSyntax::kText, RecipeSyntax::kCyberChefJson,
                      RecipeSyntax::kCyberChefCompact}) {
    auto recipe = ioc::recipe::parse_recipe(text, syntax);
    if (!recipe) continue;
    // Our own syntax must read back what to_text writes.
    auto again = ioc::recipe::parse_recipe(ioc::recipe::to_text(*recipe), RecipeSyntax::kText);
    if (!again || again->steps.size() != recipe->steps.size()) std::abort();
    for (std::size_t i = 0; i < recipe->steps.size(); ++i)
      if (again->steps[i].op != recipe->steps[i].op ||
          again->steps[i].args.values() != recipe->steps[i].args.values())
        std::abort();
    if (auto cc = ioc::recipe::to_cyberchef_compact(*recipe)) {
      if (!ioc::recipe::parse_recipe(*cc, RecipeSyntax::kCyberChefCompact)) std::abort();
    }
    ioc::recipe::OpContext ctx;
    ctx.limits.max_output = 1 << 20;
    ctx.limits.max_inflate_total = 1 << 20;
    (void)ioc::recipe::run_recipe(*recipe, "aGVsbG8gd29ybGQ=\x00\x01\xff", ctx);
  }
  return 0;
}
