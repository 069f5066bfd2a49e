// libFuzzer target: the refanger on arbitrary bytes must not crash, must map
// every output byte back to an input offset in order, must report its
// replacements inside the output, and its trigger searches must agree: byte by
// byte (--loose) and 64 bytes a step, with AVX2 and with SSE2 (ioc/core/cpu.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ioc/core/cpu.hpp"
#include "ioc/ioc/refang.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 256 * 1024) return 0;
  const bool loose = (data[0] & 1) != 0;
  const std::string_view raw(reinterpret_cast<const char*>(data + 1), size - 1);
  ioc::scan::Refanged r;
  if (!loose && raw.find(' ') == std::string_view::npos) {
    // Without spaces, --loose finds nothing more, and its byte-by-byte search
    // must find what the default 16-bytes-at-a-time search finds.
    ioc::scan::Refanged a, b;
    const bool fa = ioc::scan::refang(raw, {}, a);
    const bool fb = ioc::scan::refang(raw, {.loose = true}, b);
    check(fa == fb && a.text == b.text && a.changes == b.changes);
  }
  {
    ioc::scan::Refanged sse2;
    const bool fa = ioc::scan::refang(raw, {.loose = loose}, r);
    ioc::cpu::use_extensions(false);
    const bool fb = ioc::scan::refang(raw, {.loose = loose}, sse2);
    ioc::cpu::use_extensions(true);
    check(fa == fb && r.text == sse2.text && r.changes == sse2.changes);
  }
  if (!ioc::scan::refang(raw, {.loose = loose}, r)) {
    check(r.text.empty() && r.changes.empty());
    return 0;
  }
  check(r.raw_offset(r.text.size()) == raw.size());
  check(r.text.size() <= raw.size() + 4 * r.changes.size());
  for (std::size_t i = 1; i <= r.text.size(); ++i) check(r.raw_offset(i - 1) <= r.raw_offset(i));
  std::uint32_t prev_end = 0, prev_raw_end = 0;
  for (const auto& c : r.changes) {
    check(c.begin < c.end && c.end <= r.text.size() && c.begin >= prev_end);
    check(c.raw_begin < c.raw_end && c.raw_end <= raw.size() && c.raw_begin >= prev_raw_end);
    // Unchanged text between two changes is as long in both texts.
    check(c.begin - prev_end == c.raw_begin - prev_raw_end);
    prev_end = c.end;
    prev_raw_end = c.raw_end;
  }
  // Unchanged bytes are copies of the raw bytes they map to.
  std::size_t c = 0;
  for (std::size_t i = 0; i < r.text.size(); ++i) {
    while (c < r.changes.size() && r.changes[c].end <= i) ++c;
    if (c < r.changes.size() && r.changes[c].begin <= i) continue;
    check(r.text[i] == raw[r.raw_offset(i)]);
  }
  return 0;
}
