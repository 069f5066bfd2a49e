#include "ioc/recipe/library.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "recipe/strings.hpp"

namespace ioc::recipe {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxRecipeFile = 1 * kMiB;

void add_if_dir(std::vector<fs::path>& dirs, const fs::path& dir) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return;
  const fs::path canon = fs::weakly_canonical(dir, ec);
  const fs::path& p = ec ? dir : canon;
  if (std::find(dirs.begin(), dirs.end(), p) == dirs.end()) dirs.push_back(p);
}

fs::path executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

bool looks_like_name(std::string_view spec) {
  if (spec.empty()) return false;
  return std::all_of(spec.begin(), spec.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

Result<std::string> read_recipe_file(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return make_error(ErrorCode::kIo, path.string() + ": " + ec.message());
  if (size > kMaxRecipeFile)
    return make_error(ErrorCode::kLimitExceeded, path.string() + ": recipe file larger than 1 MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kIo, path.string() + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<Recipe> parse_file(const fs::path& path) {
  IOC_ASSIGN_OR_RETURN(std::string text, read_recipe_file(path));
  auto r = parse_recipe(text);
  if (!r) return make_error(r.error().code, path.string() + ": " + r.error().message);
  return r;
}

std::string first_comment(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::string_view t = detail::trim(line);
    if (t.empty()) continue;
    if (t[0] != '#') return "";
    t.remove_prefix(1);
    t = detail::trim(t);
    // Skip a "# recipes/x.recipe" path line to reach the description.
    if (t.ends_with(".recipe")) continue;
    return std::string(t);
  }
  return "";
}

}  // namespace

std::vector<fs::path> recipe_search_path() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("IOC_RECIPE_PATH")) {
    std::string_view rest(env);
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      add_if_dir(dirs, fs::path(std::string(rest.substr(0, colon))));
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  const fs::path exe = executable_dir();
  if (!exe.empty()) add_if_dir(dirs, exe.parent_path() / "share" / "ioc-toolkit" / "recipes");
  add_if_dir(dirs, fs::path(IOC_INSTALL_DATA_DIR) / "recipes");
  add_if_dir(dirs, fs::path(IOC_SOURCE_DATA_DIR) / "recipes");
  return dirs;
}

fs::path find_on_search_path(std::string_view name) {
  for (const fs::path& dir : recipe_search_path()) {
    std::error_code ec;
    if (fs::exists(dir / name, ec)) return dir / name;
  }
  return {};
}

std::vector<NamedRecipe> list_recipes() {
  std::map<std::string, NamedRecipe> found;
  for (const fs::path& dir : recipe_search_path()) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() != ".recipe") continue;
      std::string name = entry.path().stem().string();
      if (found.count(name)) continue;
      found.emplace(name, NamedRecipe{name, entry.path(), first_comment(entry.path())});
    }
  }
  std::vector<NamedRecipe> out;
  for (auto& [name, r] : found) out.push_back(std::move(r));
  return out;
}

Result<Recipe> load_recipe(std::string_view spec) {
  std::error_code ec;
  const fs::path as_path{std::string(spec)};
  if (!spec.empty() && spec.find('\n') == std::string_view::npos &&
      fs::is_regular_file(as_path, ec))
    return parse_file(as_path);
  if (looks_like_name(spec)) {
    for (const fs::path& dir : recipe_search_path()) {
      const fs::path candidate = dir / (std::string(spec) + ".recipe");
      if (fs::is_regular_file(candidate, ec)) return parse_file(candidate);
    }
  }
  auto r = parse_recipe(spec);
  if (r || !looks_like_name(spec)) return r;
  // A bare word that is neither a recipe nor an operation: say both.
  return make_error(r.error().code, "no recipe named '" + std::string(spec) +
                                        "' (--list-recipes shows them) and " + r.error().message);
}

}  // namespace ioc::recipe
