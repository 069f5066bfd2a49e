// ioc/codec/rc4.hpp — the RC4 stream cipher (encryption and decryption are the same).
//
// Empire 1.x–6.2 encrypts its routing packets (the `session=` cookie) with RC4
// keyed by IV || staging key. OpenSSL 3 keeps RC4 in its legacy provider, so
// this is a small implementation of our own.
//   rc4("Key", "Plaintext") -> BB F3 16 E8 D9 40 AF 0A D3 (RFC 6229-era test vector)
// The key must be 1 to 256 bytes; otherwise kUsage.
#pragma once

#include <string>
#include <string_view>

#include "ioc/core/result.hpp"

namespace ioc::codec {

Result<std::string> rc4(std::string_view key, std::string_view bytes);

}  // namespace ioc::codec
