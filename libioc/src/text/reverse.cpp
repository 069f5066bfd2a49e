#include "ioc/text/reverse.hpp"

#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>

namespace ioc::text {

std::string reverse_characters(std::string_view utf8) {
  std::string out(utf8.size(), '\0');
  const auto* s = reinterpret_cast<const std::uint8_t*>(utf8.data());
  const auto length = static_cast<std::int32_t>(utf8.size());
  std::size_t end = utf8.size();
  std::int32_t i = 0;
  while (i < length) {
    const std::int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) i = start + 1;  // ill-formed: keep one byte
    const auto n = static_cast<std::size_t>(i - start);
    end -= n;
    std::copy_n(utf8.data() + start, n, out.data() + end);
  }
  return out;
}

std::string reverse_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t end = text.size();
  while (true) {
    const std::size_t nl = end == 0 ? std::string_view::npos : text.rfind('\n', end - 1);
    const std::size_t begin = nl == std::string_view::npos ? 0 : nl + 1;
    out.append(text.substr(begin, end - begin));
    if (nl == std::string_view::npos) break;
    out.push_back('\n');
    end = nl;
  }
  return out;
}

std::string reverse_bytes(std::string_view bytes) {
  return std::string(bytes.rbegin(), bytes.rend());
}

}  // namespace ioc::text
