// ioc/codec/charcodes.hpp — lists of character codes -> UTF-8.
//
//   decode_charcodes("83,121,115")          -> "Sys"
//   decode_charcodes("0x53 0x79 0x73")      -> "Sys"
//   decode_charcodes("53 79 73", {.base = 16}) -> "Sys"
//   decode_charcodes("[83, 121]")           -> "Sy"  (anything not a digit, letter or 'x'
//   separates)
//
// Tokens are runs of [0-9A-Za-z]. With base 0 (auto), a token with a 0x/0X
// prefix is hexadecimal and every other token decimal; with base 8, 10 or 16
// every token is read in that base (a 0x prefix is still allowed with 16).
// A token that is not a number in its base, or a code point above U+10FFFF or
// in the surrogate range, is kInvalidInput at the token's offset. Each code is
// a Unicode code point written as UTF-8 (so 233 -> "é", two bytes).
#pragma once

#include <string>
#include <string_view>

#include "ioc/core/result.hpp"

namespace ioc::codec {

struct CharcodeOptions {
  int base = 0;  ///< 0 (auto), 8, 10 or 16; anything else is kUsage
};

Result<std::string> decode_charcodes(std::string_view text, const CharcodeOptions& options = {});

/// The code points of UTF-8 text (invalid bytes as U+FFFD) in `base` (8, 10 or
/// 16, hex without prefix), joined by `separator`.
std::string encode_charcodes(std::string_view utf8, int base = 10,
                             std::string_view separator = ",");

}  // namespace ioc::codec
