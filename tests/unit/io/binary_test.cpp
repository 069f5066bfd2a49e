#include "ioc/io/binary.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "../support.hpp"
#include "ioc/ioc/embedded.hpp"

using ioc::test::utf16le;

using ioc::io::BinaryString;
using ioc::io::looks_binary;
using ioc::io::StringsFinder;
using ioc::io::StringsOptions;

namespace {

struct Str {
  std::string text;
  std::uint64_t offset = 0;
  std::uint64_t line = 0;
  bool wide = false;
  bool continued = false;
  bool operator==(const Str& o) const {
    return text == o.text && offset == o.offset && line == o.line && wide == o.wide &&
           continued == o.continued;
  }
};

std::ostream& operator<<(std::ostream& os, const Str& s) {
  return os << "{'" << s.text << "' @" << s.offset << " line " << s.line << (s.wide ? " wide" : "")
            << (s.continued ? " continued" : "") << "}";
}

// The strings of `data` fed in pieces of `chunk` bytes (0: all at once).
std::vector<Str> strings(std::string_view data, StringsOptions opt, std::size_t chunk = 0) {
  StringsFinder finder(opt);
  std::vector<Str> out;
  const StringsFinder::Callback take = [&](const BinaryString& s) {
    out.push_back({std::string(s.text), s.offset, s.line, s.wide, s.continued});
    return true;
  };
  if (chunk == 0) chunk = std::max<std::size_t>(data.size(), 1);
  for (std::size_t at = 0; at < data.size(); at += chunk)
    REQUIRE(finder.feed(data.substr(at, chunk), take));
  REQUIRE(finder.finish(take));
  CHECK(finder.size() == data.size());
  return out;
}

std::vector<Str> only(const std::vector<Str>& all, bool wide) {
  std::vector<Str> out;
  for (const Str& s : all)
    if (s.wide == wide) out.push_back(s);
  return out;
}

std::uint64_t line_at(std::string_view data, std::size_t offset) {
  return 1 + static_cast<std::uint64_t>(std::count(data.begin(), data.begin() + offset, '\n'));
}

// Length of the printable character at i (ASCII, tab, well-formed UTF-8), 0 if none.
std::size_t char_len(std::string_view d, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(d[k]); };
  const unsigned char c = b(i);
  if ((c >= 0x20 && c < 0x7f) || c == '\t') return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  if (c >= 0xE0 && c <= 0xEF) n = 3;
  if (c >= 0xF0 && c <= 0xF4) n = 4;
  if (n == 0 || i + n > d.size()) return 0;
  if (c == 0xE0) lo = 0xA0;
  if (c == 0xED) hi = 0x9F;
  if (c == 0xF0) lo = 0x90;
  if (c == 0xF4) hi = 0x8F;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  return n;
}

// The printable runs of `data`, computed the obvious way.
std::vector<Str> reference_runs(std::string_view data, std::size_t min_run, std::size_t max_len) {
  std::vector<Str> out;
  std::size_t i = 0;
  while (i < data.size()) {
    if (char_len(data, i) == 0) {
      ++i;
      continue;
    }
    std::vector<std::pair<std::size_t, std::size_t>> pieces;  // [begin, end)
    std::size_t begin = i;
    while (i < data.size()) {
      const std::size_t n = char_len(data, i);
      if (n == 0) break;
      if (i + n - begin > max_len && i > begin) {
        pieces.emplace_back(begin, i);
        begin = i;
      }
      i += n;
    }
    pieces.emplace_back(begin, i);
    if (pieces.size() == 1 && i - begin < min_run) continue;
    for (std::size_t k = 0; k < pieces.size(); ++k) {
      const auto [b, e] = pieces[k];
      out.push_back(
          {std::string(data.substr(b, e - b)), b, line_at(data, b), false, k + 1 < pieces.size()});
    }
  }
  return out;
}

// The UTF-16LE strings of `data` as find_wide_strings finds them.
std::vector<Str> reference_wide(std::string_view data, std::size_t min_run) {
  std::vector<ioc::scan::DecodedText> found;
  ioc::scan::find_wide_strings(data, min_run, found);
  std::vector<Str> out;
  for (const auto& d : found) out.push_back({d.text, d.begin, line_at(data, d.begin), true, false});
  return out;
}

