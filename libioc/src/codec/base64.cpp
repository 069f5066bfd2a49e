#include "ioc/codec/base64.hpp"

#include <array>
#include <cstdint>
#include <string>

#include "ioc/core/limits.hpp"

namespace ioc::codec {
namespace {

// Decode table values besides 0..63.
constexpr std::uint8_t kInvalid = 0xFF;
constexpr std::uint8_t kSpace = 0xFE;
constexpr std::uint8_t kPad = 0xFD;

using DecodeTable = std::array<std::uint8_t, 256>;

constexpr char kStandardChars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrlSafeChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr DecodeTable make_decode_table(bool standard, bool url_safe) {
  DecodeTable t{};
  for (auto& v : t) v = kInvalid;
  for (int i = 0; i < 62; ++i)
    t[static_cast<unsigned char>(kStandardChars[i])] = static_cast<std::uint8_t>(i);
  if (standard) {
    t['+'] = 62;
    t['/'] = 63;
  }
  if (url_safe) {
    t['-'] = 62;
    t['_'] = 63;
  }
  for (unsigned char c : {' ', '\t', '\n', '\v', '\f', '\r'}) t[c] = kSpace;
  t['='] = kPad;
  return t;
}

constexpr DecodeTable kAutoTable = make_decode_table(true, true);
constexpr DecodeTable kStandardTable = make_decode_table(true, false);
constexpr DecodeTable kUrlSafeTable = make_decode_table(false, true);

const DecodeTable& table_for(Base64Alphabet alphabet) {
  switch (alphabet) {
    case Base64Alphabet::kStandard: return kStandardTable;
    case Base64Alphabet::kUrlSafe: return kUrlSafeTable;
    case Base64Alphabet::kAuto: break;
  }
  return kAutoTable;
}

// "'!'" for a printable character, "'\xNN'" otherwise.
std::string quote_char(unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (c >= 0x20 && c < 0x7F) return std::string{'\'', static_cast<char>(c), '\''};
  return std::string{'\'', '\\', 'x', kHex[c >> 4], kHex[c & 0xF], '\''};
}

}  // namespace

Result<std::string> decode_base64(std::string_view text, const Base64DecodeOptions& options) {
  const DecodeTable& table = table_for(options.alphabet);
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();

  // Every group of k characters (2..4) gives k-1 bytes, so 3/4 of the input
  // (rounded up to a group) is an upper bound on the output. Past `cap` the
  // output can only grow when max_output is the smaller of the two.
  const std::size_t bound = size / 4 * 3 + 3;
  const std::size_t cap = bound < options.max_output ? bound : options.max_output;
  std::string out(cap, '\0');
  auto* w = reinterpret_cast<unsigned char*>(out.data());
  std::size_t n_out = 0;

  auto limit_error = [&] {
    return make_error(ErrorCode::kLimitExceeded,
                      "decoded base64 exceeds " + format_size(options.max_output) + " (limit)");
  };

  std::uint32_t acc = 0;  // bits of the current group
  int n = 0;              // characters in the current group
  std::size_t group_start = 0;
  bool after_pad = false;  // a '=' just ended a group: more '=' are padding
  std::size_t skipped = 0;

  // Writes the 1 or 2 whole bytes of a final group of 2 or 3 characters;
  // false when that would pass the output cap.
  auto flush_partial = [&] {
    const std::size_t k = static_cast<std::size_t>(n) - 1;
    if (cap - n_out < k) return false;
    acc <<= 6 * (4 - n);
    w[n_out] = static_cast<unsigned char>(acc >> 16);
    if (k == 2) w[n_out + 1] = static_cast<unsigned char>(acc >> 8);
    n_out += k;
    return true;
  };

  std::size_t i = 0;
  while (i < size) {
    if (n == 0) {
      // Fast path: whole groups of four alphabet characters.
      while (i + 4 <= size) {
        const std::uint32_t a = table[in[i]], b = table[in[i + 1]], c = table[in[i + 2]],
                            d = table[in[i + 3]];
        if ((a | b | c | d) & 0xC0) break;
        if (cap - n_out < 3) return limit_error();
        const std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
        w[n_out] = static_cast<unsigned char>(v >> 16);
        w[n_out + 1] = static_cast<unsigned char>(v >> 8);
        w[n_out + 2] = static_cast<unsigned char>(v);
        n_out += 3;
        i += 4;
        after_pad = false;
      }
      if (i >= size) break;
    }
    const std::uint8_t v = table[in[i]];
    if (v < 64) {
      if (n == 0) group_start = i;
      acc = (acc << 6) | v;
      after_pad = false;
      if (++n == 4) {
        if (cap - n_out < 3) return limit_error();
        w[n_out] = static_cast<unsigned char>(acc >> 16);
        w[n_out + 1] = static_cast<unsigned char>(acc >> 8);
        w[n_out + 2] = static_cast<unsigned char>(acc);
        n_out += 3;
        n = 0;
        acc = 0;
      }
    } else if (v == kSpace) {
      // skipped in both modes
    } else if (v == kPad) {
      if (n >= 2) {
        if (!flush_partial()) return limit_error();
        after_pad = true;
      } else if (options.strict && (n == 1 || !after_pad)) {
        return make_error(ErrorCode::kInvalidInput,
                          n == 1 ? "unexpected base64 padding '=' after a single character"
                                 : "unexpected base64 padding '=' at the start of a group",
                          i);
      }
      n = 0;
      acc = 0;
    } else {
      if (options.strict)
        return make_error(ErrorCode::kInvalidInput, "invalid base64 character " + quote_char(in[i]),
                          i);
      ++skipped;
    }
    ++i;
  }

  if (n == 1 && options.strict)
    return make_error(ErrorCode::kTruncated,
                      "base64 input ends with a single character of a group (no whole byte)",
                      group_start);
  if (n >= 2 && !flush_partial()) return limit_error();
  if (options.skipped) *options.skipped = skipped;
  out.resize(n_out);
  return out;
}

std::string encode_base64(std::string_view bytes, Base64Alphabet alphabet, bool pad) {
  const char* chars = alphabet == Base64Alphabet::kUrlSafe ? kUrlSafeChars : kStandardChars;
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t size = bytes.size();
  const std::size_t full = size / 3;
  const std::size_t rest = size % 3;
  const std::size_t out_size = full * 4 + (rest == 0 ? 0 : (pad ? 4 : rest + 1));
  std::string out(out_size, '\0');
  char* w = out.data();
  std::size_t i = 0;
  for (std::size_t g = 0; g < full; ++g, i += 3) {
    const std::uint32_t v =
        (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    *w++ = chars[(v >> 18) & 63];
    *w++ = chars[(v >> 12) & 63];
    *w++ = chars[(v >> 6) & 63];
    *w++ = chars[v & 63];
  }
  if (rest != 0) {
    std::uint32_t v = std::uint32_t{in[i]} << 16;
    if (rest == 2) v |= std::uint32_t{in[i + 1]} << 8;
    *w++ = chars[(v >> 18) & 63];
    *w++ = chars[(v >> 12) & 63];
    if (rest == 2) *w++ = chars[(v >> 6) & 63];
    if (pad) {
      if (rest == 1) *w++ = '=';
      *w++ = '=';
    }
  }
  return out;
}

bool is_base64_char(char c) noexcept {
  const std::uint8_t v = kAutoTable[static_cast<unsigned char>(c)];
  return v < 64 || v == kPad;
}

std::size_t base64_run_length(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size() && kAutoTable[static_cast<unsigned char>(text[i])] < 64) ++i;
  for (int pad = 0; pad < 2 && i < text.size() && text[i] == '='; ++pad) ++i;
  return i;
}

}  // namespace ioc::codec
