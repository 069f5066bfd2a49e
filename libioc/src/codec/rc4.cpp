#include "ioc/codec/rc4.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <utility>

namespace ioc::codec {

Result<std::string> rc4(std::string_view key, std::string_view bytes) {
  if (key.empty() || key.size() > 256)
    return make_error(ErrorCode::kUsage,
                      "RC4 key must be 1 to 256 bytes long, not " + std::to_string(key.size()));
  // Key scheduling.
  std::array<std::uint8_t, 256> s;
  for (std::size_t i = 0; i < 256; ++i) s[i] = static_cast<std::uint8_t>(i);
  std::uint8_t j = 0;
  for (std::size_t i = 0; i < 256; ++i) {
    j = static_cast<std::uint8_t>(j + s[i] + static_cast<std::uint8_t>(key[i % key.size()]));
    std::swap(s[i], s[j]);
  }
  // Keystream XOR.
  std::string out(bytes);
  std::uint8_t i = 0;
  j = 0;
  for (char& c : out) {
    i = static_cast<std::uint8_t>(i + 1);
    j = static_cast<std::uint8_t>(j + s[i]);
    std::swap(s[i], s[j]);
    c = static_cast<char>(static_cast<std::uint8_t>(c) ^ s[static_cast<std::uint8_t>(s[i] + s[j])]);
  }
  return out;
}

}  // namespace ioc::codec
