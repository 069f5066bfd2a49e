// Unicode case mapping through ICU, with an ASCII fast path.
#include "ioc/text/case.hpp"

#include <unicode/locid.h>
#include <unicode/stringpiece.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ioc::text {
namespace {

// ICU strings are indexed with int32_t, so long inputs are mapped in pieces.
// Pieces end before ASCII whitespace or a digit: those are neither cased nor
// case-ignorable, so no context-sensitive mapping (final sigma, Lithuanian dots,
// Turkish dotted I) looks across the cut.
constexpr std::size_t kPiece = std::size_t{1} << 20;

bool is_context_break(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' ||
         (c >= '0' && c <= '9');
}

// The length of the next piece of `s` (all of it when it is short enough).
std::size_t piece_length(std::string_view s) {
  if (s.size() <= kPiece) return s.size();
  for (std::size_t i = kPiece; i > 0; --i)
    if (is_context_break(s[i])) return i;
  for (std::size_t i = kPiece; i > 0; --i)
    if (static_cast<unsigned char>(s[i]) < 0x80) return i;
  // No ASCII at all: cut before a byte that is not a UTF-8 trail byte.
  for (std::size_t i = kPiece; i > kPiece - 4; --i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return i;
  return kPiece;
}

template <typename Fn>
void for_each_piece(std::string_view s, Fn&& fn) {
  while (!s.empty()) {
    const std::size_t n = piece_length(s);
    fn(s.substr(0, n));
    s.remove_prefix(n);
  }
}

icu::UnicodeString from_utf8(std::string_view piece) {
  // Ill-formed sequences become U+FFFD.
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(piece.data(), static_cast<std::int32_t>(piece.size())));
}

bool is_ascii(std::string_view s) {
  unsigned char any = 0;
  for (char c : s) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
char ascii_upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
}

// Locales whose case mappings differ from the root locale's, even for ASCII
// letters (tr, az: dotted and dotless i) or around them (lt: combining dots).
bool has_special_casing(std::string_view locale) {
  std::size_t end = 0;
  while (end < locale.size() && locale[end] != '_' && locale[end] != '-' && locale[end] != '@' &&
         locale[end] != '.')
    ++end;
  std::string lang;
  for (std::size_t i = 0; i < end; ++i) lang += ascii_lower(locale[i]);
  return lang == "tr" || lang == "az" || lang == "lt" || lang == "tur" || lang == "aze" ||
         lang == "lit";
}

icu::Locale make_locale(std::string_view locale) {
  if (locale.empty()) return icu::Locale::getRoot();
  return icu::Locale(std::string(locale).c_str());
}

template <typename Map>
std::string map_pieces(std::string_view utf8, Map&& map) {
  std::string out;
  out.reserve(utf8.size());
  for_each_piece(utf8, [&](std::string_view piece) {
    icu::UnicodeString u = from_utf8(piece);
    map(u);
    u.toUTF8String(out);  // appends
  });
  return out;
}

}  // namespace

std::string to_lower(std::string_view utf8, std::string_view locale) {
  if (is_ascii(utf8) && !has_special_casing(locale)) {
    std::string out(utf8);
    for (char& c : out) c = ascii_lower(c);
    return out;
  }
  const icu::Locale loc = make_locale(locale);
  return map_pieces(utf8, [&](icu::UnicodeString& u) { u.toLower(loc); });
}

std::string to_upper(std::string_view utf8, std::string_view locale) {
  if (is_ascii(utf8) && !has_special_casing(locale)) {
    std::string out(utf8);
    for (char& c : out) c = ascii_upper(c);
    return out;
  }
  const icu::Locale loc = make_locale(locale);
  return map_pieces(utf8, [&](icu::UnicodeString& u) { u.toUpper(loc); });
}

std::string case_fold(std::string_view utf8, bool turkic) {
  if (!turkic && is_ascii(utf8)) {
    std::string out(utf8);
    for (char& c : out) c = ascii_lower(c);
    return out;
  }
  const std::uint32_t options = turkic ? U_FOLD_CASE_EXCLUDE_SPECIAL_I : U_FOLD_CASE_DEFAULT;
  return map_pieces(utf8, [&](icu::UnicodeString& u) { u.foldCase(options); });
}

}  // namespace ioc::text
