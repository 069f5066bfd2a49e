#include "ioc/io/paths.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

TEST_CASE("expand_paths: files pass through, directories expand sorted with -r", "[io][paths]") {
  const fs::path dir = fs::temp_directory_path() / "ioc_paths_test";
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "b.log") << "x";
  std::ofstream(dir / "a.log") << "x";
  std::ofstream(dir / "sub" / "c.log") << "x";
  ioc::io::Diagnostics diag("test");
  diag.set_quiet(true);
  const std::string d = dir.string();
  auto all = ioc::io::expand_paths({"-", "plain.txt", d}, true, diag, "use -r");
  CHECK(all == std::vector<std::string>{"-", "plain.txt", (dir / "a.log").string(),
                                        (dir / "b.log").string(),
                                        (dir / "sub" / "c.log").string()});
  CHECK_FALSE(diag.had_error());
  auto none = ioc::io::expand_paths({d}, false, diag, "use -r");
  CHECK(none.empty());
  CHECK(diag.had_error());
  fs::remove_all(dir);
}
