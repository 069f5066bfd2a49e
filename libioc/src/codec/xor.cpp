#include "ioc/codec/xor.hpp"

#include <string>

namespace ioc::codec {

Result<std::string> xor_bytes(std::string_view bytes, std::string_view key) {
  if (key.empty()) return make_error(ErrorCode::kUsage, "XOR key must not be empty");
  std::string out(bytes);
  const std::size_t key_size = key.size();
  if (key_size == 1) {
    const char k = key[0];
    for (char& c : out) c = static_cast<char>(c ^ k);
    return out;
  }
  std::size_t k = 0;
  for (char& c : out) {
    c = static_cast<char>(c ^ key[k]);
    if (++k == key_size) k = 0;
  }
  return out;
}

}  // namespace ioc::codec
