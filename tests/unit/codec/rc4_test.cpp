#include "ioc/codec/rc4.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "ioc/codec/hex.hpp"

using ioc::ErrorCode;
using ioc::codec::encode_hex;
using ioc::codec::rc4;

TEST_CASE("rc4: known vectors", "[codec][rc4]") {
  CHECK(encode_hex(*rc4("Key", "Plaintext"), "", true) == "BBF316E8D940AF0AD3");
  CHECK(encode_hex(*rc4("Wiki", "pedia"), "", true) == "1021BF0420");
  CHECK(encode_hex(*rc4("Secret", "Attack at dawn"), "", true) == "45A01F645FC35B383552544B9BF5");
}

TEST_CASE("rc4: RFC 6229 keystream", "[codec][rc4]") {
  // 40-bit key 0x0102030405, first 16 bytes of keystream.
  const std::string key = "\x01\x02\x03\x04\x05";
  CHECK(encode_hex(*rc4(key, std::string(16, '\0'))) == "b2396305f03dc027ccc3524a0a1118a8");
}

TEST_CASE("rc4: decryption is encryption", "[codec][rc4]") {
  const std::string plain = "session=routing packet payload";
  auto enc = rc4("IV||staging key", plain);
  REQUIRE(enc);
  CHECK(*enc != plain);
  auto dec = rc4("IV||staging key", *enc);
  REQUIRE(dec);
  CHECK(*dec == plain);
  CHECK(rc4("k", "")->empty());
}

TEST_CASE("rc4: key length", "[codec][rc4]") {
  auto empty = rc4("", "data");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code == ErrorCode::kUsage);
  auto long_key = rc4(std::string(257, 'k'), "data");
  REQUIRE_FALSE(long_key);
  CHECK(long_key.error().code == ErrorCode::kUsage);
  CHECK(rc4(std::string(256, 'k'), "data"));
  CHECK(rc4("k", "data"));
}
