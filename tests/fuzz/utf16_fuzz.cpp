// libFuzzer target: UTF-16 decoding in both byte orders and modes, and
// UTF-8 -> UTF-16 -> UTF-8 round trips.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ioc/codec/charset.hpp"
#include "ioc/codec/utf16.hpp"

using ioc::codec::decode_utf16;
using ioc::codec::encode_utf16;
using ioc::codec::Endian;
using ioc::codec::Utf16Report;

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  for (auto endian : {Endian::kLittle, Endian::kBig}) {
    Utf16Report rep;
    auto lenient = decode_utf16(input, endian, false, &rep);
    check(lenient.has_value());
    check(ioc::codec::is_valid_utf8(*lenient));
    check(rep.odd_trailing_byte == (size % 2 != 0));
    check(rep.replaced <= size / 2);

    auto strict = decode_utf16(input, endian, true);
    if (size % 2 == 0) {
      check(strict.has_value() && *strict == *lenient);
    } else {
      check(!strict && strict.error().offset == size - 1);
    }
  }
  (void)ioc::codec::looks_like_utf16le(input);
  (void)ioc::codec::looks_like_utf16be(input);

  // Round trip of the input taken as (repaired) UTF-8.
  const std::string utf8 = ioc::codec::repair_utf8(input);
  const bool leading_bom = utf8.compare(0, 3, "\xEF\xBB\xBF") == 0;
  for (auto endian : {Endian::kLittle, Endian::kBig}) {
    const std::string with_bom = encode_utf16(input, endian, true);
    auto back = decode_utf16(with_bom, endian, true);
    check(back.has_value() && *back == utf8);
    if (!leading_bom) {  // a leading U+FEFF would be read back as a BOM
      auto plain = decode_utf16(encode_utf16(utf8, endian), endian, true);
      check(plain.has_value() && *plain == utf8);
    }
  }
  return 0;
}
