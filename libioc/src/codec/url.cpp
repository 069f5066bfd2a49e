#include "ioc/codec/url.hpp"

#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <array>
#include <cstdint>
#include <string>

namespace ioc::codec {
namespace {

int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Value of `count` hex digits at text[pos..], or -1.
long read_hex(std::string_view text, std::size_t pos, std::size_t count) {
  if (text.size() < pos || text.size() - pos < count) return -1;
  long v = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const int d = hex_value(static_cast<unsigned char>(text[pos + k]));
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

void append_code_point(std::string& out, UChar32 c) {
  std::uint8_t buf[4];
  std::size_t n = 0;
  U8_APPEND_UNSAFE(buf, n, c);
  out.append(reinterpret_cast<const char*>(buf), n);
}

constexpr std::array<bool, 256> make_keep_table(bool reserved) {
  std::array<bool, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (unsigned char c : {'-', '.', '_', '~'}) t[c] = true;
  if (reserved)
    for (unsigned char c : {':', '/', '?', '#', '[', ']', '@', '!', '$', '&', '\'', '(', ')', '*',
                            '+', ',', ';', '='})
      t[c] = true;
  return t;
}

constexpr std::array<bool, 256> kUnreserved = make_keep_table(false);
constexpr std::array<bool, 256> kUnreservedOrReserved = make_keep_table(true);

}  // namespace

Result<std::string> decode_percent(std::string_view text, const PercentDecodeOptions& options) {
  std::string out;
  out.reserve(text.size());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    const char c = text[i];
    if (c == '+' && options.plus_as_space) {
      out.push_back(' ');
      ++i;
      continue;
    }
    if (c != '%') {
      out.push_back(c);
      ++i;
      continue;
    }
    if (const long byte = read_hex(text, i + 1, 2); byte >= 0) {
      out.push_back(static_cast<char>(byte));
      i += 3;
      continue;
    }
    if (i + 1 < size && text[i + 1] == 'u') {
      if (const long unit = read_hex(text, i + 2, 4); unit >= 0) {
        UChar32 cp = static_cast<UChar32>(unit);
        i += 6;
        if (U16_IS_SURROGATE(cp)) {
          long trail = -1;
          if (U16_IS_SURROGATE_LEAD(cp) && i + 1 < size && text[i] == '%' && text[i + 1] == 'u')
            trail = read_hex(text, i + 2, 4);
          if (trail >= 0 && U16_IS_TRAIL(trail)) {
            cp = U16_GET_SUPPLEMENTARY(cp, static_cast<UChar32>(trail));
            i += 6;
          } else {
            cp = 0xFFFD;
          }
        }
        append_code_point(out, cp);
        continue;
      }
    }
    if (options.strict)
      return make_error(ErrorCode::kInvalidInput,
                        "invalid percent escape (expected %XX or %uXXXX with hex digits)", i);
    out.push_back('%');
    ++i;
  }
  return out;
}

std::string encode_percent(std::string_view bytes, bool keep_reserved) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto& keep = keep_reserved ? kUnreservedOrReserved : kUnreserved;
  std::string out;
  out.reserve(bytes.size());
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (keep[c]) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace ioc::codec
