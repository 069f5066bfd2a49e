// libFuzzer target: the embedded-blob finder (iocgrep --decode, --wide) on
// arbitrary bytes must not crash, must stay within its limits, and must report
// spans inside the input.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "ioc/ioc/embedded.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 256 * 1024) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  ioc::scan::EmbeddedOptions opt;
  opt.decoders = (data[0] & ioc::scan::kDecodeAll) | ioc::scan::kDecodeBase64;
  opt.limits.max_depth = 1 + (data[0] >> 5);
  opt.limits.max_output = 1 << 20;
  opt.limits.max_inflate_total = 1 << 20;
  std::vector<ioc::scan::DecodedText> out;
  ioc::scan::find_embedded(input, opt, out);
  std::size_t total = 0;
  for (const auto& d : out) {
    check(d.begin <= d.end && d.end <= input.size());
    check(!d.chain.empty());
    total += d.text.size();
  }
  // The budget may be passed by the last decoded text only.
  check(out.empty() || total - out.back().text.size() <= opt.limits.max_output);
  std::vector<ioc::scan::DecodedText> wide;
  ioc::scan::find_wide_strings(input, 4, wide);
  for (const auto& d : wide) {
    check(d.begin < d.end && d.end <= input.size());
    check(d.text.size() * 2 == d.end - d.begin);
  }
  return 0;
}
