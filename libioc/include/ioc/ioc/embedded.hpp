// ioc/ioc/embedded.hpp — blobs inside text, decoded so that their indicators can be found.
//
//   EmbeddedOptions opt;
//   opt.decoders = parse_decoders("all").value();
//   std::vector<DecodedText> found;
//   find_embedded("cmd /c powershell -enc SQBFAFgA...", opt, found);
//   // found[0].chain == "base64>utf16le", found[0].text == "IEX ...",
//   // found[0].begin/end: the blob's span in the input
//
// Candidates: runs of base64 characters (at least 16), runs of hex digits
// (even, at least 16), and whitespace-free tokens holding %XX escapes. A
// candidate counts when it decodes to text: UTF-16LE (by its NUL pattern),
// or well-formed UTF-8 that is mostly printable; gzip and zlib streams after
// base64 are inflated first (with the inflate caps). Decoded text is searched
// again, to limits.max_depth levels; everything decoded from one input is at
// most limits.max_output bytes. The codecs are libioc's (codec/).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/core/limits.hpp"
#include "ioc/core/result.hpp"

namespace ioc::scan {

enum Decoder : unsigned {
  kDecodeBase64 = 1,
  kDecodeHex = 2,
  kDecodeUrl = 4,
  kDecodeUtf16 = 8,  ///< base64 results that are UTF-16LE text
  kDecodeGzip = 16,  ///< base64 results that are gzip / zlib streams
  kDecodeAll = 31,
};

/// "base64,hex,url,utf16,gzip" or "all" -> a Decoder mask; kUsage for unknown names.
Result<unsigned> parse_decoders(std::string_view list);

struct EmbeddedOptions {
  unsigned decoders = 0;
  Limits limits{};
  std::size_t min_base64 = 16;  ///< shortest base64 run tried
  std::size_t min_hex = 16;     ///< shortest hex run tried
};

struct DecodedText {
  std::string text;       ///< the decoded text (UTF-8)
  std::string chain;      ///< how: "base64>utf16le", "base64>gzip>utf8", "hex", "url"
  std::size_t begin = 0;  ///< the outermost blob's span in the input
  std::size_t end = 0;
};

/// Appends every decoded text found in `text` (depth first, in input order).
void find_embedded(std::string_view text, const EmbeddedOptions& options,
                   std::vector<DecodedText>& out);

/// UTF-16LE text inside binary bytes: runs of at least `min_chars` printable
/// ASCII characters each followed by a NUL byte, converted to ASCII, with their
/// spans in `bytes`.
void find_wide_strings(std::string_view bytes, std::size_t min_chars,
                       std::vector<DecodedText>& out);

}  // namespace ioc::scan