// Random bytes shaped like an executable: printable runs, UTF-8, UTF-16LE
// strings at odd and even offsets, NULs, newlines and noise.
std::string random_binary(std::mt19937& rng, std::size_t pieces) {
  static const std::vector<std::string> kParts = {"evil.com",
                                                  "http://1.2.3.4/x",
                                                  "\xC3\xA9t\xC3\xA9",
                                                  "\xE2\x82\xAC",
                                                  "\xF0\x9F\x98\x80",
                                                  "\xC3",
                                                  "\xE2\x82",
                                                  "\xED\xA0\x80",
                                                  "\xC0\xAF",
                                                  "\xF4\x90\x80\x80",
                                                  "\n",
                                                  "\r\n",
                                                  std::string(3, '\0'),
                                                  "\t",
                                                  "\x7f\x80\xFF",
                                                  "abc",
                                                  std::string(1, '\0'),
                                                  "\x01\x02",
                                                  "ab\ncd",
                                                  "xyzw"};
  std::string data;
  std::uniform_int_distribution<std::size_t> part(0, kParts.size() + 3);
  std::uniform_int_distribution<int> byte(0, 255);
  for (std::size_t k = 0; k < pieces; ++k) {
    const std::size_t p = part(rng);
    if (p < kParts.size()) {
      data += kParts[p];
    } else if (p == kParts.size()) {
      data += utf16le("host.example.org");
    } else if (p == kParts.size() + 1) {
      data += utf16le("ab\tc");
    } else {
      data += static_cast<char>(byte(rng));
    }
  }
  return data;
}

}  // namespace

TEST_CASE("looks_binary: a NUL byte in the first block", "[io]") {
  CHECK_FALSE(looks_binary(""));
  CHECK_FALSE(looks_binary("plain text\nwith lines\r\n\x01\xff\xfe"));
  CHECK(looks_binary(std::string("MZ\x90\0\x03", 5)));
  CHECK(looks_binary(std::string(1, '\0')));
}

TEST_CASE("StringsFinder finds printable runs with offsets and lines", "[io]") {
  using namespace std::string_literals;
  const std::string data = "\0\0abc\0evil.com\x01\x02\nGET /x\t1.2.3.4\n\n\xff"s + "last"s;
  const auto got = strings(data, {});
  REQUIRE(got.size() == 3);
  CHECK(got[0] == Str{"evil.com", 6, 1, false, false});
  CHECK(got[1] == Str{"GET /x\t1.2.3.4", 17, 2, false, false});
  CHECK(got[2] == Str{"last", 34, 4, false, false});  // "abc" is shorter than 4
}

TEST_CASE("StringsFinder keeps well-formed UTF-8 in runs, nothing else above 0x7F", "[io]") {
  using namespace std::string_literals;
  const std::string data = "\0b\xC3\xBC"s + "cher.example\0"s +  // "bücher.example"
                           "\xE2\x82\xAC"s + "abc\0"s +          // a euro sign
                           "\xF0\x9F\x98\x80xyz\0"s +            // an emoji
                           "ab\xC3"s + "cdef\0"s +    // a broken sequence: "ab" is too short
                           "\xC0\xAF"s + "wxyz\0"s +  // an overlong '/': not UTF-8
                           "pq\xED\xA0\x80rstu\0"s +  // a surrogate
                           "\x80\x80"s + "end"s;      // lone continuation bytes; "end" is short
  const auto got = strings(data, {});
  std::vector<std::string> texts;
  for (const auto& s : got) texts.push_back(s.text);
  CHECK(texts == std::vector<std::string>{"b\xC3\xBC"s + "cher.example", "\xE2\x82\xAC"s + "abc",
                                          "\xF0\x9F\x98\x80xyz", "cdef", "wxyz", "rstu"});
  CHECK(got[3].offset == data.find("cdef"));
  // A sequence cut by the end of input is not part of the run before it.
  CHECK(strings("abcd\xE2\x82"s, {}) == std::vector<Str>{{"abcd", 0, 1, false, false}});
}

