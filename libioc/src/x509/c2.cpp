// C2 default-certificate rules: see ioc/x509/c2.hpp.
//
// A rule's conditions are all checked against a Summary (never against the raw
// certificate), so a rule means the same thing for a certificate read from a
// file and for one rebuilt from logged fields. The named checks:
//
//   country_holds_dn   A countryName value that holds a whole DN ("US/ST=TX/O=
//                      Foo/CN=bar"): what a generator produces when it hands an
//                      OpenSSL "/C=../ST=.." string to an API that expects the
//                      bare country. Holds when the subject or the issuer has one.
//   cn_is_only_ip_san  The subject CN is an IP address and the certificate has
//                      exactly one SAN, an IP address equal to it (compared in
//                      canonical form, so "2001:db8::1" equals OpenSSL's
//                      "2001:DB8:0:0:0:0:0:1"). Covenant's listener certificate.
//   random_subject     Sliver's randomized subject (server/certs/subject.go,
//                      randomSubject): C=US, a postalCode of exactly four digits
//                      in 1000..8999 (Go's rand.Intn(8000)+1000; real US ZIP
//                      codes have five), ST/L/street only from Sliver's small
//                      tables or empty, O empty or one of its name+suffix
//                      combinations in lower, upper or title case, and no other
//                      attribute types than C, ST, L, street, postalCode, O, CN.
//                      Conservative on purpose: all of it must hold, so a
//                      customised or pre-2021 Sliver certificate is not flagged,
//                      and an ordinary certificate practically never is.
//
// Cobalt Strike's default keystore is shipped as one rule per strong fact
// (DN, serial, MD5, SHA-1, SHA-256) rather than an any-of rule: each flag then
// says which fact matched.
#include "ioc/x509/c2.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "ioc/ioc/validate.hpp"
#include "ioc/recipe/library.hpp"
#include "ioc/text/ascii.hpp"
#include "ioc/text/regex.hpp"

