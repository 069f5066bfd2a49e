// libFuzzer target: certificate loading and summaries on arbitrary bytes (PEM,
// DER, PKCS#7, PKCS#12 or junk) must not crash and must keep their
// invariants: certificates indexed in order, digests always present and
// upper-case hex, and matches() finding a certificate by its own serial and
// digests. The C2 rules, with every named check, run on each summary.
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>

#include "ioc/x509/c2.hpp"
#include "ioc/x509/cert.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

bool upper_hex(std::string_view s, std::size_t size) {
  if (s.size() != size) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

constexpr std::string_view kRules = R"([
  {"id": "dn", "framework": "f", "confidence": 0.5, "reason": "r", "subject": "C=US",
   "issuer": "C=US", "self_signed": true},
  {"id": "re", "framework": "f", "confidence": 0.5, "reason": "r", "subject_regex": "CN=[a-z]+",
   "issuer_regex": "O=", "min_validity_days": 1, "max_validity_days": 4000},
  {"id": "serial", "framework": "f", "confidence": 0.5, "reason": "r", "serial_dec": "1000"},
  {"id": "country", "framework": "f", "confidence": 0.5, "reason": "r", "check": "country_holds_dn"},
  {"id": "ip", "framework": "f", "confidence": 0.5, "reason": "r", "check": "cn_is_only_ip_san"},
  {"id": "random", "framework": "f", "confidence": 0.5, "reason": "r", "check": "random_subject"}
])";

const ioc::x509::C2Rules& rules() {
  static const ioc::x509::C2Rules parsed = [] {
    auto r = ioc::x509::parse_c2_rules(kRules, "x509_fuzz");
    check(r.has_value());
    return std::move(*r);
  }();
  return parsed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  using namespace ioc::x509;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view format = detect_format(input);
  check(format == "pem" || format == "der" || format == "pkcs7" || format == "pkcs12" ||
        format == "unknown");
  auto certs = load_certificates(input, {.password = "", .max_certificates = 64});
  if (!certs) {
    check(!certs.error().message.empty());
    return 0;
  }
  check(!certs->empty() && certs->size() <= 64);
  for (std::size_t i = 0; i < certs->size(); ++i) {
    const Certificate& cert = (*certs)[i];
    check(cert.index() == i);
    Summary s = summarize(cert, static_cast<std::time_t>(1700000000));
    check(s.index == i);
    check(upper_hex(s.md5, 32) && upper_hex(s.sha1, 40) && upper_hex(s.sha256, 64));
    check(cert.native() != nullptr || !s.error.empty());
    add_flags(s, rules());
    check(s.flags.size() <= rules().size());
    check(matches(s, s.sha256) && matches(s, s.sha1) && matches(s, s.md5));
    if (!s.serial_hex.empty()) check(matches(s, s.serial_hex));
    if (!s.serial_dec.empty()) check(matches(s, s.serial_dec));
  }
  return 0;
}
