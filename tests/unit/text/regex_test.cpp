#include <catch2/catch.hpp>

#include <string>

#include "ioc/text/regex.hpp"

using ioc::text::Regex;

TEST_CASE("Regex::find_all: matches and groups", "[text][regex]") {
  auto re = Regex::compile(R"(-e[a-z]*\s+([A-Za-z0-9+/=]+))", {.case_insensitive = true});
  REQUIRE(re);
  CHECK(re->groups() == 1);
  const std::string line = "powershell -NoP -ENC  aABpAA== -ec QQ==";
  auto whole = re->find_all(line);
  REQUIRE(whole.size() == 2);
  CHECK(whole[0] == "-ENC  aABpAA==");
  auto blobs = re->find_all(line, 1);
  REQUIRE(blobs.size() == 2);
  CHECK(blobs[0] == "aABpAA==");
  CHECK(blobs[1] == "QQ==");
  CHECK(re->find_all(line, 1, 1).size() == 1);
  CHECK(re->find_all(line, 2).empty());  // no such group
}

TEST_CASE("Regex::find_all: empty matches advance", "[text][regex]") {
  auto re = Regex::compile("x*");
  REQUIRE(re);
  // As Python's re.findall("x*", "axxb"): "", "xx", "", "" — and no endless loop.
  const auto m = re->find_all("axxb");
  REQUIRE(m.size() == 4);
  CHECK(m[0].empty());
  CHECK(m[1] == "xx");
  CHECK(m[2].empty());
  CHECK(m[3].empty());
}

TEST_CASE("Regex::compile: options and errors", "[text][regex]") {
  auto multi = Regex::compile("^b$", {.multiline = true});
  REQUIRE(multi);
  CHECK(multi->find_all("a\nb\nc").size() == 1);
  auto single = Regex::compile("^b$");
  REQUIRE(single);
  CHECK(single->find_all("a\nb\nc").empty());
  auto dot = Regex::compile("a.b", {.dot_matches_newline = true});
  REQUIRE(dot);
  CHECK(dot->find_all("a\nb").size() == 1);
  auto bad = Regex::compile("a(b");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.rfind("invalid regular expression: ", 0) == 0);
  auto lookbehind = Regex::compile("(?<=a)b");  // not RE2: no backtracking features
  CHECK_FALSE(lookbehind);
}

TEST_CASE("Regex::find_all: linear on pathological input", "[text][regex]") {
  auto re = Regex::compile("(a+)+b");
  REQUIRE(re);
  CHECK(re->find_all(std::string(100000, 'a')).empty());
}
