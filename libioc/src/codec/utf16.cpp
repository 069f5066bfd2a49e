#include "ioc/codec/utf16.hpp"

#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

namespace ioc::codec {
namespace {

// Code units converted per ICU call: bounded temporaries, int32_t lengths.
constexpr std::size_t kChunkUnits = std::size_t{1} << 16;
constexpr std::uint16_t kBom = 0xFEFF;

std::uint16_t load_unit(const unsigned char* p, Endian endian) {
  return endian == Endian::kLittle ? static_cast<std::uint16_t>(p[0] | (p[1] << 8))
                                   : static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

void store_unit(unsigned char* p, std::uint16_t u, Endian endian) {
  if (endian == Endian::kLittle) {
    p[0] = static_cast<unsigned char>(u);
    p[1] = static_cast<unsigned char>(u >> 8);
  } else {
    p[0] = static_cast<unsigned char>(u >> 8);
    p[1] = static_cast<unsigned char>(u);
  }
}

// True for a UTF-8 trail byte (10xxxxxx), which cannot start a sequence.
bool is_trail(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

bool looks_like_utf16(std::string_view bytes, std::size_t zero_index) {
  if (bytes.size() < 4) return false;
  const std::size_t window = std::min<std::size_t>(bytes.size(), 4096);
  const std::size_t units = window / 2;
  std::size_t zero = 0;
  for (std::size_t u = 0; u < units; ++u)
    if (bytes[2 * u + zero_index] == '\0') ++zero;
  return zero * 10 >= units * 9;
}

}  // namespace

Result<std::string> decode_utf16(std::string_view bytes, Endian endian, bool strict,
                                 Utf16Report* report) {
  Utf16Report rep;
  std::size_t size = bytes.size();
  if (size % 2 != 0) {
    if (strict)
      return make_error(ErrorCode::kTruncated, "odd number of bytes in UTF-16 input", size - 1);
    rep.odd_trailing_byte = true;
    --size;
  }
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t pos = 0;  // byte offset
  if (size >= 2 && load_unit(in, endian) == kBom) {
    rep.bom_stripped = true;
    pos = 2;
  }

  std::string out;
  out.reserve((size - pos) / 2);
  std::vector<UChar> units;
  while (pos < size) {
    std::size_t n = std::min((size - pos) / 2, kChunkUnits);
    const unsigned char* p = in + pos;
    const std::size_t lo = endian == Endian::kLittle ? 0 : 1;  // index of the low byte
    const std::size_t hi = 1 - lo;
    unsigned any = 0;
    for (std::size_t k = 0; k < n; ++k) any |= p[2 * k + hi] | (p[2 * k + lo] & 0x80u);
    if (any == 0) {
      // Pure ASCII: one byte per unit.
      const std::size_t old = out.size();
      out.resize(old + n);
      char* w = out.data() + old;
      for (std::size_t k = 0; k < n; ++k) w[k] = static_cast<char>(p[2 * k + lo]);
      pos += 2 * n;
      continue;
    }
    units.resize(n);
    for (std::size_t k = 0; k < n; ++k)
      units[k] = static_cast<UChar>(p[2 * k + lo] | (p[2 * k + hi] << 8));
    // Keep a surrogate pair together: do not end a chunk on a lead surrogate
    // when more input follows.
    if (n > 1 && U16_IS_LEAD(units[n - 1]) && pos + 2 * n < size) --n;
    const std::size_t old = out.size();
    out.resize(old + 3 * n);  // at most 3 UTF-8 bytes per UTF-16 unit
    int32_t written = 0;
    int32_t substitutions = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strToUTF8WithSub(out.data() + old, static_cast<int32_t>(3 * n), &written, units.data(),
                       static_cast<int32_t>(n), 0xFFFD, &substitutions, &status);
    if (status == U_MEMORY_ALLOCATION_ERROR) throw std::bad_alloc();
    if (U_FAILURE(status))
      return make_error(ErrorCode::kInvalidInput,
                        std::string("UTF-16 conversion failed: ") + u_errorName(status), pos);
    out.resize(old + static_cast<std::size_t>(written));
    rep.replaced += static_cast<std::size_t>(substitutions);
    pos += 2 * n;
  }
  if (report) *report = rep;
  return out;
}

std::string encode_utf16(std::string_view utf8, Endian endian, bool bom) {
  const auto* in = reinterpret_cast<const unsigned char*>(utf8.data());
  const std::size_t size = utf8.size();
  std::string out;
  out.reserve(2 * size + (bom ? 2 : 0));
  if (bom) {
    out.resize(2);
    store_unit(reinterpret_cast<unsigned char*>(out.data()), kBom, endian);
  }
  std::vector<UChar> units;
  std::size_t pos = 0;
  while (pos < size) {
    std::size_t end = pos + std::min(size - pos, kChunkUnits);
    unsigned char any = 0;
    for (std::size_t k = pos; k < end; ++k) any |= in[k];
    if (any < 0x80) {
      const std::size_t old = out.size();
      out.resize(old + 2 * (end - pos));
      auto* w = reinterpret_cast<unsigned char*>(out.data() + old);
      const std::size_t lo = endian == Endian::kLittle ? 0 : 1;
      for (std::size_t k = pos; k < end; ++k, w += 2) w[lo] = in[k];  // the high bytes stay 0
      pos = end;
      continue;
    }
    // Do not split a UTF-8 sequence: move the chunk end back onto the nearest
    // byte that is not a trail byte (a sequence has at most 3 trail bytes).
    if (end < size) {
      for (std::size_t back = 0; back < 4 && end - back > pos; ++back) {
        if (!is_trail(in[end - back])) {
          end -= back;
          break;
        }
      }
    }
    const std::size_t n = end - pos;
    units.resize(n);  // a UTF-8 byte gives at most one UTF-16 unit
    int32_t written = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8WithSub(units.data(), static_cast<int32_t>(n), &written,
                         reinterpret_cast<const char*>(in + pos), static_cast<int32_t>(n), 0xFFFD,
                         nullptr, &status);
    if (status == U_MEMORY_ALLOCATION_ERROR) throw std::bad_alloc();
    if (U_FAILURE(status)) written = 0;  // cannot happen with a correctly sized buffer
    const std::size_t old = out.size();
    out.resize(old + 2 * static_cast<std::size_t>(written));
    auto* w = reinterpret_cast<unsigned char*>(out.data() + old);
    for (int32_t k = 0; k < written; ++k, w += 2)
      store_unit(w, static_cast<std::uint16_t>(units[static_cast<std::size_t>(k)]), endian);
    pos = end;
  }
  return out;
}

bool looks_like_utf16le(std::string_view bytes) noexcept {
  return looks_like_utf16(bytes, 1);
}

bool looks_like_utf16be(std::string_view bytes) noexcept {
  return looks_like_utf16(bytes, 0);
}

}  // namespace ioc::codec
