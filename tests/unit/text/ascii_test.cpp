#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

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

TEST_CASE("lower_ascii_copy: every byte value at every position, every length to 20",
          "[text][ascii]") {
  // Eight bytes at a time, and the last bytes as the last eight again: each
  // of the 256 byte values at each place, beside bytes that change ('A', 'Z')
  // and bytes near the letter edges ('@', '[', 0xC1, 0xDA); into another
  // buffer and in place.
  const std::string fill = "AZ@[\xC1\xDAz`";
  for (std::size_t n = 1; n <= 20; ++n) {
    for (int c = 0; c < 256; ++c) {
      for (std::size_t at = 0; at < n; ++at) {
        std::string in = fill + fill + fill;
        in.resize(n);
        in[at] = static_cast<char>(c);
        std::string out(n, '?'), same = in;
        lower_ascii_copy(out.data(), in.data(), n);
        lower_ascii_copy(same.data(), same.data(), n);
        for (std::size_t i = 0; i < n; ++i) {
          INFO("length " << n << ", byte " << c << " at " << at << ", position " << i);
          REQUIRE(out[i] == lower_ascii(in[i]));
          REQUIRE(same[i] == out[i]);
        }
      }
    }
  }
  CHECK(to_lower_ascii("D41D8CD98F00B204E9800998ECF8427E") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(to_lower_ascii("B\xC3\x9C"
                       "CHER.DE") ==
        "b\xC3\x9C"
        "cher.de");  // UTF-8 bytes untouched
}

TEST_CASE("ifind: candidates of both cases, overlaps and bounds", "[text][ascii]") {
  CHECK(ifind("fFfromBASE64string", "frombase64string") == 2);
  CHECK(ifind("aaab", "aab") == 1);
  CHECK(ifind("xxPwSh", "pwsh", 2) == 2);
  CHECK(ifind("xxPwSh", "pwsh", 3) == std::string_view::npos);
  CHECK(ifind("pwsh", "pwsh", 5) == std::string_view::npos);
  CHECK(ifind("a1-b", "1-B") == 1);  // first character not a letter
}

TEST_CASE("count_byte: as std::count, across the 64-byte steps and the per-lane sums",
          "[text][ascii]") {
  std::uint64_t seed = 12345;
  const auto next = [&] {
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    return static_cast<unsigned>(seed >> 33);
  };
  for (std::size_t size : {0u, 1u, 15u, 16u, 63u, 64u, 65u, 127u, 63u * 64u - 1u, 63u * 64u,
                           63u * 64u + 1u, 63u * 64u + 65u, 10000u}) {
    for (unsigned density : {0u, 1u, 50u, 100u}) {
      std::string s(size, 'a');
      for (char& c : s)
        if (next() % 100 < density) c = '\n';
      if (density == 0 && size > 0) s.back() = '\n';
      INFO("size " << size << " density " << density);
      CHECK(ioc::text::count_byte(s, '\n') ==
            static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')));
      CHECK(ioc::text::count_byte(s, 'a') ==
            static_cast<std::size_t>(std::count(s.begin(), s.end(), 'a')));
    }
  }
  // Every byte a match: the per-lane counts (four per 64-byte step) must not wrap.
  const std::string all(255 * 16 * 3, '\n');
  CHECK(ioc::text::count_byte(all, '\n') == all.size());
  CHECK(ioc::text::count_byte(std::string(300, '\xff'), '\xff') == 300);
}
