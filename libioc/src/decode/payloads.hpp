// Where a PowerShell script decodes something (internal to decode).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ioc::decode {

enum class PayloadKind {
  kBase64,          ///< [Convert]::FromBase64String('...') (maybe under GetString or a stream)
  kEncodedCommand,  ///< powershell ... -enc <base64> inside the script
  kRegistry,        ///< FromBase64String((gp KEY NAME).NAME): the payload is elsewhere
};

enum class Compression { kNone, kGzip, kDeflate };

struct Payload {
  PayloadKind kind = PayloadKind::kBase64;
  std::string base64;     ///< the encoded text
  std::size_t begin = 0;  ///< span of the encoded text in the script
  std::size_t end = 0;
  Compression compression = Compression::kNone;
  std::string encoding;      ///< GetString's: "utf-16le", "utf-8", "ascii", "utf-16be",
                             ///< "utf-32le", "windows-1252"; "" for bytes
  bool executed = false;     ///< the result runs as code
  std::string registry_key;  ///< kRegistry
  std::string registry_value;
};

/// Payloads in the order they appear.
std::vector<Payload> find_payloads(std::string_view script);

/// A -bxor decoding loop that is not Empire's RC4 stub.
bool has_custom_decoder(std::string_view script);

/// The script maps bytes as code (VirtualAlloc, GetDelegateForFunctionPointer ...).
bool mentions_shellcode_loader(std::string_view script);

}  // namespace ioc::decode
