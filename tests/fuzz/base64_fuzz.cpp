// libFuzzer target: base64 decoding in every mode, and encode/decode round trips.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ioc/codec/base64.hpp"

using ioc::codec::Base64Alphabet;
using ioc::codec::decode_base64;
using ioc::codec::encode_base64;

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  for (auto alphabet :
       {Base64Alphabet::kAuto, Base64Alphabet::kStandard, Base64Alphabet::kUrlSafe}) {
    // Lenient decoding never fails without a limit, and never exceeds 3/4 of the input.
    std::size_t skipped = 0;
    auto lenient = decode_base64(input, {.alphabet = alphabet, .skipped = &skipped});
    check(lenient.has_value());
    check(lenient->size() <= size / 4 * 3 + 2);
    check(skipped <= size);

    // Strict decoding either fails at an offset inside the input or agrees with lenient.
    auto strict = decode_base64(input, {.alphabet = alphabet, .strict = true});
    if (strict) {
      check(*strict == *lenient);
    } else {
      check(strict.error().offset < size);
    }

    // A limit is respected.
    const std::size_t limit = size % 17;
    auto limited = decode_base64(input, {.alphabet = alphabet, .max_output = limit});
    if (limited) {
      check(limited->size() <= limit);
      check(*limited == *lenient);
    } else {
      check(limited.error().code == ioc::ErrorCode::kLimitExceeded);
      check(lenient->size() > limit);
    }
  }

  // Round trips: the input as bytes, through both alphabets, with and without padding.
  for (auto alphabet : {Base64Alphabet::kStandard, Base64Alphabet::kUrlSafe}) {
    for (bool pad : {true, false}) {
      const std::string encoded = encode_base64(input, alphabet, pad);
      auto same = decode_base64(encoded, {.alphabet = alphabet, .strict = true});
      check(same.has_value() && *same == input);
      auto any = decode_base64(encoded);
      check(any.has_value() && *any == input);
    }
  }
  return 0;
}
