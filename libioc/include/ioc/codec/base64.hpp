// ioc/codec/base64.hpp — base64 decoding and encoding (RFC 4648).
//
// Decoding is what analysts need from real data, not what the RFC allows:
//
//   auto r = ioc::codec::decode_base64("aABp\nAA");        // "h\0i\0": no padding, a line break
//   auto s = ioc::codec::decode_base64("aA==BpAA==");      // two padded chunks, like `base64 -d`
//   auto e = ioc::codec::decode_base64("aAB!pAA==", {.strict = true});
//   // e.error(): kInvalidInput "invalid base64 character '!'" at offset 3
//
// Rules, in both modes:
//  * ASCII whitespace (space, \t, \n, \v, \f, \r) anywhere is skipped.
//  * Missing padding is fine: a final group of 2 or 3 characters decodes to 1 or 2 bytes.
//  * '=' ends the current group; decoding then starts a new group, so concatenated
//    padded chunks decode to the concatenation of their bytes. Extra '=' are ignored.
//  * Non-zero unused bits in the last character of a group are ignored.
// Lenient mode (the default):
//  * characters outside the alphabet are skipped (counted in *skipped when given);
//  * a final group of a single character carries no whole byte and is dropped.
// Strict mode:
//  * a character outside the alphabet is kInvalidInput at its offset;
//  * '=' where no padding can be (at the start of a group, or after 1 character)
//    is kInvalidInput at its offset;
//  * a final group of a single character is kTruncated at its offset.
// Alphabets: kStandard is "A-Za-z0-9+/", kUrlSafe "A-Za-z0-9-_", and kAuto (the
// default for decoding) accepts both 62nd/63rd pairs, so URL-safe blobs decode
// instead of silently losing '-' and '_' as CyberChef's default does.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

#include "ioc/core/result.hpp"

namespace ioc::codec {

enum class Base64Alphabet {
  kAuto,      ///< decode: accept '+' '/' and '-' '_'; encode: same as kStandard
  kStandard,  ///< RFC 4648 §4: '+' '/'
  kUrlSafe,   ///< RFC 4648 §5: '-' '_'
};

struct Base64DecodeOptions {
  Base64Alphabet alphabet = Base64Alphabet::kAuto;
  bool strict = false;
  /// Largest output allowed; more is kLimitExceeded (checked before allocating).
  std::size_t max_output = std::numeric_limits<std::size_t>::max();
  /// When not null, receives the number of non-alphabet, non-whitespace
  /// characters skipped in lenient mode.
  std::size_t* skipped = nullptr;
};

/// Decodes base64 text to bytes. See the rules above.
Result<std::string> decode_base64(std::string_view text, const Base64DecodeOptions& options = {});

/// Encodes bytes as base64 on one line. kAuto encodes like kStandard.
std::string encode_base64(std::string_view bytes,
                          Base64Alphabet alphabet = Base64Alphabet::kStandard, bool pad = true);

/// True for a character of either base64 alphabet or '='.
bool is_base64_char(char c) noexcept;

/// Length of the leading run of `text` that is base64: alphabet characters of
/// either alphabet, then at most two '='.
std::size_t base64_run_length(std::string_view text) noexcept;

}  // namespace ioc::codec
