// Shared by the scanner's libFuzzer targets: the check that stops a run, and
// the scan options a target's first input byte chooses.
#pragma once

#include <cstdint>

#include "ioc/ioc/scanner.hpp"

namespace ioc::fuzz {

inline void check(bool ok) {
  if (!ok) __builtin_trap();
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
