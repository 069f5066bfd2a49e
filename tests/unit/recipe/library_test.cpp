#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "ioc/recipe/library.hpp"
#include "ioc/recipe/run.hpp"

using namespace ioc::recipe;
namespace fs = std::filesystem;

TEST_CASE("load_recipe: shipped names, files and inline text", "[recipe][library]") {
  auto named = load_recipe("ps-enc");
  REQUIRE(named);
  REQUIRE(named->steps.size() == 3);
  CHECK(named->steps[2].op->name == "to_lower_case");

  const fs::path file = fs::path(IOC_SOURCE_DIR) / "recipes" / "b64-gunzip.recipe";
  auto from_file = load_recipe(file.string());
  REQUIRE(from_file);
  CHECK(from_file->steps[1].op->name == "gunzip");

  auto inline_text = load_recipe("from_base64 | decode_text utf-16le");
  REQUIRE(inline_text);
  CHECK(inline_text->steps.size() == 2);

  auto single_op = load_recipe("gunzip");  // not a recipe name: an operation
  REQUIRE(single_op);
  CHECK(single_op->steps[0].op->name == "gunzip");

  auto missing = load_recipe("ps-ecn");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.rfind("no recipe named 'ps-ecn' (--list-recipes shows them) and ",
                                      0) == 0);
}

TEST_CASE("load_recipe: every shipped recipe parses", "[recipe][library]") {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(IOC_SOURCE_DIR) / "recipes")) {
    if (entry.path().extension() != ".recipe") continue;
    INFO(entry.path());
    CHECK(load_recipe(entry.path().string()));
    ++count;
  }
  CHECK(count >= 5);
}

TEST_CASE("load_recipe: errors in a file name the file", "[recipe][library]") {
  char tmpl[] = "/tmp/ioc-lib-test-XXXXXX";
  const fs::path dir = mkdtemp(tmpl);
  std::ofstream(dir / "bad.recipe") << "from_base64\nto_lowercase\n";
  auto bad = load_recipe((dir / "bad.recipe").string());
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find((dir / "bad.recipe").string() +
                                 ": recipe line 2: unknown operation") == 0);
  fs::remove_all(dir);
}

TEST_CASE("recipe_search_path: IOC_RECIPE_PATH comes first", "[recipe][library]") {
  char tmpl[] = "/tmp/ioc-lib-test-XXXXXX";
  const fs::path dir = mkdtemp(tmpl);
  std::ofstream(dir / "ps-enc.recipe") << "# my override\nreverse\n";
  std::ofstream(dir / "mine.recipe") << "# hex it\nto_hex\n";
  setenv("IOC_RECIPE_PATH", ("/nonexistent:" + dir.string()).c_str(), 1);
  auto path = recipe_search_path();
  REQUIRE_FALSE(path.empty());
  CHECK(path.front() == fs::weakly_canonical(dir));
  auto overridden = load_recipe("ps-enc");
  REQUIRE(overridden);
  CHECK(overridden->steps[0].op->name == "reverse");
  bool found_mine = false;
  for (const auto& r : list_recipes()) {
    if (r.name == "mine") {
      found_mine = true;
      CHECK(r.summary == "hex it");
    }
    if (r.name == "ps-enc") CHECK(r.summary == "my override");
  }
  CHECK(found_mine);
  unsetenv("IOC_RECIPE_PATH");
  fs::remove_all(dir);
  auto shipped = load_recipe("ps-enc");
  REQUIRE(shipped);
  CHECK(shipped->steps[0].op->name == "from_base64");
}
