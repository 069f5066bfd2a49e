#include "ioc/codec/charset.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "ioc/codec/utf16.hpp"

namespace ioc::codec {
namespace {

struct ConverterCloser {
  void operator()(UConverter* cnv) const noexcept { ucnv_close(cnv); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

Result<ConverterPtr> open_converter(std::string_view encoding) {
  // ucnv_open("") opens the platform default: never what a caller meant.
  if (encoding.empty() || encoding.find('\0') != std::string_view::npos)
    return make_error(ErrorCode::kNotFound,
                      "unknown character set '" + std::string(encoding) + "'");
  const std::string name(encoding);
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr cnv(ucnv_open(name.c_str(), &status));
  if (status == U_MEMORY_ALLOCATION_ERROR) throw std::bad_alloc();
  if (U_FAILURE(status) || !cnv)
    return make_error(ErrorCode::kNotFound, "unknown character set '" + name + "'");
  return cnv;
}

ConverterPtr open_utf8() {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr cnv(ucnv_open("UTF-8", &status));
  if (U_FAILURE(status) || !cnv) throw std::bad_alloc();
  return cnv;
}

// toUnicode callback: every unassigned or illegal byte sequence becomes
// U+FFFD (ICU's default writes U+001A for unassigned bytes of some charsets).
void to_unicode_replacement(const void* /*context*/, UConverterToUnicodeArgs* args,
                            const char* /*units*/, int32_t /*length*/,
                            UConverterCallbackReason reason, UErrorCode* status) {
  if (reason > UCNV_IRREGULAR) return;  // reset, close, clone
  static const UChar kReplacement = 0xFFFD;
  *status = U_ZERO_ERROR;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, status);
}

// Streams `in` through source -> UTF-16 pivot -> target.
Result<std::string> convert(UConverter* target, UConverter* source, std::string_view in,
                            const char* what) {
  std::string out;
  if (in.empty()) return out;
  out.reserve(in.size());
  std::vector<UChar> pivot(4096);
  UChar* pivot_source = pivot.data();
  UChar* pivot_target = pivot.data();
  std::vector<char> buf(64 * 1024);
  const char* src = in.data();
  const char* src_end = in.data() + in.size();
  bool reset = true;
  for (;;) {
    char* t = buf.data();
    UErrorCode status = U_ZERO_ERROR;
    ucnv_convertEx(target, source, &t, buf.data() + buf.size(), &src, src_end, pivot.data(),
                   &pivot_source, &pivot_target, pivot.data() + pivot.size(), reset, true, &status);
    reset = false;
    out.append(buf.data(), static_cast<std::size_t>(t - buf.data()));
    if (status == U_BUFFER_OVERFLOW_ERROR) continue;
    if (status == U_MEMORY_ALLOCATION_ERROR) throw std::bad_alloc();
    if (U_FAILURE(status))
      return make_error(ErrorCode::kInvalidInput,
                        std::string(what) + " failed: " + u_errorName(status),
                        static_cast<std::size_t>(src - in.data()));
    break;
  }
  return out;
}

}  // namespace

Result<std::string> decode_text(std::string_view bytes, std::string_view encoding) {
  IOC_ASSIGN_OR_RETURN(ConverterPtr cnv, open_converter(encoding));
  switch (ucnv_getType(cnv.get())) {
    case UCNV_UTF8: return repair_utf8(bytes);
    case UCNV_UTF16_LittleEndian: return decode_utf16(bytes, Endian::kLittle);
    case UCNV_UTF16_BigEndian: return decode_utf16(bytes, Endian::kBig);
    case UCNV_UTF16: {
      // Byte order from the BOM; without one, little-endian as Windows writes it.
      const bool big = bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0xFE &&
                       static_cast<unsigned char>(bytes[1]) == 0xFF;
      return decode_utf16(bytes, big ? Endian::kBig : Endian::kLittle);
    }
    default: break;
  }
  UErrorCode status = U_ZERO_ERROR;
  ucnv_setToUCallBack(cnv.get(), to_unicode_replacement, nullptr, nullptr, nullptr, &status);
  ConverterPtr utf8 = open_utf8();
  return convert(utf8.get(), cnv.get(), bytes, "decoding");
}

Result<std::string> encode_text(std::string_view utf8, std::string_view encoding) {
  IOC_ASSIGN_OR_RETURN(ConverterPtr cnv, open_converter(encoding));
  switch (ucnv_getType(cnv.get())) {
    case UCNV_UTF8: return repair_utf8(utf8);
    case UCNV_UTF16_LittleEndian: return encode_utf16(utf8, Endian::kLittle);
    case UCNV_UTF16_BigEndian: return encode_utf16(utf8, Endian::kBig);
    case UCNV_UTF16: return encode_utf16(utf8, Endian::kLittle, /*bom=*/true);
    default: break;
  }
  // Characters the charset cannot represent become '?', as most tools show them.
  UErrorCode status = U_ZERO_ERROR;
  static const UChar kQuestionMark[] = {u'?'};
  ucnv_setSubstString(cnv.get(), kQuestionMark, 1, &status);
  ConverterPtr source = open_utf8();
  return convert(cnv.get(), source.get(), utf8, "encoding");
}

bool is_valid_utf8(std::string_view bytes) noexcept {
  const auto* s = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const std::size_t size = bytes.size();
  std::size_t i = 0;
  while (i < size) {
    // ASCII fast path, 8 bytes at a time.
    while (i + 8 <= size) {
      std::uint64_t word;
      std::memcpy(&word, s + i, 8);
      if (word & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= size) break;
    UChar32 c;
    U8_NEXT(s, i, size, c);
    if (c < 0) return false;
  }
  return true;
}

std::string repair_utf8(std::string_view bytes) {
  if (is_valid_utf8(bytes)) return std::string(bytes);
  const auto* s = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const std::size_t size = bytes.size();
  std::string out;
  out.reserve(size + size / 8);
  std::size_t i = 0;
  while (i < size) {
    const std::size_t start = i;
    UChar32 c;
    U8_NEXT(s, i, size, c);
    if (c < 0)
      out.append("\xEF\xBF\xBD", 3);
    else
      out.append(bytes.data() + start, i - start);
  }
  return out;
}

}  // namespace ioc::codec
