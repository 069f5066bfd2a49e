// ioc/core/source.hpp — where a record came from.
//
// Every record a tool writes carries its source: the input name ("-" is
// stdin, shown as "(stdin)"), the 1-based line or record number and the byte
// offset of the record's first byte. Diagnostics print it as FILE:LINE.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ioc {

struct Source {
  std::string_view name;     ///< input name as given; views the caller's string
  std::uint64_t line = 0;    ///< 1-based record number; 0 = the whole input
  std::uint64_t offset = 0;  ///< byte offset of the record in the input

  /// "file:12", "(stdin):3", or just "file" when line is 0.
  std::string to_string() const;
};

/// The name used for standard input in messages and in `source` fields.
inline constexpr std::string_view kStdinName = "(stdin)";

}  // namespace ioc
