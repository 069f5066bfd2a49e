#include "ioc/codec/xor.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace std::string_literals;
using ioc::ErrorCode;
using ioc::codec::xor_bytes;

TEST_CASE("xor_bytes: single-byte key", "[codec][xor]") {
  CHECK(*xor_bytes("\x0b\x06", "c") == "he");
  CHECK(*xor_bytes("abc", "\0"s) == "abc");
  CHECK(*xor_bytes("\xff\x00"s, "\xff") == "\x00\xff"s);
}

TEST_CASE("xor_bytes: repeating key", "[codec][xor]") {
  // 'h'^'k' 'e'^'e' 'l'^'y' 'l'^'k' 'o'^'e'
  CHECK(*xor_bytes("hello", "key") == "\x03\x00\x15\x07\x0a"s);
  CHECK(*xor_bytes("ab", "longer key") == "\x0d\x0d"s);
  CHECK(*xor_bytes("", "key") == "");
}

TEST_CASE("xor_bytes: empty key", "[codec][xor]") {
  auto e = xor_bytes("data", "");
  REQUIRE_FALSE(e);
  CHECK(e.error().code == ErrorCode::kUsage);
}

TEST_CASE("xor_bytes: involution", "[codec][xor]") {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 7));
  for (const std::string& key : {"k"s, "two"s, "\x00\x01\x02\x03\xff"s}) {
    auto once = xor_bytes(data, key);
    REQUIRE(once);
    CHECK(*once != data);
    auto twice = xor_bytes(*once, key);
    REQUIRE(twice);
    CHECK(*twice == data);
  }
}
