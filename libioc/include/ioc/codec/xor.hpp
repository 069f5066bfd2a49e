// ioc/codec/xor.hpp — XOR with a repeating key.
//
//   xor_bytes("\x0b\x06", "c")  -> "he"
// The key repeats from its first byte over the whole input. An empty key is kUsage.
#pragma once

#include <string>
#include <string_view>

#include "ioc/core/result.hpp"

namespace ioc::codec {

Result<std::string> xor_bytes(std::string_view bytes, std::string_view key);

}  // namespace ioc::codec
