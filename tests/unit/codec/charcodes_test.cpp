#include "ioc/codec/charcodes.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace std::string_literals;
using ioc::ErrorCode;
using ioc::codec::decode_charcodes;
using ioc::codec::encode_charcodes;

TEST_CASE("decode_charcodes: decimal", "[codec][charcodes]") {
  CHECK(*decode_charcodes("83,121,115") == "Sys");
  CHECK(*decode_charcodes("83 121 115", {.base = 10}) == "Sys");
  CHECK(*decode_charcodes("") == "");
  CHECK(*decode_charcodes("0") == "\0"s);
  CHECK(*decode_charcodes("0083") == "S");
}

TEST_CASE("decode_charcodes: hexadecimal", "[codec][charcodes]") {
  CHECK(*decode_charcodes("0x53 0x79 0x73") == "Sys");
  CHECK(*decode_charcodes("0X53,0X79") == "Sy");
  CHECK(*decode_charcodes("53 79 73", {.base = 16}) == "Sys");
  CHECK(*decode_charcodes("0x53 79 0x73", {.base = 16}) == "Sys");
  CHECK(*decode_charcodes("4D 5a", {.base = 16}) == "MZ");
  // Auto: tokens without 0x are decimal.
  CHECK(*decode_charcodes("0x53,121") == "Sy");
}

TEST_CASE("decode_charcodes: octal", "[codec][charcodes]") {
  CHECK(*decode_charcodes("123 171 163", {.base = 8}) == "Sys");
  auto e = decode_charcodes("123 178", {.base = 8});
  REQUIRE_FALSE(e);
  CHECK(e.error().code == ErrorCode::kInvalidInput);
  CHECK(e.error().offset == 4);
}

TEST_CASE("decode_charcodes: mixed separators and brackets", "[codec][charcodes]") {
  CHECK(*decode_charcodes("[83, 121]") == "Sy");
  CHECK(*decode_charcodes("(83);[0x79]\n{115}") == "Sys");
  CHECK(*decode_charcodes("83;121 ,\t115") == "Sys");
  CHECK(*decode_charcodes("83-121/115") == "Sys");
  // Words are tokens too: a whole JavaScript call is not a list of codes.
  auto js = decode_charcodes("String.fromCharCode(83,121)");
  REQUIRE_FALSE(js);
  CHECK(js.error().code == ErrorCode::kInvalidInput);
  CHECK(js.error().offset == 0);
}

TEST_CASE("decode_charcodes: code points written as UTF-8", "[codec][charcodes]") {
  CHECK(*decode_charcodes("233") == "é");
  CHECK(decode_charcodes("233")->size() == 2);
  CHECK(*decode_charcodes("8364") == "€");
  CHECK(*decode_charcodes("0x1F600") == "\xF0\x9F\x98\x80");
  CHECK(*decode_charcodes("1114111") == "\xF4\x8F\xBF\xBF");  // U+10FFFF
}

TEST_CASE("decode_charcodes: out-of-range codes", "[codec][charcodes]") {
  auto big = decode_charcodes("83,1114112");
  REQUIRE_FALSE(big);
  CHECK(big.error().code == ErrorCode::kInvalidInput);
  CHECK(big.error().offset == 3);
  auto huge = decode_charcodes("99999999999999999999999");
  REQUIRE_FALSE(huge);
  CHECK(huge.error().offset == 0);
  auto sur = decode_charcodes("65, 0xD800");
  REQUIRE_FALSE(sur);
  CHECK(sur.error().code == ErrorCode::kInvalidInput);
  CHECK(sur.error().offset == 4);
  auto low = decode_charcodes("57343");  // U+DFFF
  REQUIRE_FALSE(low);
  CHECK(low.error().offset == 0);
  CHECK(decode_charcodes("57344"));  // U+E000
}

TEST_CASE("decode_charcodes: tokens that are not numbers", "[codec][charcodes]") {
  auto e = decode_charcodes("83,abc,115");
  REQUIRE_FALSE(e);
  CHECK(e.error().code == ErrorCode::kInvalidInput);
  CHECK(e.error().offset == 3);
  CHECK(e.error().message.find("'abc'") != std::string::npos);
  auto x = decode_charcodes("0x");
  REQUIRE_FALSE(x);
  CHECK(x.error().offset == 0);
  auto g = decode_charcodes("0x5g");
  REQUIRE_FALSE(g);
  CHECK(g.error().offset == 0);
  auto ten = decode_charcodes("0x53", {.base = 10});
  REQUIRE_FALSE(ten);
  CHECK(ten.error().offset == 0);
  auto eight = decode_charcodes("0x53", {.base = 8});
  REQUIRE_FALSE(eight);
}

TEST_CASE("decode_charcodes: bad base", "[codec][charcodes]") {
  for (int base : {1, 2, 7, 9, 12, 36, -1}) {
    auto e = decode_charcodes("83", {.base = base});
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::kUsage);
  }
  CHECK_FALSE(decode_charcodes("", {.base = 2}));
}

TEST_CASE("encode_charcodes", "[codec][charcodes]") {
  CHECK(encode_charcodes("Sys") == "83,121,115");
  CHECK(encode_charcodes("Sys", 16, " ") == "53 79 73");
  CHECK(encode_charcodes("Sys", 8) == "123,171,163");
  CHECK(encode_charcodes("é€") == "233,8364");
  CHECK(encode_charcodes("\xF0\x9F\x98\x80", 16) == "1f600");
  CHECK(encode_charcodes("a\xFF") == "97,65533");
  CHECK(encode_charcodes("\0"s) == "0");
  CHECK(encode_charcodes("") == "");
  CHECK(encode_charcodes("ab", 10, "") == "9798");
}

TEST_CASE("encode_charcodes: round trip with decode_charcodes", "[codec][charcodes]") {
  const std::string text = "Grüße ✓ \xF0\x9F\x98\x80 powershell";
  for (int base : {8, 10, 16}) {
    auto r = decode_charcodes(encode_charcodes(text, base), {.base = base});
    REQUIRE(r);
    CHECK(*r == text);
  }
}
