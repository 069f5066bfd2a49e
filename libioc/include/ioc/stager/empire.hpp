// ioc/stager/empire.hpp — PowerShell Empire launchers (stage 0) as typed fields.
//
//   auto cfg = parse_empire_stager(decoded_script);
//   if (cfg) { cfg->server; cfg->uris; cfg->staging_key; cfg->cookie_decoded->verified; }
//
// Works on the decoded launcher script as it is (not lower-cased; quoted values
// keep their case): code is matched case-insensitively, because Empire randomizes
// the case of code but never of quoted values. Variable names are never assumed:
// the parser follows the WebClient's Headers.Add('User-Agent', $x) to $x's
// assignment, DownloadData($a+$b) to $a and $b, GetBytes('...') to the key, and
// so on. Empire's own obfuscations inside the launcher ('Amsi'+'Utils' string
// concatenation, backticks in member names such as "GetFie`ld") are normalized
// locally before matching.
//
// Generations recognised (`variant`):
//  * "2.0"       (2016-2017, BOTSv2): AMSI bypass, $ser='<server>', "session=<b64>" cookie
//  * "2.2-2.4"   adds If($PSVersionTable.PSVersion.Major -ge 3){...cachedGroupPolicySettings...}
//                (script-block-logging bypass)
//  * "2.5-dev"   random variable names ($a9486), server as base64 UTF-16LE
//                ($ser=$([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('...')))),
//                random cookie name
//  * "bc-3.x-5.x" BC-Security: no case randomization, ETW bypass (PSEtwLogProvider)
//  * "6.3+"      ChaCha20-Poly1305 routing packet; IEX ([Text.Encoding]::UTF8.GetString($data))
// Cookies of 2.x-6.2 are base64 of IV[4] || RC4(IV || staging key, routing packet
// header); `cookie_decoded.verified` is true only when it decrypts to session id
// "00000000", language 1, meta 1 (STAGE0), additional 0, length 0 — proof that
// the staging key is the one the server holds. For 6.3+ the cookie is reported,
// not decrypted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/core/result.hpp"

namespace ioc::stager {

/// An Empire routing-packet header, decrypted from a launcher's cookie.
struct EmpireCookie {
  std::string session_id;  ///< 8 characters; "00000000" for a launcher
  int language = 0;        ///< 1 = PowerShell, 2 = Python, 3 = C#
  int meta = 0;            ///< 1 = STAGE0
  int additional = 0;
  std::uint32_t length = 0;
  bool verified = false;  ///< all of the above are a launcher's values
};

struct EmpireProxy {
  std::string mode = "default";   ///< "default" (system proxy), "none" or "explicit"
  std::string url;                ///< explicit proxy URL
  std::string creds = "default";  ///< "default", "explicit" or "none" (no Credentials set)
};

struct EmpireConfig {
  std::string variant;            ///< see above
  double confidence = 0;          ///< 0..1: how many Empire markers were found
  std::string ua;                 ///< User-Agent header value
  std::string server;             ///< "https://45.77.65.211:443"
  std::string server_encoding;    ///< "plain" or "base64_utf16le"
  std::vector<std::string> uris;  ///< "/admin/get.php" (every URI the launcher may use)
  std::string staging_key;        ///< the 32-character RC4 staging key
  std::string cookie_name;        ///< "session" or the random name
  std::string session_cookie;     ///< the cookie value (base64)
  std::optional<EmpireCookie> cookie_decoded;
  EmpireProxy proxy;
  std::vector<std::string> bypasses;     ///< "amsi", "scriptblock_logging", "etw" (in that order)
  bool tls_validation_disabled = false;  ///< ServerCertificateValidationCallback = {$true}
  std::vector<std::string> custom_headers;  ///< other Headers.Add calls, as "Name: value"
};

/// nullopt when the script is not an Empire launcher (too few markers).
std::optional<EmpireConfig> parse_empire_stager(std::string_view script);

/// Decrypts a 2.x-6.2 launcher cookie (base64) with the staging key.
/// kInvalidInput when the cookie is not base64 of at least 4 + 16 bytes.
Result<EmpireCookie> decrypt_empire_cookie(std::string_view cookie_base64,
                                           std::string_view staging_key);

}  // namespace ioc::stager
