// The paths beyond SSE2 (ioc/core/cpu.hpp: AVX2 byte classifiers, POPCNT bit
// counts) must give the same refanged texts and the same hits as the baseline
// ones. On a CPU without them both runs take the baseline paths, and the
// tests say so.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../support.hpp"
#include "ioc/core/cpu.hpp"
#include "ioc/ioc/refang.hpp"
#include "ioc/ioc/scanner.hpp"

using ioc::scan::Hit;
using ioc::scan::Refanged;
using ioc::scan::ScanOptions;

namespace {

// Turns the paths beyond SSE2 back on (where the CPU has them) when a test ends.
struct RestoreExtensions {
  ~RestoreExtensions() { ioc::cpu::use_extensions(true); }
};

// Texts of every length up to 300 bytes made of pieces that hold triggers,
// markers and indicators, with a random byte now and then: the vector steps
// and the tail meet them at every offset.
std::vector<std::string> texts() {
  ioc::test::Random next(0x9E3779B97F4A7C15u);
  const std::string_view pieces[] = {"evil[.]com",
                                     "1.2.3[.]4",
                                     "hxxps://a.b.org/x",
                                     "bob[@]mail.ru",
                                     "(.)",
                                     "{dot}",
                                     "x\\.y",
                                     "a.]b",
                                     "C:\\Windows",
                                     "23:59:01",
                                     "[10.0.0.1]",
                                     "2001:db8::1",
                                     " ",
                                     "\n",
                                     "\xE3\x80\x82",
                                     "\xEF\xBC\x8E",
                                     "|}{",
                                     "d41d8cd98f00b204e9800998ecf8427e",
                                     "user@example.com",
                                     "Mozilla/5.0 (X",
                                     "h**p[:]//x[.]io",
                                     "caf\xC3\xA9.fr",
                                     "-.-",
                                     "::"};
  std::vector<std::string> out;
  for (int round = 0; round < 1500; ++round) {
    std::string s;
    const std::size_t len = next(301);
    while (s.size() < len) {
      if (next(8) == 0)
        s += static_cast<char>(next(256));
      else
        s += pieces[next(std::size(pieces))];
    }
    s.resize(len);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> hits_of(std::string_view text, const ScanOptions& options) {
  std::vector<std::string> out;
  for (const Hit& h : ioc::scan::scan_text(text, options))
    out.push_back(std::string(ioc::scan::type_name(h.type)) + " " + h.value + " " +
                  std::to_string(h.begin) + "-" + std::to_string(h.end) +
                  (h.defanged ? " defanged" : ""));
  return out;
}

}  // namespace

TEST_CASE("cpu: use_extensions(false) turns AVX2 and POPCNT off, use_extensions(true) back on",
          "[ioc][cpu]") {
  RestoreExtensions restore;
  const bool avx2 = ioc::cpu::avx2(), popcnt = ioc::cpu::popcnt();
  ioc::cpu::use_extensions(false);
  CHECK_FALSE(ioc::cpu::avx2());
  CHECK_FALSE(ioc::cpu::popcnt());
  ioc::cpu::use_extensions(true);
  CHECK(ioc::cpu::avx2() == avx2);
  CHECK(ioc::cpu::popcnt() == popcnt);
  if (!avx2) WARN("this CPU has no AVX2: the AVX2 paths are not compared here");
  if (!popcnt) WARN("this CPU has no POPCNT: its path is not compared here");
}

TEST_CASE("cpu: the refanger finds the same markers with the extensions and without",
          "[ioc][cpu]") {
  RestoreExtensions restore;
  std::size_t changed = 0;
  for (const std::string& text : texts()) {
    Refanged a, b;
    ioc::cpu::use_extensions(true);
    const bool fa = ioc::scan::refang(text, {}, a);
    ioc::cpu::use_extensions(false);
    const bool fb = ioc::scan::refang(text, {}, b);
    INFO(text);
    REQUIRE(fa == fb);
    REQUIRE(a.text == b.text);
    REQUIRE(a.changes == b.changes);
    changed += fa;
  }
  CHECK(changed > 1000);
}

TEST_CASE("cpu: the scanner finds the same hits with the extensions and without", "[ioc][cpu]") {
  RestoreExtensions restore;
  ScanOptions all;
  all.types = ioc::scan::all_types();
  std::size_t hits = 0;
  for (const std::string& text : texts()) {
    for (const ScanOptions& options : {ScanOptions{}, all}) {
      ioc::cpu::use_extensions(true);
      const std::vector<std::string> a = hits_of(text, options);
      ioc::cpu::use_extensions(false);
      const std::vector<std::string> b = hits_of(text, options);
      INFO(text);
      REQUIRE(a == b);
      hits += a.size();
    }
  }
  CHECK(hits > 5000);
}
