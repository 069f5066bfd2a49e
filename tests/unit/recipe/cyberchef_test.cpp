#include <catch2/catch.hpp>

#include "ioc/recipe/parse.hpp"
#include "ioc/recipe/run.hpp"
#include "test_util.hpp"

using namespace ioc::recipe;
using ioc::recipe::test::run_ok;

TEST_CASE("parse_recipe: CyberChef JSON", "[recipe][cyberchef]") {
  auto r = parse_recipe(
      R"J([{"op":"From Base64","args":["A-Za-z0-9+/=",true,false]},{"op":"Decode text","args":["UTF-16LE (1200)"]}])J");
  REQUIRE(r);
  REQUIRE(r->steps.size() == 2);
  CHECK(r->steps[0].op->name == "from_base64");
  CHECK(r->steps[0].args.text(0) == "standard");
  CHECK(r->steps[1].args.text(0) == "utf-16le");
  CHECK(run_ok(*r, "dwBoAG8AYQBtAGkA") == "whoami");
}

TEST_CASE("parse_recipe: CyberChef JSON details", "[recipe][cyberchef]") {
  // Disabled steps are skipped; a single object is a one-step recipe.
  auto r = parse_recipe(
      R"([{"op":"To Upper case","args":["All"],"disabled":true},{"op":"Reverse","args":["Character"],"breakpoint":true}])");
  REQUIRE(r);
  REQUIRE(r->steps.size() == 1);
  CHECK(run_ok(*r, "abc") == "cba");
  auto one = parse_recipe(R"({"op":"To Hex","args":["Colon",0]})");
  REQUIRE(one);
  CHECK(run_ok(*one, "AB") == "41:42");

  auto unsupported = parse_recipe(R"([{"op":"From Base64","args":["A-Za-z0-9+\\-=",true]}])");
  REQUIRE_FALSE(unsupported);
  CHECK(unsupported.error().code == ioc::ErrorCode::kUnsupported);
  CHECK(unsupported.error().message.find("alphabet") != std::string::npos);

  auto unknown = parse_recipe(R"([{"op":"From Base46","args":[]}])");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message.find("did you mean 'From Base64'") != std::string::npos);

  auto magic = parse_recipe(R"([{"op":"Magic","args":[3,false,false,""]}])");
  REQUIRE_FALSE(magic);
  CHECK(magic.error().message.find("'Magic' is not available") != std::string::npos);

  CHECK_FALSE(parse_recipe(R"([{"op":"From Base64")"));
  CHECK_FALSE(parse_recipe(R"([{"args":[]}])"));
  CHECK_FALSE(parse_recipe("[]"));
}

TEST_CASE("parse_recipe: CyberChef compact form", "[recipe][cyberchef]") {
  auto r = parse_recipe("From_Base64('A-Za-z0-9+/=',true,false)Decode_text('UTF-16LE (1200)')");
  REQUIRE(r);
  REQUIRE(r->steps.size() == 2);
  CHECK(run_ok(*r, "dwBoAG8AYQBtAGkA") == "whoami");

  auto x = parse_recipe(
      "From_Hex('Auto')\nXOR({'option':'Hex','string':'41'},'Standard',false)To_Upper_case('All')/"
      "disabled");
  REQUIRE(x);
  REQUIRE(x->steps.size() == 2);
  CHECK(run_ok(*x, "29 24 2d 2d 2e") == "hello");

  auto esc = parse_recipe(R"(XOR({option:'UTF8',string:'it\'s \u00e9\x41'},'Standard',false))");
  REQUIRE(esc);
  CHECK(esc->steps[0].args.text(0) ==
        "it's \xc3\xa9"
        "A");

  auto no_args = parse_recipe("To_Lower_case()Reverse('Byte')/breakpoint");
  REQUIRE(no_args);
  CHECK(run_ok(*no_args, "AB") == "ba");

  CHECK_FALSE(parse_recipe("From_Base64('abc"));
  CHECK_FALSE(parse_recipe("From_Base64('A-Za-z0-9+/=',true"));
  CHECK_FALSE(parse_recipe("From_Base64(nonsense)"));
  CHECK_FALSE(parse_recipe("To_Hex('Space')/frozen"));
  auto deep = parse_recipe("XOR(" + std::string(100, '[') + std::string(100, ']') + ")");
  REQUIRE_FALSE(deep);
  CHECK(deep.error().message.find("nested too deeply") != std::string::npos);
}

TEST_CASE("to_cyberchef_json and to_cyberchef_compact", "[recipe][cyberchef]") {
  auto r = parse_recipe("from_base64 | decode_text utf-16le | to_lower_case");
  REQUIRE(r);
  auto json = to_cyberchef_json(*r);
  REQUIRE(json);
  CHECK(
      *json ==
      R"J([{"op":"From Base64","args":["A-Za-z0-9+/=",true,false]},{"op":"Decode text","args":["UTF-16LE (1200)"]},{"op":"To Lower case","args":[]}])J");
  auto compact = to_cyberchef_compact(*r);
  REQUIRE(compact);
  CHECK(*compact ==
        "From_Base64('A-Za-z0-9+/=',true,false)Decode_text('UTF-16LE (1200)')To_Lower_case()");

  // Both forms parse back to the same recipe.
  for (const std::string& form : {*json, *compact}) {
    auto back = parse_recipe(form);
    REQUIRE(back);
    REQUIRE(back->steps.size() == 3);
    CHECK(back->steps[1].args.values() == r->steps[1].args.values());
  }

  auto xor_recipe = parse_recipe("xor \"it's\" latin1");
  REQUIRE(xor_recipe);
  auto xc = to_cyberchef_compact(*xor_recipe);
  REQUIRE(xc);
  CHECK(*xc == R"(XOR({'option':'Latin1','string':'it\'s'},'Standard',false))");

  auto ours_only = parse_recipe("from_base64 | inflate");
  REQUIRE(ours_only);
  auto none = to_cyberchef_json(*ours_only);
  REQUIRE_FALSE(none);
  CHECK(none.error().message == "CyberChef has no operation like 'inflate'");
}

TEST_CASE("to_cyberchef_compact: one group of a several-group pattern has no CyberChef form",
          "[recipe][cyberchef]") {
  // Found by recipe_parse_fuzz: "List capture groups" would list both groups.
  auto two = parse_recipe("regex_extract \"(Ai)a(b)\" group=1");
  REQUIRE(two);
  auto chef = to_cyberchef_compact(*two);
  REQUIRE_FALSE(chef);
  CHECK(chef.error().code == ioc::ErrorCode::kUnsupported);
  CHECK(to_text(*two) == "regex_extract pattern=(Ai)a(b) group=1");

  auto one = parse_recipe("regex_extract \"a(b)\" group=1");
  REQUIRE(one);
  auto chef1 = to_cyberchef_compact(*one);
  REQUIRE(chef1);
  auto back = parse_recipe(*chef1);
  REQUIRE(back);
  CHECK(back->steps[0].args.text(1) == "1");
}