namespace ioc::x509 {

struct C2Rule {
  std::string id, framework, reason, source;
  double confidence = 0;
  std::optional<std::string> subject, issuer, subject_oneline, issuer_oneline;
  std::optional<bool> self_signed, self_issued;
  std::optional<std::string> serial_dec, sha1, sha256, md5;  // digests upper-case, no colons
  std::optional<text::Regex> subject_regex, issuer_regex;
  std::string check;
  std::optional<std::int64_t> min_validity_days, max_validity_days;
};

namespace {

constexpr std::size_t kMaxRuleFileBytes = 16u * 1024 * 1024;
constexpr std::size_t kMaxRules = 10000;

using nlohmann::json;

// ---- RFC 2253 strings (as OpenSSL prints them) ----

struct Attribute {
  std::string type, value;
};

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The attributes of an RFC 2253 DN, most specific first, values unescaped
// ("\," -> ",", "\D0\B0" -> the UTF-8 bytes). Multi-valued RDNs are flattened.
std::vector<Attribute> split_dn(std::string_view dn) {
  std::vector<Attribute> out;
  Attribute cur;
  bool in_value = false;
  for (std::size_t i = 0; i < dn.size(); ++i) {
    const char c = dn[i];
    if (c == '\\' && i + 1 < dn.size()) {
      const int hi = hex_value(dn[i + 1]);
      const int lo = i + 2 < dn.size() ? hex_value(dn[i + 2]) : -1;
      char decoded = dn[i + 1];
      if (hi >= 0 && lo >= 0) {
        decoded = static_cast<char>(hi * 16 + lo);
        i += 2;
      } else {
        i += 1;
      }
      (in_value ? cur.value : cur.type).push_back(decoded);
    } else if (!in_value && c == '=') {
      in_value = true;
    } else if (c == ',' || c == '+') {
      if (in_value || !cur.type.empty()) out.push_back(std::move(cur));
      cur = Attribute{};
      in_value = false;
    } else {
      (in_value ? cur.value : cur.type).push_back(c);
    }
  }
  if (in_value || !cur.type.empty()) out.push_back(std::move(cur));
  return out;
}

std::optional<std::string> canonical_ip(std::string_view s) {
  if (auto v4 = scan::canonical_ipv4(s)) return v4;
  return scan::canonical_ipv6(s);
}

// ---- named checks ----

bool country_holds_dn(std::string_view dn) {
  static constexpr std::array<std::string_view, 8> kKeys = {
      "/C=", "/ST=", "/L=", "/O=", "/OU=", "/CN=", "/emailAddress=", "/street="};
  for (const Attribute& a : split_dn(dn)) {
    if (a.type != "C") continue;
    for (std::string_view key : kKeys)
      if (a.value.find(key) != std::string::npos) return true;
  }
  return false;
}

bool cn_is_only_ip_san(const Summary& s) {
  if (s.sans.size() != 1) return false;
  constexpr std::string_view kIp = "IP Address:";
  const std::string_view san = s.sans.front();
  if (!san.starts_with(kIp)) return false;
  std::optional<std::string> cn;
  for (const Attribute& a : split_dn(s.subject))
    if (a.type == "CN") {
      cn = a.value;
      break;  // RFC 2253 order: the first CN is the most specific
    }
  if (!cn) return false;
  const auto cn_ip = canonical_ip(*cn);
  const auto san_ip = canonical_ip(san.substr(kIp.size()));
  return cn_ip && san_ip && *cn_ip == *san_ip;
}

// Sliver's tables (server/certs/subject.go): state -> localities.
bool sliver_locality(std::string_view state, std::string_view locality) {
  struct State {
    std::string_view name;
    std::array<std::string_view, 7> localities;
  };
  static constexpr std::array<State, 7> kStates = {{
      {"Arizona", {"Phoenix", "Mesa", "Scottsdale", "Chandler"}},
      {"California",
       {"San Francisco", "Oakland", "Berkeley", "Palo Alto", "Los Angeles", "San Diego",
        "San Jose"}},
      {"Colorado", {"Denver", "Boulder", "Aurora", "Fort Collins"}},
      {"Connecticut", {"New Haven", "Bridgeport", "Stamford", "Norwalk"}},
      {"Washington", {"Seattle", "Tacoma", "Olympia", "Spokane"}},
      {"Florida", {"Miami", "Orlando", "Tampa", "Jacksonville"}},
      {"Illinois", {"Chicago", "Aurora", "Naperville", "Peoria"}},
  }};
  if (state.empty()) return locality.empty();
  for (const State& s : kStates) {
    if (s.name != state) continue;
    if (locality.empty()) return true;
    return std::find(s.localities.begin(), s.localities.end(), locality) != s.localities.end();
  }
  return false;
}

bool sliver_organization(std::string_view org) {
  static constexpr std::array<std::string_view, 8> kNames = {
      "", "ACME", "Partners", "Tech", "Cloud", "Synergy", "Test", "Debug"};
  static constexpr std::array<std::string_view, 6> kSuffixes = {"",    "co",   "llc",
                                                                "inc", "corp", "ltd"};
  if (org.empty()) return true;
  for (std::string_view name : kNames)
    for (std::string_view suffix : kSuffixes) {
      std::string combined = std::string(name) + " " + std::string(suffix);
      const auto first = combined.find_first_not_of(' ');
      if (first == std::string::npos) continue;
      combined = combined.substr(first, combined.find_last_not_of(' ') - first + 1);
      if (text::iequals(combined, org)) return true;
    }
  return false;
}

bool random_subject(const Summary& s) {
  std::optional<std::string> country, state, locality, street, postal;
  for (const Attribute& a : split_dn(s.subject)) {
    std::optional<std::string>* slot = nullptr;
    if (a.type == "C") {
      slot = &country;
    } else if (a.type == "ST") {
      slot = &state;
    } else if (a.type == "L") {
      slot = &locality;
    } else if (a.type == "street") {
      slot = &street;
    } else if (a.type == "postalCode") {
      slot = &postal;
    } else if (a.type == "O") {
      if (!sliver_organization(a.value)) return false;
      continue;
    } else if (a.type == "CN") {
      continue;
    } else {
      return false;
    }
    if (*slot) return false;  // Sliver sets each of these once
    *slot = a.value;
  }
  if (country != "US" || !postal || postal->size() != 4) return false;
  if (!std::all_of(postal->begin(), postal->end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  const int zip = std::stoi(*postal);
  if (zip < 1000 || zip > 8999) return false;
  if (!sliver_locality(state.value_or(""), locality.value_or(""))) return false;
  return !street || street->empty() || *street == "Golden Gate Bridge";
}

bool run_check(std::string_view check, const Summary& s) {
  if (check == "country_holds_dn") return country_holds_dn(s.subject) || country_holds_dn(s.issuer);
  if (check == "cn_is_only_ip_san") return cn_is_only_ip_san(s);
  if (check == "random_subject") return random_subject(s);
  return false;
}

bool known_check(std::string_view check) {
  return check == "country_holds_dn" || check == "cn_is_only_ip_san" || check == "random_subject";
}

// ---- hex and serial normalisation ----

std::string strip_separators(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v)
    if (c != ':' && c != ' ' && c != '\t' && c != '\n' && c != '\r') out.push_back(c);
  return out;
}

bool all_hex(std::string_view v) noexcept {
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return hex_value(c) >= 0; });
}

bool all_digits(std::string_view v) noexcept {
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string upper(std::string_view v) {
  std::string out(v);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// Sign and magnitude without leading zeros ("-0004A" -> {true, "4A"}); "0" for zero.
struct SignedDigits {
  bool negative = false;
  std::string digits;
};

SignedDigits signed_digits(std::string_view v) {
  SignedDigits out;
  if (!v.empty() && v.front() == '-') {
    out.negative = true;
    v.remove_prefix(1);
  }
  const auto first = v.find_first_not_of('0');
  out.digits = first == std::string_view::npos ? "0" : upper(v.substr(first));
  if (out.digits == "0") out.negative = false;
  return out;
}

bool same_number(std::string_view a, std::string_view b) {
  const SignedDigits x = signed_digits(a), y = signed_digits(b);
  return x.negative == y.negative && x.digits == y.digits;
}

// ---- rule parsing ----

Unexpected rule_error(std::string_view source, std::size_t n, const std::string& id,
                      const std::string& what) {
  std::string where = std::string(source) + ": rule " + std::to_string(n + 1);
  if (!id.empty()) where += " (" + id + ")";
  return make_error(ErrorCode::kInvalidInput, where + ": " + what);
}

Result<C2Rule> parse_rule(const json& j, std::size_t n, std::string_view source) {
  if (!j.is_object()) return rule_error(source, n, "", "not a JSON object");
  C2Rule rule;
  const auto id = j.find("id");
  if (id == j.end() || !id->is_string() || id->get<std::string>().empty())
    return rule_error(source, n, "", "missing id");
  rule.id = id->get<std::string>();
  auto err = [&](const std::string& what) { return rule_error(source, n, rule.id, what); };

  bool has_condition = false;
  for (const auto& item : j.items()) {
    // Named references, not structured bindings: lambdas capture them (clang 14).
    const std::string& key = item.key();
    const json& value = item.value();
    auto string_value = [&]() -> Result<std::string> {
      if (!value.is_string()) return err("'" + key + "' must be a string");
      return value.get<std::string>();
    };
    auto digest = [&](std::size_t hex_chars) -> Result<std::string> {
      IOC_ASSIGN_OR_RETURN(std::string v, string_value());
      v = upper(strip_separators(v));
      if (v.size() != hex_chars || !all_hex(v))
        return err("'" + key + "' must be " + std::to_string(hex_chars) + " hex digits");
      has_condition = true;
      return v;
    };
    auto boolean = [&]() -> Result<bool> {
      if (!value.is_boolean()) return err("'" + key + "' must be true or false");
      has_condition = true;
      return value.get<bool>();
    };
    auto days = [&]() -> Result<std::int64_t> {
      if (!value.is_number_integer()) return err("'" + key + "' must be an integer");
      has_condition = true;
      return value.get<std::int64_t>();
    };
    auto regex = [&]() -> Result<text::Regex> {
      IOC_ASSIGN_OR_RETURN(std::string pattern, string_value());
      auto re = text::Regex::compile(pattern);
      if (!re) return err("bad " + key + ": " + re.error().message);
      has_condition = true;
      return std::move(*re);
    };
    auto condition = [&]() -> Result<std::string> {
      IOC_ASSIGN_OR_RETURN(std::string v, string_value());
      has_condition = true;
      return v;
    };

    if (key == "id") {
      continue;
    } else if (key == "framework") {
      IOC_ASSIGN_OR_RETURN(rule.framework, string_value());
    } else if (key == "reason") {
      IOC_ASSIGN_OR_RETURN(rule.reason, string_value());
    } else if (key == "source") {
      IOC_ASSIGN_OR_RETURN(rule.source, string_value());
    } else if (key == "confidence") {
      if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 1)
        return err("'confidence' must be a number from 0 to 1");
      rule.confidence = value.get<double>();
    } else if (key == "subject") {
      IOC_ASSIGN_OR_RETURN(rule.subject, condition());
    } else if (key == "issuer") {
      IOC_ASSIGN_OR_RETURN(rule.issuer, condition());
    } else if (key == "subject_oneline") {
      IOC_ASSIGN_OR_RETURN(rule.subject_oneline, condition());
    } else if (key == "issuer_oneline") {
      IOC_ASSIGN_OR_RETURN(rule.issuer_oneline, condition());
    } else if (key == "self_signed") {
      IOC_ASSIGN_OR_RETURN(rule.self_signed, boolean());
    } else if (key == "self_issued") {
      IOC_ASSIGN_OR_RETURN(rule.self_issued, boolean());
    } else if (key == "serial_dec") {
      IOC_ASSIGN_OR_RETURN(std::string v, condition());
      const std::string_view digits = v.starts_with('-') ? std::string_view(v).substr(1) : v;
      if (!all_digits(digits)) return err("'serial_dec' must be a decimal number");
      rule.serial_dec = std::move(v);
    } else if (key == "md5") {
      IOC_ASSIGN_OR_RETURN(rule.md5, digest(32));
    } else if (key == "sha1") {
      IOC_ASSIGN_OR_RETURN(rule.sha1, digest(40));
    } else if (key == "sha256") {
      IOC_ASSIGN_OR_RETURN(rule.sha256, digest(64));
    } else if (key == "subject_regex") {
      IOC_ASSIGN_OR_RETURN(rule.subject_regex, regex());
    } else if (key == "issuer_regex") {
      IOC_ASSIGN_OR_RETURN(rule.issuer_regex, regex());
    } else if (key == "check") {
      IOC_ASSIGN_OR_RETURN(rule.check, condition());
      if (!known_check(rule.check)) return err("unknown check '" + rule.check + "'");
    } else if (key == "min_validity_days") {
      IOC_ASSIGN_OR_RETURN(rule.min_validity_days, days());
    } else if (key == "max_validity_days") {
      IOC_ASSIGN_OR_RETURN(rule.max_validity_days, days());
    } else {
      return err("unknown key '" + key + "'");
    }
  }
  if (rule.framework.empty()) return err("missing framework");
  if (j.find("confidence") == j.end()) return err("missing confidence");
  if (rule.reason.empty()) return err("missing reason");
  if (!has_condition) return err("no condition (it would match every certificate)");
  return rule;
}

// RE2 is unanchored: a subject_regex must match somewhere in the DN.
bool regex_matches(const std::optional<text::Regex>& re, std::string_view text) {
  return !re || !re->find_all(text, 0, 1).empty();
}

bool rule_matches(const C2Rule& r, const Summary& s) {
  if (r.subject && *r.subject != s.subject) return false;
  if (r.issuer && *r.issuer != s.issuer) return false;
  if (r.subject_oneline && *r.subject_oneline != s.subject_oneline) return false;
  if (r.issuer_oneline && *r.issuer_oneline != s.issuer_oneline) return false;
  if (r.self_signed && *r.self_signed != s.self_signed) return false;
  if (r.self_issued && *r.self_issued != s.self_issued) return false;
  if (r.serial_dec && (s.serial_dec.empty() || !same_number(*r.serial_dec, s.serial_dec)))
    return false;
  if (r.md5 && *r.md5 != s.md5) return false;
  if (r.sha1 && *r.sha1 != s.sha1) return false;
  if (r.sha256 && *r.sha256 != s.sha256) return false;
  if (!regex_matches(r.subject_regex, s.subject)) return false;
  if (!regex_matches(r.issuer_regex, s.issuer)) return false;
  if (r.min_validity_days && s.validity_days < *r.min_validity_days) return false;
  if (r.max_validity_days && s.validity_days > *r.max_validity_days) return false;
  if (!r.check.empty() && !run_check(r.check, s)) return false;
  return true;
}

}  // namespace

// ---- C2Rules ----

C2Rules::C2Rules() = default;
C2Rules::~C2Rules() = default;
C2Rules::C2Rules(C2Rules&&) noexcept = default;
C2Rules& C2Rules::operator=(C2Rules&&) noexcept = default;

std::size_t C2Rules::size() const noexcept {
  return rules_.size();
}

const std::vector<C2Rule>& C2Rules::rules() const noexcept {
  return rules_;
}

Result<C2Rules> parse_c2_rules(std::string_view text, std::string_view source) {
  if (text.size() > kMaxRuleFileBytes)
    return make_error(ErrorCode::kLimitExceeded, std::string(source) + ": rule file too large");
  const json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded())
    return make_error(ErrorCode::kInvalidInput, std::string(source) + ": not valid JSON");
  if (!doc.is_array())
    return make_error(ErrorCode::kInvalidInput,
                      std::string(source) + ": expected a JSON array of rules");
  if (doc.size() > kMaxRules)
    return make_error(ErrorCode::kLimitExceeded,
                      std::string(source) + ": more than " + std::to_string(kMaxRules) + " rules");
  C2Rules rules;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    IOC_ASSIGN_OR_RETURN(C2Rule rule, parse_rule(doc[i], i, source));
    if (!ids.insert(rule.id).second) return rule_error(source, i, rule.id, "duplicate id");
    rules.rules_.push_back(std::move(rule));
  }
  return rules;
}

