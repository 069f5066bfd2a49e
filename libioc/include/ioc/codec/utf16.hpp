// ioc/codec/utf16.hpp — UTF-16LE/BE <-> UTF-8, through ICU.
//
// PowerShell's -EncodedCommand is base64 of UTF-16LE, so this is the codec every
// launcher goes through:
//
//   Utf16Report rep;
//   auto r = decode_utf16(bytes, Endian::kLittle, /*strict=*/false, &rep);
//
// Decoding rules:
//  * a leading byte-order mark for the requested byte order (FF FE for LE,
//    FE FF for BE) is stripped; a BOM anywhere else is kept as U+FEFF;
//  * lone surrogates become U+FFFD (counted in Utf16Report::replaced);
//  * embedded U+0000 characters are kept (the output is a byte string);
//  * a trailing odd byte is kTruncated at its offset in strict mode; in lenient
//    mode it is dropped and reported in Utf16Report::odd_trailing_byte.
// Encoding turns invalid UTF-8 into U+FFFD first.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ioc/core/result.hpp"

namespace ioc::codec {

enum class Endian { kLittle, kBig };

/// What decode_utf16 noticed without failing.
struct Utf16Report {
  bool bom_stripped = false;
  bool odd_trailing_byte = false;  ///< lenient mode dropped a last odd byte
  std::size_t replaced = 0;        ///< lone surrogates turned into U+FFFD
};

Result<std::string> decode_utf16(std::string_view bytes, Endian endian, bool strict = false,
                                 Utf16Report* report = nullptr);

std::string encode_utf16(std::string_view utf8, Endian endian, bool bom = false);

/// Heuristic for "is this UTF-16LE text?": at least 4 bytes, and most code units
/// (>= 90%) of the first 4 KiB have a zero high byte (odd offsets), as ASCII-range
/// text in UTF-16LE does. looks_like_utf16be checks the even offsets.
bool looks_like_utf16le(std::string_view bytes) noexcept;
bool looks_like_utf16be(std::string_view bytes) noexcept;

}  // namespace ioc::codec
