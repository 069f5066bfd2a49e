// ioc/x509/c2.hpp — known attack-framework default certificates, as a rule table
// shipped as data (recipes/c2-certificates.json, installed with the tools).
//
//   auto rules = x509::load_c2_rules(x509::default_c2_rules_path());
//   x509::add_flags(summary, *rules);        // summary.flags: [{id: "empire_default", ...}]
//   x509::matches(summary, "10285871634388831649")   // --match: serial (hex or decimal) or digest
//
// A rule is a JSON object: id, framework, confidence (0..1), reason, source
// (public reference), and conditions that must all hold:
//   subject / issuer            exact RFC 2253 string
//   subject_oneline / issuer_oneline   exact "C = US" form
//   self_signed / self_issued   true or false
//   serial_dec, sha1, sha256, md5      exact values (hex case-insensitive)
//   subject_regex / issuer_regex       RE2 pattern over the RFC 2253 string
//   check                       a named heuristic implemented in c2.cpp:
//                               "cn_is_only_ip_san" (CN is an IP equal to the only
//                               IP SAN), "country_holds_dn" (a countryName value
//                               holding "/ST=", "/O=", "/CN=" ...),
//                               "random_subject" (Sliver-style randomized DN)
//   min_validity_days / max_validity_days
// Unknown keys make the rule file invalid (reported with the rule id), so a
// typo never silently disables a condition.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ioc/core/result.hpp"
#include "ioc/x509/cert.hpp"

namespace ioc::x509 {

struct C2Rule;  // defined in c2.cpp

class C2Rules {
 public:
  C2Rules();
  ~C2Rules();
  C2Rules(C2Rules&&) noexcept;
  C2Rules& operator=(C2Rules&&) noexcept;
  std::size_t size() const noexcept;
  const std::vector<C2Rule>& rules() const noexcept;

 private:
  friend Result<C2Rules> parse_c2_rules(std::string_view json, std::string_view source);
  std::vector<C2Rule> rules_;  // C2Rule is complete in c2.cpp, where the members are defined
};

Result<C2Rules> parse_c2_rules(std::string_view json, std::string_view source);
Result<C2Rules> load_c2_rules(const std::string& path);
/// c2-certificates.json in the first recipe directory that has it ($IOC_RECIPE_PATH,
/// the installed data, the source tree: recipe::recipe_search_path()), else the
/// installed path.
std::string default_c2_rules_path();

/// Appends a Flag for every rule the summary satisfies.
void add_flags(Summary& summary, const C2Rules& rules);

/// True when `value` names this certificate: its serial in hex (with or
/// without colons, any case, with or without leading zeros) or decimal, or its
/// MD5, SHA-1 or SHA-256 (colons and case ignored).
bool matches(const Summary& summary, std::string_view value);

}  // namespace ioc::x509
