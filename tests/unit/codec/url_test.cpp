#include "ioc/codec/url.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace std::string_literals;
using ioc::ErrorCode;
using ioc::codec::decode_percent;
using ioc::codec::encode_percent;

TEST_CASE("decode_percent: %XX escapes", "[codec][url]") {
  CHECK(*decode_percent("a%20b%2Fc") == "a b/c");
  CHECK(*decode_percent("a%20b%2fc") == "a b/c");
  CHECK(*decode_percent("%41%42%43", {.strict = true}) == "ABC");
  CHECK(*decode_percent("%00%ff%C3%A9") == "\0\xff\xc3\xa9"s);
  CHECK(*decode_percent("") == "");
  CHECK(*decode_percent("no escapes") == "no escapes");
}

TEST_CASE("decode_percent: plus_as_space", "[codec][url]") {
  CHECK(*decode_percent("a+b") == "a+b");
  CHECK(*decode_percent("a+b", {.plus_as_space = true}) == "a b");
  CHECK(*decode_percent("a%2Bb+c", {.plus_as_space = true}) == "a+b c");
}

TEST_CASE("decode_percent: invalid escapes", "[codec][url]") {
  SECTION("lenient keeps them verbatim") {
    CHECK(*decode_percent("100%") == "100%");
    CHECK(*decode_percent("%zz%4") == "%zz%4");
    CHECK(*decode_percent("%%41") == "%A");
    CHECK(*decode_percent("%u12G4") == "%u12G4");
    CHECK(*decode_percent("%u") == "%u");
  }
  SECTION("strict reports the offset of the '%'") {
    auto e = decode_percent("100%", {.strict = true});
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::kInvalidInput);
    CHECK(e.error().offset == 3);
    auto z = decode_percent("ab%4g", {.strict = true});
    REQUIRE_FALSE(z);
    CHECK(z.error().offset == 2);
    auto u = decode_percent("%41%u12", {.strict = true});
    REQUIRE_FALSE(u);
    CHECK(u.error().offset == 3);
    auto big = decode_percent("%U0041", {.strict = true});
    REQUIRE_FALSE(big);
    CHECK(big.error().offset == 0);
  }
}

TEST_CASE("decode_percent: %uXXXX", "[codec][url]") {
  CHECK(*decode_percent("%u0041%u00e9") == "Aé");
  CHECK(*decode_percent("%u20AC", {.strict = true}) == "€");
  CHECK(*decode_percent("%u0000") == "\0"s);
}

TEST_CASE("decode_percent: surrogate pairs via %u", "[codec][url]") {
  CHECK(*decode_percent("%uD83D%uDE00", {.strict = true}) == "\xF0\x9F\x98\x80");
  CHECK(*decode_percent("%ud83d%ude00!") == "\xF0\x9F\x98\x80!");
  CHECK(*decode_percent("%uD83Dx", {.strict = true}) == "\xEF\xBF\xBDx");
  CHECK(*decode_percent("%uDE00") == "\xEF\xBF\xBD");
  CHECK(*decode_percent("%uD83D%u0041") ==
        "\xEF\xBF\xBD"
        "A");
  CHECK(*decode_percent("%uD83D%uD83D%uDE00") == "\xEF\xBF\xBD\xF0\x9F\x98\x80");
  CHECK(*decode_percent("%uD83D") == "\xEF\xBF\xBD");
}

TEST_CASE("encode_percent", "[codec][url]") {
  CHECK(encode_percent("") == "");
  CHECK(encode_percent("a b/c~-._") == "a%20b%2Fc~-._");
  CHECK(encode_percent("é") == "%C3%A9");
  CHECK(encode_percent("\0\xff"s) == "%00%FF");
  CHECK(encode_percent("http://x.com/a b?q=1&r=2") == "http%3A%2F%2Fx.com%2Fa%20b%3Fq%3D1%26r%3D2");
  CHECK(encode_percent("http://x.com/a b?q=1&r=2", true) == "http://x.com/a%20b?q=1&r=2");
  CHECK(encode_percent(":/?#[]@!$&'()*+,;=", true) == ":/?#[]@!$&'()*+,;=");
  CHECK(encode_percent("%\"<>\\^`{|}", true) == "%25%22%3C%3E%5C%5E%60%7B%7C%7D");
}

TEST_CASE("encode_percent: round trip with decode_percent", "[codec][url]") {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (bool keep : {false, true}) {
    auto r = decode_percent(encode_percent(all, keep), {.strict = true});
    REQUIRE(r);
    CHECK(*r == all);
  }
}
