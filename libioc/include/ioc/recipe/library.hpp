// ioc/recipe/library.hpp — named recipes: `--recipe NAME|FILE|INLINE`.
//
// A NAME is looked up as NAME.recipe in, in order: each directory of
// $IOC_RECIPE_PATH (':'-separated), the installed data directory
// (<prefix>/share/ioc-toolkit/recipes, found next to the running executable and
// at the configured install prefix), and the source tree's recipes/ (so tools run
// from a build directory find them).
//
//   load_recipe("ps-enc")                              // recipes/ps-enc.recipe
//   load_recipe("./mine.recipe")                       // a file
//   load_recipe("from_base64 | decode_text utf-16le")  // inline text
//   load_recipe("From_Base64('A-Za-z0-9+/=',true,false)")  // inline CyberChef
//
// A spec that names an existing file is read from it; else a spec that looks like
// a name ([A-Za-z0-9_.-]+) and is found on the path is that recipe; anything else
// is parsed inline. Errors name the file or recipe they come from.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/core/result.hpp"
#include "ioc/recipe/parse.hpp"

namespace ioc::recipe {

struct NamedRecipe {
  std::string name;  ///< file name without ".recipe"
  std::filesystem::path path;
  std::string summary;  ///< the file's first comment line, without '#'
};

/// The directories searched for named recipes, in order (existing ones only).
std::vector<std::filesystem::path> recipe_search_path();

/// The first `name` (a file or a directory) in a directory of the search path,
/// e.g. "c2-certificates.json" or "sigma"; empty when none has it.
std::filesystem::path find_on_search_path(std::string_view name);

/// Every named recipe on the search path (first one wins for a name), by name.
std::vector<NamedRecipe> list_recipes();

Result<Recipe> load_recipe(std::string_view spec);

}  // namespace ioc::recipe
