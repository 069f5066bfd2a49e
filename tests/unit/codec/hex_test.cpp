#include "ioc/codec/hex.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace std::string_literals;
using ioc::ErrorCode;
using ioc::codec::decode_hex;
using ioc::codec::encode_hex;

TEST_CASE("decode_hex: without separators", "[codec][hex]") {
  CHECK(*decode_hex("4d5a9000") == "MZ\x90\0"s);
  CHECK(*decode_hex("") == "");
  CHECK(*decode_hex("00") == "\0"s);
}

TEST_CASE("decode_hex: upper and lower case", "[codec][hex]") {
  CHECK(*decode_hex("DEADbeef") == "\xde\xad\xbe\xef"s);
  CHECK(*decode_hex("dEaD", {.strict = true}) == "\xde\xad"s);
}

TEST_CASE("decode_hex: separators", "[codec][hex]") {
  const std::string mz = "MZ\x90\0"s;
  CHECK(*decode_hex("4D 5A 90 00") == mz);
  CHECK(*decode_hex("4d:5a:90:00", {.strict = true}) == mz);
  CHECK(*decode_hex("4d,5a,90,00", {.strict = true}) == mz);
  CHECK(*decode_hex("4d-5a.90|00", {.strict = true}) == mz);
  CHECK(*decode_hex("4d;5a\n90\r\n00\n", {.strict = true}) == mz);
  CHECK(*decode_hex("4d5a\t9000", {.strict = true}) == mz);
}

TEST_CASE("decode_hex: prefixes", "[codec][hex]") {
  CHECK(*decode_hex("0x4d,0x5a", {.strict = true}) == "MZ");
  CHECK(*decode_hex("0X4D 0X5A", {.strict = true}) == "MZ");
  CHECK(*decode_hex("\\x4d\\x5a", {.strict = true}) == "MZ");
  CHECK(*decode_hex("%4d%5A", {.strict = true}) == "MZ");
  CHECK(*decode_hex("0x4d5a9000", {.strict = true}) == "MZ\x90\0"s);
  CHECK(*decode_hex("{0x4d, 0x5a}") == "MZ");
}

TEST_CASE("decode_hex: single-digit tokens", "[codec][hex]") {
  CHECK(*decode_hex("4 d") == "\x04\x0d"s);
  CHECK(*decode_hex("4 d", {.strict = true}) == "\x04\x0d"s);
  CHECK(*decode_hex("0x4,0xa,ff", {.strict = true}) == "\x04\x0a\xff"s);
}

TEST_CASE("decode_hex: odd tokens", "[codec][hex]") {
  auto e = decode_hex("4d 5a9", {.strict = true});
  REQUIRE_FALSE(e);
  CHECK(e.error().code == ErrorCode::kInvalidInput);
  CHECK(e.error().offset == 5);
  auto r = decode_hex("4d 5a9");
  REQUIRE(r);
  CHECK(*r == "MZ");
  CHECK(*decode_hex("4d5a9 00") == "MZ\0"s);
}

TEST_CASE("decode_hex: invalid characters", "[codec][hex]") {
  auto e = decode_hex("4dzz5a", {.strict = true});
  REQUIRE_FALSE(e);
  CHECK(e.error().code == ErrorCode::kInvalidInput);
  CHECK(e.error().message == "invalid hex character 'z'");
  CHECK(e.error().offset == 2);
  auto n = decode_hex("4d\x01"s, {.strict = true});
  REQUIRE_FALSE(n);
  CHECK(n.error().message == "invalid hex character '\\x01'");
  CHECK(n.error().offset == 2);
  // Lenient: any other character separates tokens.
  CHECK(*decode_hex("4dzz5a") == "MZ");
  CHECK(*decode_hex("4dg5a") == "MZ");
  CHECK(*decode_hex("[4d] (5a)") == "MZ");
  CHECK(*decode_hex("\\X4d") == "M");
  auto x = decode_hex("\\X4d", {.strict = true});
  REQUIRE_FALSE(x);
  CHECK(x.error().offset == 0);
}

TEST_CASE("encode_hex", "[codec][hex]") {
  CHECK(encode_hex("") == "");
  CHECK(encode_hex("", ":") == "");
  CHECK(encode_hex("MZ\x90\0"s) == "4d5a9000");
  CHECK(encode_hex("MZ\x90\0"s, "", true) == "4D5A9000");
  CHECK(encode_hex("MZ\x90"s, " ") == "4d 5a 90");
  CHECK(encode_hex("MZ\x90"s, ":", true) == "4D:5A:90");
  CHECK(encode_hex("M", ", ") == "4d");
  CHECK(encode_hex("MZ", "\\x") == "4d\\x5a");
}

TEST_CASE("encode_hex: round trip with decode_hex", "[codec][hex]") {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (const char* sep : {"", " ", ":", ",", "-"}) {
    for (bool upper : {false, true}) {
      auto r = decode_hex(encode_hex(all, sep, upper), {.strict = true});
      REQUIRE(r);
      CHECK(*r == all);
    }
  }
}
