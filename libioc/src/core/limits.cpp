#include "ioc/core/limits.hpp"

#include <cctype>
#include <charconv>
#include <string>

namespace ioc {

Result<std::size_t> parse_size(std::string_view text, bool allow_zero) {
  const std::string shown(text);
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range)
    return make_error(ErrorCode::kUsage, "size '" + shown + "' is too large");
  if (ec != std::errc() || end == text.data())
    return make_error(ErrorCode::kUsage,
                      "invalid size '" + shown + "' (expected e.g. 4096, 64K, 1M, 2G)");
  std::string suffix;
  for (const char* p = end; p != text.data() + text.size(); ++p)
    suffix += static_cast<char>(std::tolower(static_cast<unsigned char>(*p)));
  std::size_t mult = 1;
  if (suffix.empty() || suffix == "b")
    mult = 1;
  else if (suffix == "k" || suffix == "kb" || suffix == "kib")
    mult = kKiB;
  else if (suffix == "m" || suffix == "mb" || suffix == "mib")
    mult = kMiB;
  else if (suffix == "g" || suffix == "gb" || suffix == "gib")
    mult = kGiB;
  else
    return make_error(ErrorCode::kUsage, "invalid size suffix in '" + shown + "' (use K, M or G)");
  if (value != 0 && value > std::numeric_limits<std::size_t>::max() / mult)
    return make_error(ErrorCode::kUsage, "size '" + shown + "' is too large");
  if (value == 0 && !allow_zero) return make_error(ErrorCode::kUsage, "size must not be 0");
  return value * mult;
}

std::string format_size(std::size_t bytes) {
  if (bytes != 0 && bytes % kGiB == 0) return std::to_string(bytes / kGiB) + " GiB";
  if (bytes != 0 && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  if (bytes != 0 && bytes % kKiB == 0) return std::to_string(bytes / kKiB) + " KiB";
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

}  // namespace ioc
