// ioc/text/ascii.hpp — ASCII-only case helpers for matching code and keywords,
// and a byte count for line numbers.
//
// PowerShell keywords, cmdlets and .NET names are ASCII; matching them
// case-insensitively needs no Unicode case mapping (that is text/case.hpp, for
// human text). These never allocate except to_lower_ascii.
//
//   ifind("IEX ([Text.Encoding]::UNICODE", "unicode") == 22
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ioc::text {

constexpr char lower_ascii(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// For eight bytes in a word, all ASCII (below 0x80): bit 7 of each byte of the
/// result is set when that byte lies in [lo, hi]. No carry crosses a byte.
constexpr std::uint64_t ascii_bytes_in(std::uint64_t w, unsigned char lo,
                                       unsigned char hi) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  // Bit 7 of w + (0x80 - lo) is set when the byte is >= lo, of w + (0x7f - hi) when > hi.
  return ((w + (0x7f - hi) * kOnes) ^ (w + (0x80 - lo) * kOnes)) & (0x80 * kOnes);
}

/// Copies n bytes from `in` to `out` with ASCII letters lower-cased; other
/// bytes (UTF-8 included) unchanged. Eight bytes at a time; `out` may be `in`,
/// else the two must not overlap.
inline void lower_ascii_copy(char* out, const char* in, std::size_t n) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  const auto lower8 = [&](std::size_t i) {
    std::uint64_t x;
    std::memcpy(&x, in + i, 8);
    // Tested on the low seven bits; bytes >= 0x80 are no letters.
    const std::uint64_t upper = ascii_bytes_in(x & (0x7f * kOnes), 'A', 'Z') & ~x;
    x |= upper >> 2;  // 0x80 >> 2 == 0x20: 'A' -> 'a'
    std::memcpy(out + i, &x, 8);
  };
  if (n < 8) {
    for (std::size_t i = 0; i < n; ++i) out[i] = lower_ascii(in[i]);
    return;
  }
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) lower8(i);
  // The last bytes as the last eight, again: lower-casing twice changes nothing
  // (`out` is `in`, or apart from it).
  if (i < n) lower8(n - 8);
}

/// How many bytes of s are c: 64 at a time where SSE2 is there (line
/// counting over blocks of text), with per-lane counts summed every 252
/// 16-byte steps (before a lane can reach 256).
inline std::size_t count_byte(std::string_view s, char c) noexcept {
  std::size_t n = 0, i = 0;
#if defined(__SSE2__)
  const __m128i k = _mm_set1_epi8(c), zero = _mm_setzero_si128();
  const auto matches = [&](std::size_t at) {  // -1 in each lane that matches
    return _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at)), k);
  };
  while (i + 64 <= s.size()) {
    __m128i lanes = zero;  // each byte: matches in its lane so far
    const std::size_t steps = std::min<std::size_t>((s.size() - i) / 64, 63);
    for (std::size_t step = 0; step < steps; ++step, i += 64) {
      const __m128i a = _mm_add_epi8(matches(i), matches(i + 16));
      const __m128i b = _mm_add_epi8(matches(i + 32), matches(i + 48));
      lanes = _mm_sub_epi8(lanes, _mm_add_epi8(a, b));
    }
    const __m128i sums = _mm_sad_epu8(lanes, zero);  // two 64-bit sums of eight lanes
    n += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) +
         static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
  }
#endif
  for (; i < s.size(); ++i) n += s[i] == c;
  return n;
}

inline std::string to_lower_ascii(std::string_view s) {
  std::string out(s.size(), '\0');
  lower_ascii_copy(out.data(), s.data(), s.size());
  return out;
}

/// Case-insensitive (ASCII) equality.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  return true;
}

/// Position of `needle` in `hay` at or after `pos`, ignoring ASCII case; npos if
/// absent. Candidates are found with memchr for both cases of the first character.
inline std::size_t ifind(std::string_view hay, std::string_view needle,
                         std::size_t pos = 0) noexcept {
  if (needle.empty()) return pos <= hay.size() ? pos : std::string_view::npos;
  if (hay.size() < needle.size() || pos > hay.size() - needle.size()) return std::string_view::npos;
  const char lo = lower_ascii(needle[0]);
  const char up = (lo >= 'a' && lo <= 'z') ? static_cast<char>(lo - 'a' + 'A') : lo;
  const std::size_t last = hay.size() - needle.size();  // last possible start
  auto next = [&](char c, std::size_t from) -> std::size_t {
    if (from > last) return std::string_view::npos;
    const void* p = std::memchr(hay.data() + from, c, last - from + 1);
    return p ? static_cast<std::size_t>(static_cast<const char*>(p) - hay.data())
             : std::string_view::npos;
  };
  std::size_t a = next(lo, pos);
  std::size_t b = up != lo ? next(up, pos) : std::string_view::npos;
  while (a != std::string_view::npos || b != std::string_view::npos) {
    const std::size_t i = std::min(a, b);
    if (iequals(hay.substr(i + 1, needle.size() - 1), needle.substr(1))) return i;
    if (i == a)
      a = next(lo, i + 1);
    else
      b = next(up, i + 1);
  }
  return std::string_view::npos;
}

/// Position of the last `needle` in `hay` ending at or before `end`, ignoring case.
constexpr std::size_t irfind(std::string_view hay, std::string_view needle,
                             std::size_t end = std::string_view::npos) noexcept {
  if (end > hay.size()) end = hay.size();
  if (needle.size() > end) return std::string_view::npos;
  for (std::size_t i = end - needle.size() + 1; i-- > 0;)
    if (iequals(hay.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

/// `s` without leading and trailing ASCII white space.
constexpr std::string_view trim_space(std::string_view s) noexcept {
  constexpr std::string_view kSpace = " \t\n\r\v\f";
  const std::size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

/// Calls fn(line_number, line) for each '\n'-separated line of `text` (numbered
/// from 1, a trailing '\r' dropped); stops early when fn returns false.
template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  std::size_t number = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!fn(++number, line)) return;
  }
}

}  // namespace ioc::text
