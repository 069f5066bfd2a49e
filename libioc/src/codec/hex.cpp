#include "ioc/codec/hex.hpp"

#include <array>
#include <cstdint>
#include <string>

namespace ioc::codec {
namespace {

constexpr std::uint8_t kNotHex = 0xFF;

constexpr std::array<std::uint8_t, 256> make_hex_table() {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = kNotHex;
  for (int i = 0; i < 10; ++i) t['0' + i] = static_cast<std::uint8_t>(i);
  for (int i = 0; i < 6; ++i) {
    t['a' + i] = static_cast<std::uint8_t>(10 + i);
    t['A' + i] = static_cast<std::uint8_t>(10 + i);
  }
  return t;
}

constexpr std::array<std::uint8_t, 256> kHexValue = make_hex_table();

bool is_separator(unsigned char c) {
  switch (c) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ',':
    case ':':
    case ';':
    case '-':
    case '.':
    case '|':
    case '%': return true;
    default: return false;
  }
}

std::string quote_char(unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (c >= 0x20 && c < 0x7F) return std::string{'\'', static_cast<char>(c), '\''};
  return std::string{'\'', '\\', 'x', kHex[c >> 4], kHex[c & 0xF], '\''};
}

}  // namespace

Result<std::string> decode_hex(std::string_view text, const HexDecodeOptions& options) {
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::string out;
  out.reserve(size / 2 + 1);

  std::size_t i = 0;
  while (i < size) {
    const unsigned char c = in[i];
    if (kHexValue[c] != kNotHex) {
      // "0x" / "0X" prefix at the start of a token.
      if (c == '0' && i + 1 < size && (in[i + 1] == 'x' || in[i + 1] == 'X')) {
        i += 2;
        continue;
      }
      std::size_t end = i;
      while (end < size && kHexValue[in[end]] != kNotHex) ++end;
      const std::size_t len = end - i;
      if (len == 1) {
        out.push_back(static_cast<char>(kHexValue[c]));
      } else {
        if (len % 2 != 0 && options.strict)
          return make_error(ErrorCode::kInvalidInput,
                            "odd number of hex digits in a token (last digit has no pair)",
                            end - 1);
        for (std::size_t j = i; j + 1 < end; j += 2)
          out.push_back(static_cast<char>((kHexValue[in[j]] << 4) | kHexValue[in[j + 1]]));
      }
      i = end;
      continue;
    }
    if (c == '\\' && i + 1 < size && in[i + 1] == 'x') {
      i += 2;
      continue;
    }
    if (!is_separator(c) && options.strict)
      return make_error(ErrorCode::kInvalidInput, "invalid hex character " + quote_char(c), i);
    ++i;
  }
  return out;
}

std::string encode_hex(std::string_view bytes, std::string_view separator, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  if (bytes.empty()) return out;
  out.resize(bytes.size() * 2 + (bytes.size() - 1) * separator.size());
  char* w = out.data();
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i != 0 && !separator.empty()) {
      separator.copy(w, separator.size());
      w += separator.size();
    }
    const auto b = static_cast<unsigned char>(bytes[i]);
    *w++ = digits[b >> 4];
    *w++ = digits[b & 0xF];
  }
  return out;
}

}  // namespace ioc::codec
