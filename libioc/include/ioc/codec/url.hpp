// ioc/codec/url.hpp — URL percent-decoding and encoding.
//
//   decode_percent("a%20b%2Fc")            -> "a b/c"
//   decode_percent("a+b", {.plus_as_space = true}) -> "a b"
//   decode_percent("%u0041%u00e9")         -> "Aé"  (%uXXXX, as JavaScript's unescape)
//   decode_percent("100%")                 -> "100%" (lenient: invalid escapes kept verbatim)
//
// In strict mode an invalid escape ('%' not followed by two hex digits or by
// 'u' and four hex digits) is kInvalidInput at the offset of its '%'.
// %uXXXX of a surrogate becomes U+FFFD (a valid surrogate pair %uD83D%uDE00 is
// joined into one character).
#pragma once

#include <string>
#include <string_view>

#include "ioc/core/result.hpp"

namespace ioc::codec {

struct PercentDecodeOptions {
  bool plus_as_space = false;
  bool strict = false;
};

Result<std::string> decode_percent(std::string_view text, const PercentDecodeOptions& options = {});

/// Percent-encodes every byte except RFC 3986 unreserved characters
/// (A-Z a-z 0-9 - . _ ~); with `keep_reserved`, also keeps
/// :/?#[]@!$&'()*+,;= so a whole URL stays readable. Upper-case hex digits.
std::string encode_percent(std::string_view bytes, bool keep_reserved = false);

}  // namespace ioc::codec