Result<C2Rules> load_c2_rules(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kIo, "cannot open " + path);
  std::string text;
  char buf[64 * 1024];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxRuleFileBytes)
      return make_error(ErrorCode::kLimitExceeded, path + ": rule file too large");
  }
  if (in.bad()) return make_error(ErrorCode::kIo, "cannot read " + path);
  return parse_c2_rules(text, path);
}

std::string default_c2_rules_path() {
  const auto found = recipe::find_on_search_path("c2-certificates.json");
  if (!found.empty()) return found.string();
  return (std::filesystem::path(IOC_INSTALL_DATA_DIR) / "recipes" / "c2-certificates.json")
      .string();
}

void add_flags(Summary& summary, const C2Rules& rules) {
  for (const C2Rule& r : rules.rules()) {
    if (!rule_matches(r, summary)) continue;
    summary.flags.push_back(Flag{r.id, r.framework, r.confidence, r.reason, r.source});
  }
}

bool matches(const Summary& summary, std::string_view value) {
  std::string v = strip_separators(value);
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) v.erase(0, 2);
  if (v.empty()) return false;
  const std::string_view unsigned_part = v.front() == '-' ? std::string_view(v).substr(1) : v;
  if (all_hex(unsigned_part)) {
    const std::string hex = upper(v);
    if (hex == summary.md5 || hex == summary.sha1 || hex == summary.sha256) return true;
    if (!summary.serial_hex.empty() && same_number(hex, summary.serial_hex)) return true;
  }
  return all_digits(unsigned_part) && !summary.serial_dec.empty() &&
         same_number(v, summary.serial_dec);
}

}  // namespace ioc::x509
