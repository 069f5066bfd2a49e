// Shared by the scanner's libFuzzer targets: the check that stops a run, the
// split of an input into its first byte and the text, and the scan options
// that first byte chooses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ioc/ioc/scanner.hpp"

namespace ioc::fuzz {

inline void check(bool ok) {
  if (!ok) __builtin_trap();
}

// An input of 1 to max_size bytes: its first byte (the flags below) and the
// text after it. False for other sizes (the target skips the input).
inline bool flags_and_text(const std::uint8_t* data, std::size_t size, std::size_t max_size,
                           std::uint8_t& flags, std::string_view& text) {
  if (size == 0 || size > max_size) return false;
  flags = data[0];
  text = std::string_view(reinterpret_cast<const char*>(data + 1), size - 1);
  return true;
}

// Bit 0 off refanging, 1 loose, 2 off derived hosts, 3 off the TLD check,
// 4 U-labels, 5 the context filter (the types are the caller's).
inline scan::ScanOptions scan_options_from(std::uint8_t flags, scan::TypeSet types) {
  scan::ScanOptions opt;
  opt.types = types;
  opt.refang = (flags & 1) == 0;
  opt.loose = (flags & 2) != 0;
  opt.derived = (flags & 4) == 0;
  opt.tld_check = (flags & 8) == 0;
  opt.unicode = (flags & 16) != 0;
  opt.context_filter = (flags & 32) != 0;
  return opt;
}

}  // namespace ioc::fuzz
