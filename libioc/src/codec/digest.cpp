#include "ioc/codec/digest.hpp"

#include <openssl/evp.h>

#include "ioc/codec/hex.hpp"

namespace ioc::codec {
namespace {

std::string digest_hex(const EVP_MD* md, std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // EVP_Digest only fails on allocation failure; an empty result is then returned.
  if (EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr) != 1) return {};
  return encode_hex(std::string_view(reinterpret_cast<const char*>(out), len));
}

}  // namespace

std::string md5_hex(std::string_view bytes) {
  return digest_hex(EVP_md5(), bytes);
}
std::string sha1_hex(std::string_view bytes) {
  return digest_hex(EVP_sha1(), bytes);
}
std::string sha256_hex(std::string_view bytes) {
  return digest_hex(EVP_sha256(), bytes);
}

}  // namespace ioc::codec
