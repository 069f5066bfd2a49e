// libFuzzer target: the strings of binary input (iocgrep's default for binary
// files, io/binary.hpp) must not depend on how the input is cut into chunks,
// and each must be what the input holds at its offset.
//   byte 0: chunk size; byte 1: wide, and max_len (small, or unlimited)
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/io/binary.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

struct Found {
  std::string text;
  std::uint64_t offset, line;
  bool wide, continued;
  bool operator==(const Found&) const = default;
};

std::vector<Found> run(std::string_view input, const ioc::io::StringsOptions& opt,
                       std::size_t chunk) {
  ioc::io::StringsFinder finder(opt);
  std::vector<Found> out;
  const ioc::io::StringsFinder::Callback take = [&](const ioc::io::BinaryString& s) {
    out.push_back({std::string(s.text), s.offset, s.line, s.wide, s.continued});
    return true;
  };
  for (std::size_t at = 0; at < input.size(); at += chunk)
    check(finder.feed(input.substr(at, chunk), take));
  check(finder.finish(take));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2 || size > 256 * 1024) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 2), size - 2);
  ioc::io::StringsOptions opt;
  opt.wide = (data[1] & 1) != 0;
  if (data[1] & 2) opt.max_len = 4 + (data[1] >> 2);
  const std::size_t chunk = 1 + data[0] % 64;
  const auto whole = run(input, opt, std::max<std::size_t>(input.size(), 1));
  check(run(input, opt, chunk) == whole);
  for (const Found& f : whole) {
    check(!f.text.empty());
    check(f.text.size() <= opt.max_len);
    check(f.line == 1 + static_cast<std::uint64_t>(
                            std::count(input.begin(), input.begin() + f.offset, '\n')));
    if (!f.wide) {
      check(input.substr(f.offset, f.text.size()) == f.text);
      continue;
    }
    check(f.offset + 2 * f.text.size() <= input.size());
    for (std::size_t k = 0; k < f.text.size(); ++k)
      check(input[f.offset + 2 * k] == f.text[k] && input[f.offset + 2 * k + 1] == '\0');
  }
  return 0;
}
