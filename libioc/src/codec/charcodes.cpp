#include "ioc/codec/charcodes.hpp"

#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <string>

namespace ioc::codec {
namespace {

bool is_token_char(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int digit_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

const char* base_name(int base) {
  switch (base) {
    case 8: return "octal";
    case 16: return "hexadecimal";
    default: return "decimal";
  }
}

constexpr std::uint32_t kMaxCodePoint = 0x10FFFF;

}  // namespace

Result<std::string> decode_charcodes(std::string_view text, const CharcodeOptions& options) {
  if (options.base != 0 && options.base != 8 && options.base != 10 && options.base != 16)
    return make_error(ErrorCode::kUsage, "character code base must be 0 (auto), 8, 10 or 16, not " +
                                             std::to_string(options.base));
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::string out;
  out.reserve(size / 2);
  std::size_t i = 0;
  while (i < size) {
    if (!is_token_char(in[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    std::size_t end = i;
    while (end < size && is_token_char(in[end])) ++end;
    i = end;

    std::size_t p = start;
    int base = options.base == 0 ? 10 : options.base;
    const bool prefixed =
        end - start >= 2 && in[start] == '0' && (in[start + 1] == 'x' || in[start + 1] == 'X');
    if (prefixed && (options.base == 0 || options.base == 16)) {
      base = 16;
      p += 2;
    }
    const std::string_view token = text.substr(start, end - start);
    if (p == end)
      return make_error(
          ErrorCode::kInvalidInput,
          "'" + std::string(token) + "' is not a " + base_name(base) + " character code", start);
    std::uint32_t value = 0;
    bool too_large = false;
    for (; p < end; ++p) {
      const int d = digit_value(in[p]);
      if (d >= base)
        return make_error(
            ErrorCode::kInvalidInput,
            "'" + std::string(token) + "' is not a " + base_name(base) + " character code", start);
      if (!too_large) {
        value = value * static_cast<std::uint32_t>(base) + static_cast<std::uint32_t>(d);
        if (value > kMaxCodePoint) too_large = true;
      }
    }
    if (too_large)
      return make_error(ErrorCode::kInvalidInput,
                        "character code '" + std::string(token) + "' is above U+10FFFF", start);
    if (U_IS_SURROGATE(value))
      return make_error(
          ErrorCode::kInvalidInput,
          "character code '" + std::string(token) + "' is a UTF-16 surrogate, not a character",
          start);
    std::uint8_t buf[4];
    std::size_t n = 0;
    U8_APPEND_UNSAFE(buf, n, value);
    out.append(reinterpret_cast<const char*>(buf), n);
  }
  return out;
}

std::string encode_charcodes(std::string_view utf8, int base, std::string_view separator) {
  if (base != 8 && base != 16) base = 10;
  static constexpr char kDigits[] = "0123456789abcdef";
  const auto* s = reinterpret_cast<const std::uint8_t*>(utf8.data());
  const std::size_t size = utf8.size();
  std::string out;
  out.reserve(size * 4);
  std::size_t i = 0;
  bool first = true;
  while (i < size) {
    UChar32 c;
    U8_NEXT(s, i, size, c);
    if (c < 0) c = 0xFFFD;
    if (!first) out.append(separator);
    first = false;
    char buf[16];
    std::size_t n = 0;
    auto v = static_cast<std::uint32_t>(c);
    do {
      buf[n++] = kDigits[v % static_cast<std::uint32_t>(base)];
      v /= static_cast<std::uint32_t>(base);
    } while (v != 0);
    while (n != 0) out.push_back(buf[--n]);
  }
  return out;
}

}  // namespace ioc::codec
