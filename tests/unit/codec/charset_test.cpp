#include "ioc/codec/charset.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace std::string_literals;
using ioc::ErrorCode;
using ioc::codec::decode_text;
using ioc::codec::encode_text;
using ioc::codec::is_valid_utf8;
using ioc::codec::repair_utf8;

namespace {
const std::string kReplacement = "\xEF\xBF\xBD";
}

TEST_CASE("decode_text: utf-8", "[codec][charset]") {
  CHECK(*decode_text("Grüße", "utf-8") == "Grüße");
  CHECK(*decode_text("Grüße", "UTF8") == "Grüße");
  CHECK(*decode_text("a\xFF"
                     "b",
                     "utf-8") == "a" + kReplacement + "b");
  CHECK(*decode_text("a\0b"s, "utf-8") == "a\0b"s);
  CHECK(decode_text("", "utf-8")->empty());
}

TEST_CASE("decode_text: utf-16le and utf-16be", "[codec][charset]") {
  CHECK(*decode_text("\xFF\xFEh\0i\0"s, "utf-16le") == "hi");
  CHECK(*decode_text("h\0i\0"s, "UTF-16LE") == "hi");
  CHECK(*decode_text("\0h\0i"s, "utf-16be") == "hi");
  // Lenient like decode_utf16: the odd byte is dropped, lone surrogates replaced.
  CHECK(*decode_text("h\0i"s, "utf-16le") == "h");
  CHECK(*decode_text("\x3D\xD8h\0"s, "utf-16le") == kReplacement + "h");
  // Plain "utf-16": byte order from the BOM, little-endian without one.
  CHECK(*decode_text("\xFE\xFF\0h"s, "utf-16") == "h");
  CHECK(*decode_text("\xFF\xFEh\0"s, "utf-16") == "h");
  CHECK(*decode_text("h\0"s, "utf-16") == "h");
}

TEST_CASE("decode_text: single-byte charsets", "[codec][charset]") {
  CHECK(*decode_text("Gr\xFC\xDF"
                     "e",
                     "latin1") == "Grüße");
  CHECK(*decode_text("Gr\xFC\xDF"
                     "e",
                     "ISO-8859-1") == "Grüße");
  CHECK(*decode_text("\x80", "windows-1252") == "€");
  CHECK(*decode_text("\x93quoted\x94", "Windows-1252") == "“quoted”");
  CHECK(*decode_text("\x80", "latin1") == "\xC2\x80");  // U+0080 in Latin-1
  CHECK(*decode_text("\x82\xB0", "cp437") == "é░");
  CHECK(*decode_text("\x82", "IBM437") == "é");
  CHECK(*decode_text("a\0b"s, "latin1") == "a\0b"s);
  CHECK(decode_text("", "cp437")->empty());
}

TEST_CASE("decode_text: invalid bytes become U+FFFD", "[codec][charset]") {
  CHECK(*decode_text("a\x80"
                     "b",
                     "ascii") == "a" + kReplacement + "b");
  CHECK(*decode_text("\xFF\xFF\xFF\x7F", "utf-32le") == kReplacement);
}

TEST_CASE("decode_text: long input", "[codec][charset]") {
  std::string in;
  for (int i = 0; i < 100000; ++i) in += "\x80x";
  std::string expected;
  for (int i = 0; i < 100000; ++i) expected += "€x";
  CHECK(*decode_text(in, "windows-1252") == expected);
}

TEST_CASE("decode_text: unknown charset", "[codec][charset]") {
  auto e = decode_text("abc", "no-such-charset");
  REQUIRE_FALSE(e);
  CHECK(e.error().code == ErrorCode::kNotFound);
  CHECK(e.error().message.find("no-such-charset") != std::string::npos);
  auto empty = decode_text("abc", "");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code == ErrorCode::kNotFound);
  auto nul = decode_text("abc", "utf-8\0x"s);
  REQUIRE_FALSE(nul);
  CHECK(nul.error().code == ErrorCode::kNotFound);
}

