// ioc/codec/charset.hpp — text in any character set <-> UTF-8.
//
//   decode_text(bytes, "utf-16le")   // via decode_utf16 (BOM, odd byte, surrogates as there)
//   decode_text(bytes, "windows-1252")
//   encode_text("Grüße", "latin1")
//
// Encoding names are ICU converter names and aliases, matched case-insensitively
// ("utf-8", "utf8", "utf-16le", "utf-16be", "latin1", "iso-8859-1",
// "windows-1252", "cp437", "utf-32le", "ascii", ...). Unknown names are
// kNotFound. Bytes that are invalid in the charset become U+FFFD.
// Also here: UTF-8 validation and repair for writers.
#pragma once

#include <string>
#include <string_view>

#include "ioc/core/result.hpp"

namespace ioc::codec {

Result<std::string> decode_text(std::string_view bytes, std::string_view encoding);
Result<std::string> encode_text(std::string_view utf8, std::string_view encoding);

/// True if the bytes are well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view bytes) noexcept;

/// The bytes with every ill-formed UTF-8 sequence replaced by U+FFFD.
std::string repair_utf8(std::string_view bytes);

}  // namespace ioc::codec
