// ioc/core/limits.hpp — every bound on input-driven work, in one place.
//
// Defaults follow DESIGN.md §5. Tools expose each one as an option
// (--max-depth, --max-line, --max-output, --max-ratio, ...); exceeding one is
// ErrorCode::kLimitExceeded, never a crash or an unbounded allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ioc/core/result.hpp"

namespace ioc {

inline constexpr std::size_t kKiB = 1024;
inline constexpr std::size_t kMiB = 1024 * kKiB;
inline constexpr std::size_t kGiB = 1024 * kMiB;

struct Limits {
  /// How many layers a decoder may peel (psdecode, iocgrep --decode).
  std::size_t max_depth = 16;
  /// Largest output of one decoding step (one layer).
  std::size_t max_output = 64 * kMiB;
  /// Largest output of one decompression, whatever the ratio.
  std::size_t max_inflate_total = 256 * kMiB;
  /// Largest allowed output:input ratio of a decompression.
  std::size_t max_inflate_ratio = 1000;
  /// Longest input line (record); longer ones are reported (or windowed by iocgrep).
  std::size_t max_line = 256 * kMiB;
  /// TLS connect and read timeout in milliseconds.
  std::uint32_t tls_timeout_ms = 10'000;
  /// Deepest nesting of XML/JSON documents, and of recursive parsers.
  std::size_t max_nesting = 256;
};

/// Parses a size with an optional binary suffix: "4096", "64K", "1M", "2G",
/// "1MiB", "512kb" (K/M/G mean KiB/MiB/GiB). Rejects 0 only if `allow_zero` is false.
Result<std::size_t> parse_size(std::string_view text, bool allow_zero = false);

/// "64 MiB", "1 KiB", "4096 bytes": the inverse of parse_size for messages.
std::string format_size(std::size_t bytes);

}  // namespace ioc