TEST_CASE("encode_text", "[codec][charset]") {
  CHECK(*encode_text("Grüße", "latin1") ==
        "Gr\xFC\xDF"
        "e");
  CHECK(*encode_text("€", "windows-1252") == "\x80");
  CHECK(*encode_text("é░", "cp437") == "\x82\xB0");
  CHECK(*encode_text("hi", "utf-16le") == "h\0i\0"s);
  CHECK(*encode_text("hi", "utf-16be") == "\0h\0i"s);
  CHECK(*encode_text("hi", "utf-16") == "\xFF\xFEh\0i\0"s);
  CHECK(*encode_text("Grüße", "utf-8") == "Grüße");
  CHECK(*encode_text("a\xFF", "utf-8") == "a" + kReplacement);
  CHECK(*encode_text("A", "utf-32le") == "A\0\0\0"s);
  CHECK(encode_text("", "latin1")->empty());
}

TEST_CASE("encode_text: unmappable characters become '?'", "[codec][charset]") {
  CHECK(*encode_text("ok ✓", "latin1") == "ok ?");
  CHECK(*encode_text("é", "ascii") == "?");
  CHECK(*encode_text("a\xFF"
                     "b",
                     "latin1") == "a?b");
}

TEST_CASE("encode_text: unknown charset", "[codec][charset]") {
  auto e = encode_text("abc", "klingon");
  REQUIRE_FALSE(e);
  CHECK(e.error().code == ErrorCode::kNotFound);
}

TEST_CASE("encode_text: round trip with decode_text", "[codec][charset]") {
  const std::string text = "Grüße, café €5 — “quoted”";
  for (const char* cs : {"utf-8", "utf-16le", "utf-16be", "utf-32be", "windows-1252"}) {
    INFO(cs);
    auto enc = encode_text(text, cs);
    REQUIRE(enc);
    auto dec = decode_text(*enc, cs);
    REQUIRE(dec);
    CHECK(*dec == text);
  }
}

TEST_CASE("is_valid_utf8", "[codec][charset]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("a\0b"s));
  CHECK(is_valid_utf8("Grüße ✓ \xF0\x9F\x98\x80"));
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  CHECK(is_valid_utf8("\xEF\xBF\xBF"));      // U+FFFF
  SECTION("overlong forms") {
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));
    CHECK_FALSE(is_valid_utf8("\xC1\xBF"));
    CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));
    CHECK_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));
  }
  SECTION("surrogates") {
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));
    CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));
    CHECK(is_valid_utf8("\xED\x9F\xBF"));  // U+D7FF
  }
  SECTION("truncated sequences") {
    CHECK_FALSE(is_valid_utf8("\xE2\x82"));
    CHECK_FALSE(is_valid_utf8("\xF0\x9F\x98"));
    CHECK_FALSE(is_valid_utf8("\xC3"));
    CHECK_FALSE(
        is_valid_utf8("\xE2\x82"
                      "A"));
  }
  SECTION("stray bytes") {
    CHECK_FALSE(is_valid_utf8("\x80"));
    CHECK_FALSE(is_valid_utf8("\xFF"));
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  }
  SECTION("an error after a long ASCII run") {
    std::string s(1000, 'a');
    CHECK(is_valid_utf8(s));
    s += "\xC3";
    CHECK_FALSE(is_valid_utf8(s));
    s += "\xA9";
    CHECK(is_valid_utf8(s));
  }
}

TEST_CASE("repair_utf8", "[codec][charset]") {
  CHECK(repair_utf8("") == "");
  CHECK(repair_utf8("Grüße ✓") == "Grüße ✓");
  CHECK(repair_utf8("a\0b"s) == "a\0b"s);
  CHECK(repair_utf8("a\xFF"
                    "b") == "a" + kReplacement + "b");
  // One U+FFFD per maximal ill-formed subpart, as Python and browsers do.
  CHECK(repair_utf8("\xE2\x82"
                    "A") == kReplacement + "A");
  CHECK(repair_utf8("\xED\xA0\x80") == kReplacement + kReplacement + kReplacement);
  CHECK(repair_utf8("\xC0\xAF") == kReplacement + kReplacement);
  CHECK(repair_utf8("\xF0\x9F\x98") == kReplacement);
  CHECK(repair_utf8("x\xF0\x9F\x98\x80\x80y") == "x\xF0\x9F\x98\x80" + kReplacement + "y");
  CHECK(is_valid_utf8(repair_utf8("\xC3\x28\xA0\xA1\xE2\x28\xA1\xF0\x28\x8C\xBC")));
}
