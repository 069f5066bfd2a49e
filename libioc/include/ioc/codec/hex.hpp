// ioc/codec/hex.hpp — hexadecimal decoding and encoding.
//
//   decode_hex("4d5a9000")          -> "MZ\x90\0"
//   decode_hex("4D 5A 90 00")       -> same   (separators between bytes)
//   decode_hex("0x4d,0x5a")         -> "MZ"   ("0x"/"0X" and "\x" prefixes skipped)
//   decode_hex("4d:5a:90")          -> "MZ\x90"
//   decode_hex("\\x4d\\x5a")        -> "MZ"
//   decode_hex("4 d")               -> "\x04\x0d" (a one-digit token is one byte, as CyberChef)
//
// The input is split into tokens of hex digits by separators (ASCII whitespace and
// , : ; - . |) and by the prefixes "0x", "0X", "\x" and "%". Each token is read as
// pairs of digits; a token of one digit is one byte. A longer token with an odd
// number of digits is kInvalidInput at its last digit in strict mode; in lenient
// mode its last digit is dropped. Any other character is kInvalidInput at its
// offset in strict mode and acts as a separator in lenient mode.
#pragma once

#include <string>
#include <string_view>

#include "ioc/core/result.hpp"

namespace ioc::codec {

struct HexDecodeOptions {
  bool strict = false;
};

Result<std::string> decode_hex(std::string_view text, const HexDecodeOptions& options = {});

/// Lower-case hex by default; `separator` goes between bytes ("", " ", ":" ...).
std::string encode_hex(std::string_view bytes, std::string_view separator = "", bool upper = false);

}  // namespace ioc::codec
