// ioc/recipe/parse.hpp — recipes in our syntax and in CyberChef's two syntaxes.
//
// Our text syntax: one operation per line, or several separated by '|'; each
// operation is its name followed by arguments, positional or `name=value`;
// values with spaces are quoted ('single' as is, "double" with \n \t \r \0 \\ \"
// \xNN escapes, any other backslash kept, so "\s+" stays a regex); '#' at the
// start of a word starts a comment. Quoted and plain pieces next to each other
// make one word, as in the shell.
//
//   # recipes/ps-enc.recipe
//   from_base64
//   decode_text utf-16le
//   to_lower_case
//
//   from_base64 alphabet=url | xor key=41 key_format=hex
//
// CyberChef recipe JSON (what "Save recipe > JSON" writes):
//   [{"op":"From Base64","args":["A-Za-z0-9+/=",true,false]},{"op":"Decode text","args":["UTF-16LE
//   (1200)"]}]
// CyberChef's compact form (what it puts in URLs and "Save recipe > Chef format"):
//   From_Base64('A-Za-z0-9+/=',true,false)Decode_text('UTF-16LE (1200)')
// CyberChef steps that are disabled are skipped; breakpoints are ignored.
// CyberChef arguments our operation cannot honour are kUnsupported, never
// silently reinterpreted.
//
// Errors say where: "recipe line 2: unknown operation 'from_bas64'; did you mean 'from_base64'?".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ioc/core/result.hpp"
#include "ioc/recipe/operation.hpp"

namespace ioc::recipe {

struct Step {
  const OperationInfo* op = nullptr;
  Args args;
};

struct Recipe {
  std::vector<Step> steps;
};

enum class RecipeSyntax {
  kAuto,  ///< '[' -> CyberChef JSON, "Name_Words(" -> compact, else text
  kText,
  kCyberChefJson,
  kCyberChefCompact,
};

Result<Recipe> parse_recipe(std::string_view text, RecipeSyntax syntax = RecipeSyntax::kAuto);

/// Our syntax on one line: "from_base64 | decode_text utf-16le". Arguments equal
/// to their default are left out; values are quoted when needed.
std::string to_text(const Recipe& recipe);

/// CyberChef recipe JSON, or kUnsupported naming the first step CyberChef has no
/// operation for.
Result<std::string> to_cyberchef_json(const Recipe& recipe);
/// CyberChef compact form, or kUnsupported as above.
Result<std::string> to_cyberchef_compact(const Recipe& recipe);

}  // namespace ioc::recipe
