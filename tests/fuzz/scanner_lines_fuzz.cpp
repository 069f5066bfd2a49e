// libFuzzer target: iocgrep scans lines in blocks when no hit can span a
// newline (Scanner::line_bounded). On arbitrary bytes cut at '\n', the hits of
// the whole text must be those of each line scanned alone, at their places,
// with the options chosen by the first byte (the types that can span lines off).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/ioc/scanner.hpp"
#include "scan_fuzz_options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ioc::scan;
  using ioc::fuzz::check;
  std::uint8_t flags;
  std::string_view input;
  if (!ioc::fuzz::flags_and_text(data, size, 64 * 1024, flags, input)) return 0;
  TypeSet types = default_types();
  if ((flags & 64) != 0) {
    types = all_types();
    for (Type t : {Type::kUserAgent, Type::kUri, Type::kSessionKey, Type::kRegistry,
                   Type::kFilepath, Type::kSsdeep})
      types.reset(static_cast<std::size_t>(t));
  }
  const ScanOptions opt = ioc::fuzz::scan_options_from(flags, types);
  Scanner whole(opt), lines(opt);
  check(whole.line_bounded());
  std::vector<Hit> all;
  whole.scan(input, all);
  std::vector<Hit> each;
  for (std::size_t begin = 0; begin <= input.size();) {
    std::size_t end = input.find('\n', begin);
    if (end == std::string_view::npos) end = input.size();
    std::vector<Hit> one;
    lines.scan(input.substr(begin, end - begin), one);
    for (Hit& h : one) {
      h.begin += begin;
      h.end += begin;
      each.push_back(std::move(h));
    }
    begin = end + 1;
  }
  check(all.size() == each.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    check(all[i].type == each[i].type);
    check(all[i].value == each[i].value);
    check(all[i].begin == each[i].begin && all[i].end == each[i].end);
    check(all[i].defanged == each[i].defanged && all[i].derived == each[i].derived);
  }
  return 0;
}
