#include <catch2/catch.hpp>

#include "ioc/text/ascii.hpp"

using namespace ioc::text;

TEST_CASE("ifind, irfind, iequals: ASCII case-insensitive", "[text][ascii]") {
  CHECK(ifind("IEX ([Text.Encoding]::UNICODE", "unicode") == 22);
  CHECK(ifind("abcABC", "abc", 1) == 3);
  CHECK(ifind("abc", "abcd") == std::string_view::npos);
  CHECK(ifind("", "a") == std::string_view::npos);
  CHECK(ifind("xyz", "") == 0);
  CHECK(ifind("Straße", "SSE") == std::string_view::npos);  // ASCII only, by design
  CHECK(irfind("GzipStream x GZIPSTREAM", "gzipstream") == 13);
  CHECK(irfind("GzipStream x GZIPSTREAM", "gzipstream", 12) == 0);
  CHECK(irfind("ab", "abc") == std::string_view::npos);
  CHECK(iequals("VirtualAlloc", "virtualalloc"));
  CHECK_FALSE(iequals("VirtualAlloc", "virtualallo"));
  CHECK(to_lower_ascii("PoWeR-Shell 5") == "power-shell 5");
}

TEST_CASE("ifind: candidates of both cases, overlaps and bounds", "[text][ascii]") {
  CHECK(ifind("fFfromBASE64string", "frombase64string") == 2);
  CHECK(ifind("aaab", "aab") == 1);
  CHECK(ifind("xxPwSh", "pwsh", 2) == 2);
  CHECK(ifind("xxPwSh", "pwsh", 3) == std::string_view::npos);
  CHECK(ifind("pwsh", "pwsh", 5) == std::string_view::npos);
  CHECK(ifind("a1-b", "1-B") == 1);  // first character not a letter
}
