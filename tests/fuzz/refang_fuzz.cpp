// libFuzzer target: the refanger on arbitrary bytes must not crash, must map
// every output byte back to an input offset in order, and must report its
// replacements inside the output.
#include <cstddef>
#include <cstdint>
#include <string_view>

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
  if (!ioc::scan::refang(raw, {.loose = loose}, r)) {
    check(r.text.empty() && r.changes.empty());
    return 0;
  }
  check(r.map.size() == r.text.size() + 1);
  check(r.map.back() == raw.size());
  check(r.text.size() <= raw.size() + 4 * r.changes.size());
  for (std::size_t i = 1; i < r.map.size(); ++i) check(r.map[i - 1] <= r.map[i]);
  std::uint32_t prev_end = 0;
  for (const auto& [b, e] : r.changes) {
    check(b < e && e <= r.text.size() && b >= prev_end);
    prev_end = e;
  }
  // Unchanged bytes are copies of the raw bytes they map to.
  std::size_t c = 0;
  for (std::size_t i = 0; i < r.text.size(); ++i) {
    while (c < r.changes.size() && r.changes[c].second <= i) ++c;
    if (c < r.changes.size() && r.changes[c].first <= i) continue;
    check(r.text[i] == raw[r.map[i]]);
  }
  return 0;
}
