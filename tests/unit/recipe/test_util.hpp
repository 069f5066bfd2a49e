// Helpers shared by the recipe tests.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "ioc/recipe/run.hpp"

namespace ioc::recipe::test {

/// Runs a recipe that must succeed and returns its output.
inline std::string run_ok(const Recipe& recipe, std::string_view input) {
  OpContext ctx;
  auto out = run_recipe(recipe, input, ctx);
  INFO((out ? std::string() : out.error().describe()));
  REQUIRE(out);
  return *out;
}

}  // namespace ioc::recipe::test
