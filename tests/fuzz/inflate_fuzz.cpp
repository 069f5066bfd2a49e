// libFuzzer target: inflate of every container with small caps, and
// deflate/inflate round trips.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ioc/codec/inflate.hpp"

using ioc::ErrorCode;
using ioc::codec::Container;
using ioc::codec::deflate;
using ioc::codec::inflate;
using ioc::codec::InflateOptions;
using ioc::codec::InflateReport;

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

constexpr std::size_t kMaxOutput = 1024 * 1024;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  for (auto c : {Container::kAuto, Container::kRaw, Container::kZlib, Container::kGzip}) {
    for (bool allow_truncated : {false, true}) {
      InflateReport rep;
      auto r = inflate(
          input, c, {.max_output = kMaxOutput, .allow_truncated = allow_truncated, .report = &rep});
      if (r) {
        check(r->size() <= kMaxOutput);
        check(rep.trailing_bytes <= size);
        check(allow_truncated || !rep.truncated);
      } else {
        const auto& e = r.error();
        check(!allow_truncated || e.code != ErrorCode::kTruncated);
        check(!e.has_offset() || e.offset <= size);
      }
    }
  }

  // Round trip with a container and level picked from the input.
  if (size > 0) {
    const Container containers[] = {Container::kRaw, Container::kZlib, Container::kGzip};
    const Container c = containers[data[0] % 3];
    const int level = data[size - 1] % 10;
    auto z = deflate(input, c, level);
    check(z.has_value());
    InflateReport rep;
    auto back = inflate(*z, c, {.report = &rep});
    check(back.has_value() && *back == input && rep.trailing_bytes == 0);
    auto detected = inflate(*z, Container::kAuto);
    check(c == Container::kRaw || (detected.has_value() && *detected == input));
  }
  return 0;
}