TEST_CASE("StringsFinder gives the same strings whatever the chunk size", "[io]") {
  using namespace std::string_literals;
  const std::string data = "\0\0http://evil.example.com/a?b=1\0\0"s + utf16le("cdn.bad.example") +
                           "\n\xC3\xA9t\xC3\xA9 \xE2\x82\xAC 45.77.65.211\x01"s +
                           utf16le("x.example.org") + "\0tail-run"s;
  for (bool w : {false, true}) {
    const StringsOptions opt{.min_run = 4, .max_len = 1 << 20, .wide = w};
    const auto whole = strings(data, opt);
    CHECK(only(whole, false) == reference_runs(data, 4, 1 << 20));
    CHECK(only(whole, true) == (w ? reference_wide(data, 4) : std::vector<Str>{}));
    for (std::size_t chunk = 1; chunk <= data.size(); ++chunk) {
      INFO("chunk " << chunk << " wide " << w);
      CHECK(strings(data, opt, chunk) == whole);
    }
  }
}

TEST_CASE("StringsFinder reports UTF-16LE strings across chunk boundaries once", "[io]") {
  using namespace std::string_literals;
  // The second string is at an odd offset, and its last byte 'z' has no NUL.
  const std::string data = "MZ\x90\0"s + utf16le("http://evil-empire.com/x") + "\0\0\x01"s +
                           utf16le("1.2.3.4 ok") + "z"s;
  const StringsOptions opt{.min_run = 4, .max_len = 1 << 20, .wide = true};
  const auto want = std::vector<Str>{{"http://evil-empire.com/x", 4, 1, true, false},
                                     {"1.2.3.4 ok", 55, 1, true, false}};
  for (std::size_t chunk : {1, 2, 3, 7, 16, 31, 1000}) {
    INFO("chunk " << chunk);
    CHECK(only(strings(data, opt, chunk), true) == want);
  }
  CHECK(reference_wide(data, 4) == want);
}

TEST_CASE("StringsFinder cuts strings longer than max_len into pieces", "[io]") {
  using namespace std::string_literals;
  // 25 letters and a two-byte character at 9..10: a cut never splits it.
  const std::string run = "abcdefghi\xC3\xA9klmnopqrstuvwxyz";
  const std::string data = "\0"s + run + "\0\0"s + utf16le("0123456789abc") + "\0"s;
  const StringsOptions opt{.min_run = 4, .max_len = 10, .wide = true};
  const std::vector<Str> want = {
      {"abcdefghi", 1, 1, false, true},  // the 'é' would make 11 bytes
      {"\xC3\xA9klmnopqr", 10, 1, false, true},
      {"stuvwxyz", 20, 1, false, false},
      {"0123456789", 30, 1, true, true},
      {"abc", 50, 1, true, false},  // shorter than min_run, but a piece of a longer string
  };
  for (std::size_t chunk : {0, 1, 2, 5, 9, 10, 11}) {
    INFO("chunk " << chunk);
    CHECK(strings(data, opt, chunk) == want);
  }
}

TEST_CASE("StringsFinder matches the references on random input", "[io]") {
  std::mt19937 rng(20240601);
  for (int round = 0; round < 200; ++round) {
    const std::string data = random_binary(rng, 5 + round % 60);
    const std::size_t max_len = round % 3 == 0 ? 5 : 1 << 20;
    const StringsOptions opt{.min_run = 4, .max_len = max_len, .wide = round % 2 == 0};
    INFO("round " << round);
    const auto whole = strings(data, opt);
    CHECK(only(whole, false) == reference_runs(data, 4, max_len));
    if (opt.wide && max_len > data.size()) CHECK(only(whole, true) == reference_wide(data, 4));
    for (std::size_t chunk : {1, 2, 3, 4, 7, 13, 64}) {
      INFO("chunk " << chunk);
      CHECK(strings(data, opt, chunk) == whole);
    }
  }
}

TEST_CASE("StringsFinder stops when the callback says so", "[io]") {
  using namespace std::string_literals;
  StringsFinder finder;
  int calls = 0;
  const StringsFinder::Callback stop = [&](const BinaryString&) {
    ++calls;
    return false;
  };
  CHECK_FALSE(finder.feed("first\0second\0"s, stop));
  CHECK(calls == 1);
}
