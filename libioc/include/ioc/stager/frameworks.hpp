// ioc/stager/frameworks.hpp — which attack framework made a decoded payload.
//
// Empire has its own parser (empire.hpp). This module recognises the other
// frameworks whose PowerShell stagers psdecode meets, from the text of every
// decoded layer and the binary artifacts the layers produced:
//
//  * metasploit   "psh" / "psh-net" runners: gzip + FromBase64String + a script that
//                 maps shellcode with VirtualAlloc / GetDelegateForFunctionPointer
//                 (variant "psh"; the [scriptblock]::create(GzipStream) wrapper alone
//                 is "psh" at confidence 0.5), web_delivery's template: a WebClient
//                 with GetSystemWebProxy + DefaultCredentials, then "IEX
//                 $x.downloadstring('URL')" (variant "web_delivery"; a bare download
//                 cradle alone is no framework's);
//                 fields: LHOST/LPORT from x86/x64 reverse_tcp shellcode (the
//                 sockaddr pushed as 68 <ip> 68 02 00 <port>, or mov in x64), URLs
//                 and host of reverse_http(s) shellcode strings
//  * cobaltstrike PowerShell stagers: gzip + FromBase64String with a
//                 `-bxor 35` decoding loop over a Byte[] (variant "powershell");
//                 after XOR with the key found, the stager shellcode's host, port,
//                 URI and "User-Agent: ..." strings; download cradles next to the
//                 template's names ($var_code, func_get_proc_address, ...: variant
//                 "download_cradle")
//  * covenant     DeflateStream + [Reflection.Assembly]::Load of the inflated bytes
//                 (variant "launcher"); fields: URLs (UTF-16LE strings of the .NET
//                 assembly, e.g. "http://172.18.39.8:80"), hosts and ports
// Scripts are matched case-insensitively.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ioc::stager {

struct FrameworkMatch {
  std::string name;       ///< "metasploit", "cobaltstrike" or "covenant"
  std::string variant;    ///< "psh", "web_delivery", "powershell", "launcher", ...
  double confidence = 0;  ///< 0..1
  std::vector<std::string> urls;
  std::vector<std::string> hosts;
  std::vector<std::string> ports;  ///< decimal
  std::vector<std::string> user_agents;
  std::vector<std::string>
      evidence;  ///< short reasons: "VirtualAlloc + GetDelegateForFunctionPointer"
};

/// `scripts`: the text of every decoded layer, outermost first; `binaries`: the
/// bytes of every binary artifact (inflated PE, shellcode). nullopt when no
/// framework is recognised.
std::optional<FrameworkMatch> detect_framework(std::span<const std::string_view> scripts,
                                               std::span<const std::string_view> binaries);

/// Connection fields from Metasploit/Cobalt Strike x86/x64 stager shellcode
/// (best effort; empty fields when nothing is recognised).
FrameworkMatch shellcode_fields(std::string_view shellcode);

}  // namespace ioc::stager
