#include <catch2/catch.hpp>

#include "ioc/recipe/parse.hpp"
#include "ioc/recipe/run.hpp"
#include "test_util.hpp"

using namespace ioc::recipe;
using ioc::recipe::test::run_ok;

namespace {

std::vector<std::string> names(const Recipe& r) {
  std::vector<std::string> v;
  for (const Step& s : r.steps) v.emplace_back(s.op->name);
  return v;
}

}  // namespace

TEST_CASE("parse_recipe: text, one operation per line with comments", "[recipe][parse]") {
  auto r = parse_recipe(
      "# decode -enc\nfrom_base64   # the blob\n\n  decode_text utf-16le\r\nto_lower_case\n");
  REQUIRE(r);
  CHECK(names(*r) == std::vector<std::string>{"from_base64", "decode_text", "to_lower_case"});
  CHECK(r->steps[1].args.text(0) == "utf-16le");
  CHECK(run_ok(*r, "VwBIAE8AQQBNAEkA") == "whoami");  // "WHOAMI" in UTF-16LE
}

TEST_CASE("parse_recipe: text, inline with | and named arguments", "[recipe][parse]") {
  auto r = parse_recipe("from_hex | xor key=41 key_format=hex|to_upper_case");
  REQUIRE(r);
  CHECK(names(*r) == std::vector<std::string>{"from_hex", "xor", "to_upper_case"});
  CHECK(r->steps[1].args.text(0) == "41");
  CHECK(r->steps[1].args.text(1) == "hex");
  CHECK(run_ok(*r, "29242d2d2e") == "HELLO");
}

TEST_CASE("parse_recipe: quoting", "[recipe][parse]") {
  auto single = parse_recipe("xor 'a b|#c'");
  REQUIRE(single);
  CHECK(single->steps[0].args.text(0) == "a b|#c");

  auto dbl = parse_recipe(R"(xor key="tab\there \"q\" \x41\\ \s")");
  REQUIRE(dbl);
  CHECK(dbl->steps[0].args.text(0) == "tab\there \"q\" A\\ \\s");

  auto joined = parse_recipe(R"T(regex_extract pattern="[\"'](x)"'' group=1)T");
  REQUIRE(joined);
  CHECK(joined->steps[0].args.text(0) == R"(["'](x))");

  // A value with '=' that is not an argument name stays positional.
  auto eq = parse_recipe("xor QQ== base64");
  REQUIRE(eq);
  CHECK(eq->steps[0].args.text(0) == "QQ==");
  CHECK(eq->steps[0].args.text(1) == "base64");
}

TEST_CASE("parse_recipe: errors say where", "[recipe][parse]") {
  auto unknown = parse_recipe("from_base64\nfrom_bas64\n");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message ==
        "recipe line 2: unknown operation 'from_bas64'; did you mean 'from_base64'? "
        "(--list-operations shows them all)");

  auto inline_err = parse_recipe("from_base64 | decode_text | to_lower_case x y");
  REQUIRE_FALSE(inline_err);
  CHECK(inline_err.error().message.rfind("recipe step 3: to_lower_case takes 1 argument", 0) == 0);

  auto quote = parse_recipe("xor 'abc\nfrom_hex");
  REQUIRE_FALSE(quote);
  CHECK(quote.error().message == "recipe line 1: unterminated ' quote");

  auto empty = parse_recipe("  # nothing here\n\n");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().message == "recipe has no operations");

  auto bad_hex = parse_recipe(R"(xor "\xZZ")");
  REQUIRE_FALSE(bad_hex);
  CHECK(bad_hex.error().message.find("\\x needs two hex digits") != std::string::npos);
}

TEST_CASE("to_text: parses back to the same recipe", "[recipe][parse]") {
  for (const char* text :
       {"from_base64 | decode_text utf-16le | to_lower_case", "xor key='a b' key_format=utf8",
        "xor \"it's\\n\"", "regex_extract \"(?i)-enc\\s+(\\S+)\" group=1", "to_hex separator=' '",
        "xor 'x=y'", "reverse by=line"}) {
    INFO(text);
    auto r = parse_recipe(text);
    REQUIRE(r);
    const std::string written = to_text(*r);
    auto back = parse_recipe(written);
    INFO(written);
    REQUIRE(back);
    REQUIRE(back->steps.size() == r->steps.size());
    for (std::size_t i = 0; i < r->steps.size(); ++i) {
      CHECK(back->steps[i].op == r->steps[i].op);
      CHECK(back->steps[i].args.values() == r->steps[i].args.values());
    }
  }
  auto r = parse_recipe("from_base64 alphabet=auto | decode_text utf-16le");
  REQUIRE(r);
  CHECK(to_text(*r) == "from_base64 | decode_text encoding=utf-16le");
}
