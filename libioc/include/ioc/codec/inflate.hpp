// ioc/codec/inflate.hpp — deflate, zlib and gzip through zlib, with bomb caps.
//
//   InflateOptions opt;                        // max_output 256 MiB, max_ratio 1000
//   auto r = inflate(bytes, Container::kGzip, opt);
//   if (!r && r.error().code == ErrorCode::kLimitExceeded) { /* a decompression bomb */ }
//
// Output is produced in chunks and the caps are checked as it grows, so a bomb
// costs at most max_output bytes of memory, never its full expansion:
//  * more than max_output bytes is kLimitExceeded;
//  * once the output passes 1 MiB, an output larger than max_ratio times the
//    input is kLimitExceeded (small outputs are never bombs).
// kGzip decodes concatenated members as gunzip does and ignores trailing
// zero padding; other trailing bytes after a complete stream are ignored and
// reported in InflateReport::trailing_bytes. A stream that ends before its last
// block is kTruncated (or, with allow_truncated, returns what was inflated and
// sets InflateReport::truncated). Corrupt data is kInvalidInput at the input
// offset where zlib stopped, with zlib's message.
// kAuto picks gzip (1F 8B), then zlib (a valid CMF/FLG header), else raw.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ioc/core/limits.hpp"
#include "ioc/core/result.hpp"

namespace ioc::codec {

enum class Container {
  kRaw,   ///< RFC 1951 deflate, no header
  kZlib,  ///< RFC 1950
  kGzip,  ///< RFC 1952
  kAuto,  ///< inflate only: detect from the first bytes
};

struct InflateReport {
  std::size_t trailing_bytes = 0;  ///< bytes after the end of the stream
  bool truncated = false;          ///< allow_truncated returned a partial output
};

struct InflateOptions {
  std::size_t max_output = Limits{}.max_inflate_total;
  std::size_t max_ratio = Limits{}.max_inflate_ratio;
  bool allow_truncated = false;
  InflateReport* report = nullptr;
};

Result<std::string> inflate(std::string_view bytes, Container container,
                            const InflateOptions& options = {});

/// Compresses with zlib at `level` (0-9). kAuto is kUsage.
Result<std::string> deflate(std::string_view bytes, Container container, int level = 6);

/// What kAuto would choose for these bytes.
Container detect_container(std::string_view bytes) noexcept;

}  // namespace ioc::codec
