// Fuzzes the layer peeler end to end (command-line splitting, wrappers,
// PowerShell arguments, folding, payload finding, decoding, framework parsers),
// with small limits, and the JSON report of whatever comes out.
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ioc/decode/peeler.hpp"
#include "ioc/decode/report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ioc::decode::PeelOptions opt;
  opt.limits.max_output = 1 << 20;
  opt.limits.max_inflate_total = 1 << 20;
  opt.limits.max_depth = 6;
  const ioc::decode::Peeled p = ioc::decode::peel(text, opt);
  for (const auto& l : p.layers)
    if (l.begin > l.end) __builtin_trap();
  (void)ioc::decode::to_json(p, "fuzz", true)
      .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  (void)ioc::decode::to_text(p, "fuzz",
                             {.pretty = true, .color = true, .explain = true, .escape = true});
  return 0;
}
