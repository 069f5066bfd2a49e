#include <catch2/catch.hpp>

#include "ioc/core/limits.hpp"
#include "ioc/core/source.hpp"

using namespace ioc;

TEST_CASE("parse_size: numbers and binary suffixes", "[core][limits]") {
  CHECK(*parse_size("4096") == 4096);
  CHECK(*parse_size("64K") == 64 * kKiB);
  CHECK(*parse_size("1M") == kMiB);
  CHECK(*parse_size("1mib") == kMiB);
  CHECK(*parse_size("2G") == 2 * kGiB);
  CHECK(*parse_size("512kb") == 512 * kKiB);
  CHECK(*parse_size("0", true) == 0);
}

TEST_CASE("parse_size: errors", "[core][limits]") {
  for (const char* bad : {"", "M", "1T", "-1", "1.5M", "12 M", "99999999999999999999"}) {
    INFO(bad);
    auto r = parse_size(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kUsage);
  }
  CHECK_FALSE(parse_size("0"));
  CHECK_FALSE(parse_size("17179869184G"));  // overflows size_t
}

TEST_CASE("format_size", "[core][limits]") {
  CHECK(format_size(64 * kMiB) == "64 MiB");
  CHECK(format_size(kGiB) == "1 GiB");
  CHECK(format_size(3 * kKiB) == "3 KiB");
  CHECK(format_size(1000) == "1000 bytes");
  CHECK(format_size(1) == "1 byte");
  CHECK(format_size(0) == "0 bytes");
}

TEST_CASE("Limits: defaults follow DESIGN.md", "[core][limits]") {
  Limits l;
  CHECK(l.max_depth == 16);
  CHECK(l.max_output == 64 * kMiB);
  CHECK(l.max_inflate_ratio == 1000);
  CHECK(l.max_inflate_total == 256 * kMiB);
  CHECK(l.max_line == 256 * kMiB);
  CHECK(l.tls_timeout_ms == 10000);
  CHECK(l.max_nesting == 256);
}

TEST_CASE("Source::to_string", "[core][source]") {
  CHECK((Source{"a.log", 12, 400}).to_string() == "a.log:12");
  CHECK((Source{kStdinName, 3, 0}).to_string() == "(stdin):3");
  CHECK((Source{"whole.ps1", 0, 0}).to_string() == "whole.ps1");
}
