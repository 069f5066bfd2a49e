// ioc/x509/cert.hpp — certificates from any container, summarized into the fields
// analysts compare, with lints and known C2 default-certificate flags.
//
//   auto certs = x509::load_certificates(file_bytes, {.password = ""});
//   if (!certs) report(certs.error());              // "no certificate in input", bad PKCS#12 ...
//   for (const auto& c : *certs) {
//     x509::Summary s = x509::summarize(c, now);
//     // s.subject_oneline == "C = US", s.serial_dec == "10285871634388831649", s.md5 == "…"
//   }
//
// Loading (format auto-detected): PEM with any number of blocks and text around
// them (CERTIFICATE, X509 CERTIFICATE, TRUSTED CERTIFICATE, PKCS7, CMS), DER
// certificates, DER PKCS#7 (.p7b) and PKCS#12 (.p12/.pfx, with a password). A
// certificate OpenSSL cannot fully parse (unknown key type, odd serial, v1,
// RSASSA-PSS, DSA) is still summarized: fields it cannot compute are empty.
// Everything is OpenSSL; nothing is parsed by hand.
#pragma once

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/core/result.hpp"

namespace ioc::x509 {

/// One certificate: its DER bytes, where it was in its container, and the parsed
/// OpenSSL object (opaque here; see cert.cpp).
class Certificate {
 public:
  Certificate(std::string der, std::size_t index);
  ~Certificate();
  Certificate(Certificate&&) noexcept;
  Certificate& operator=(Certificate&&) noexcept;

  const std::string& der() const noexcept { return der_; }
  std::size_t index() const noexcept { return index_; }  ///< 0-based position in the input
  /// The OpenSSL X509 object (X509*), or nullptr when OpenSSL rejected the DER.
  void* native() const noexcept { return x509_; }

 private:
  std::string der_;
  std::size_t index_ = 0;
  void* x509_ = nullptr;
};

struct LoadOptions {
  std::string password;  ///< PKCS#12
  std::size_t max_certificates = 10000;
};

/// "pem", "der", "pkcs7", "pkcs12": what load_certificates saw; "unknown" when the
/// bytes are none of these (load_certificates then finds no certificate).
std::string_view detect_format(std::string_view bytes) noexcept;

/// Every certificate in `bytes`. kInvalidInput "no certificate in input" when
/// there is none; kInvalidInput naming the problem for a PKCS#12 that does not
/// open (wrong password) or a PEM block that does not decode.
Result<std::vector<Certificate>> load_certificates(std::string_view bytes,
                                                   const LoadOptions& options = {});

struct Lint {
  std::string id;       ///< "weak_signature", "small_rsa_key", "x509_v1", "expired",
                        ///< "not_yet_valid", "long_validity", "bad_serial", "cn_not_in_san"
  std::string message;  ///< one line for a human
};

struct Flag {
  std::string id;         ///< rule id, e.g. "empire_default"
  std::string framework;  ///< "empire", "cobaltstrike", "metasploit", "poshc2", "merlin", ...
  double confidence = 0;  ///< 0..1
  std::string reason;     ///< why it matched, printed with the flag
  std::string source;     ///< public source of the fact
};

struct Summary {
  std::size_t index = 0;
  std::string subject, issuer;                  ///< RFC 2253 (openssl -nameopt RFC2253)
  std::string subject_oneline, issuer_oneline;  ///< "C = US" (openssl -nameopt oneline)
  std::string serial_hex;             ///< as `openssl x509 -serial`: upper case, sign kept
  std::string serial_dec;             ///< decimal, sign kept
  std::string md5, sha1, sha256;      ///< upper-case hex of the DER, no colons
  std::string spki_sha256;            ///< SHA-256 of the DER SubjectPublicKeyInfo
  std::string not_before, not_after;  ///< ISO 8601 UTC ("2017-08-22T23:10:22Z")
  bool expired = false;
  std::int64_t days_left = 0;      ///< whole days until not_after (negative when expired)
  std::int64_t validity_days = 0;  ///< not_after - not_before in whole days
  int version = 0;                 ///< 1, 2 or 3
  std::string key_alg;  ///< "rsaEncryption", "id-ecPublicKey", "dsaEncryption", or the OID
  int key_bits = 0;
  std::string curve;              ///< "prime256v1", ... for EC keys
  std::string sig_alg;            ///< "sha256WithRSAEncryption", "rsassaPss", ...
  std::vector<std::string> sans;  ///< "DNS:a.example", "IP Address:1.2.3.4", "email:...", "URI:..."
  std::vector<std::string> sans_unicode;              ///< DNS names given as A-labels, as U-labels
  std::vector<std::string> key_usage, ext_key_usage;  ///< OpenSSL's names
  std::string basic_constraints;  ///< "CA:TRUE, pathlen:0", "CA:FALSE", "" when absent
  std::string aki, ski;           ///< key identifiers, upper-case hex with colons
  std::vector<std::string> aia;   ///< "OCSP - URI:...", "CA Issuers - URI:..."
  std::vector<std::string> crl;   ///< "URI:..."
  bool self_issued = false;       ///< subject == issuer
  bool self_signed = false;       ///< the signature verifies with the certificate's own key
  std::vector<Lint> lints;
  std::vector<Flag> flags;
  std::string error;  ///< what OpenSSL could not parse, if anything
};

/// The summary of one certificate at time `now` (for expired, days_left and
/// the time lints). Flags are not filled here: see c2.hpp.
Summary summarize(const Certificate& cert, std::time_t now);

}  // namespace ioc::x509
