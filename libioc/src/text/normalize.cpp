// Unicode normalization through ICU, with an ASCII fast path.
#include "ioc/text/normalize.hpp"

#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>
#include <unicode/utypes.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ioc::text {
namespace {

// ICU strings are indexed with int32_t, so long inputs are normalized in pieces
// cut where the normalizer has a boundary (nothing interacts across it).
constexpr std::size_t kPiece = std::size_t{1} << 20;

std::size_t piece_length(std::string_view s, const icu::Normalizer2& norm) {
  if (s.size() <= kPiece) return s.size();
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(s.data());
  for (std::size_t i = kPiece; i > 0; --i) {
    if ((bytes[i] & 0xC0) == 0x80) continue;  // a trail byte
    std::size_t j = i;
    UChar32 c = 0;
    U8_NEXT(bytes, j, s.size(), c);
    if (c < 0 || norm.hasBoundaryBefore(c)) return i;
  }
  return kPiece;
}

bool is_ascii(std::string_view s) {
  unsigned char any = 0;
  for (char c : s) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

const icu::Normalizer2* instance(NormalForm form, UErrorCode& status) {
  switch (form) {
    case NormalForm::kNfc: return icu::Normalizer2::getNFCInstance(status);
    case NormalForm::kNfd: return icu::Normalizer2::getNFDInstance(status);
    case NormalForm::kNfkc: return icu::Normalizer2::getNFKCInstance(status);
    case NormalForm::kNfkd: return icu::Normalizer2::getNFKDInstance(status);
    case NormalForm::kNfkcCasefold: return icu::Normalizer2::getNFKCCasefoldInstance(status);
  }
  return nullptr;
}

}  // namespace

Result<NormalForm> parse_normal_form(std::string_view name) {
  std::string lower;
  for (char c : name) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  if (lower == "nfc") return NormalForm::kNfc;
  if (lower == "nfd") return NormalForm::kNfd;
  if (lower == "nfkc") return NormalForm::kNfkc;
  if (lower == "nfkd") return NormalForm::kNfkd;
  if (lower == "nfkc_cf") return NormalForm::kNfkcCasefold;
  return make_error(ErrorCode::kNotFound, "unknown normal form '" + std::string(name) +
                                              "' (expected nfc, nfd, nfkc, nfkd or nfkc_cf)");
}

Result<std::string> normalize(std::string_view utf8, NormalForm form) {
  if (is_ascii(utf8)) {
    // ASCII is invariant under every form; NFKC_Casefold lower-cases it.
    std::string out(utf8);
    if (form == NormalForm::kNfkcCasefold)
      for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* norm = instance(form, status);
  if (norm == nullptr || U_FAILURE(status))
    return make_error(ErrorCode::kUnsupported,
                      std::string("ICU normalizer unavailable: ") + u_errorName(status));
  std::string out;
  out.reserve(utf8.size());
  while (!utf8.empty()) {
    const std::size_t n = piece_length(utf8, *norm);
    // Ill-formed sequences become U+FFFD.
    const icu::UnicodeString src =
        icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<std::int32_t>(n)));
    const icu::UnicodeString dst = norm->normalize(src, status);
    if (U_FAILURE(status))
      return make_error(ErrorCode::kUnsupported,
                        std::string("ICU normalization failed: ") + u_errorName(status));
    dst.toUTF8String(out);
    utf8.remove_prefix(n);
  }
  return out;
}

}  // namespace ioc::text
