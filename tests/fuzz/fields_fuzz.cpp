// Fuzzes FieldSelector (JSON lines, CSV/TSV with multi-line quoted fields) the
// way for_each_record drives it: line by line, then finish().
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ioc/io/fields.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kMaxInput = 64 * 1024;
  if (size > kMaxInput) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ioc::io::FieldSelector selector("CommandLine", ioc::io::RecordFormat::kAuto,
                                  /*max_line=*/512, /*max_nesting=*/16);
  while (!input.empty()) {
    std::size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    if (end != std::string_view::npos && !line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    auto r = selector.parse(line);
    if (!r || *r != ioc::io::FieldSelector::Status::kRecord) continue;
    // Use what a tool would: the value, the enriched record written as JSON.
    const std::string value(selector.value());
    selector.record()["CommandLine_decoded"] = value;
    const std::string out =
        selector.record().dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    // Ill-formed UTF-8 is replaced, so what a tool writes always parses back.
    if (nlohmann::ordered_json::parse(out, nullptr, false).is_discarded()) __builtin_trap();
  }
  (void)selector.finish();
  return 0;
}
