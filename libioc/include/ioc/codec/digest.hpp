// ioc/codec/digest.hpp — message digests (OpenSSL), as lower-case hex.
//
//   sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
// Used for artifact hashes (psdecode), fingerprints and the md5/sha1/sha256
// recipe operations.
#pragma once

#include <string>
#include <string_view>

namespace ioc::codec {

std::string md5_hex(std::string_view bytes);
std::string sha1_hex(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);

}  // namespace ioc::codec
