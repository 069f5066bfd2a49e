// Unit tests of ioc/x509/c2.hpp.
//
// Rules are checked mostly against hand-made Summaries (add_flags only reads a
// Summary); the Empire default is built with the exact openssl command its
// setup script runs, and Merlin's shipped certificate is read from the corpus.
#include "ioc/x509/c2.hpp"

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace ioc::x509;

constexpr std::time_t kNow = 1700000000;

const C2Rules& default_rules() {
  static const C2Rules rules = [] {
    auto r = load_c2_rules(default_c2_rules_path());
    if (!r) FAIL(r.error().message);
    return std::move(*r);
  }();
  return rules;
}

std::vector<std::string> flag_ids(Summary s, const C2Rules& rules = default_rules()) {
  add_flags(s, rules);
  std::vector<std::string> ids;
  for (const Flag& f : s.flags) ids.push_back(f.id);
  return ids;
}

bool has(const std::vector<std::string>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Summary self_signed(std::string dn) {
  Summary s;
  s.subject = dn;
  s.issuer = std::move(dn);
  s.self_issued = true;
  s.self_signed = true;
  s.serial_hex = "1234";
  s.serial_dec = "4660";
  s.validity_days = 365;
  return s;
}

}  // namespace

TEST_CASE("c2: the shipped rule table loads", "[x509]") {
  const C2Rules& rules = default_rules();
  CHECK(rules.size() >= 12);
  Summary nothing;
  nothing.subject = "CN=www.example.com,O=Example,C=US";
  nothing.issuer = "CN=Example CA,O=Example,C=US";
  nothing.serial_dec = "12345";
  nothing.serial_hex = "3039";
  CHECK(flag_ids(nothing).empty());
}

TEST_CASE("c2: an Empire default certificate is flagged empire_default", "[x509]") {
  std::string templ = (fs::temp_directory_path() / "ioc-c2-XXXXXX").string();
  REQUIRE(mkdtemp(templ.data()) != nullptr);
  const fs::path dir = templ;
  const std::string cert = (dir / "empire-chain.pem").string();
  const std::string cmd =
      "openssl req -new -x509 -nodes -subj \"/C=US\" -newkey rsa:2048 "
      "-days 365 -keyout " +
      (dir / "empire-priv.key").string() + " -out " + cert + " >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  auto certs = load_certificates(read_file(cert));
  fs::remove_all(dir);
  REQUIRE(certs);
  REQUIRE(certs->size() == 1);
  Summary s = summarize(certs->front(), std::time(nullptr));
  CHECK(s.subject_oneline == "C = US");
  add_flags(s, default_rules());
  REQUIRE(s.flags.size() == 1);
  CHECK(s.flags[0].id == "empire_default");
  CHECK(s.flags[0].framework == "empire");
  CHECK(s.flags[0].confidence > 0);
  CHECK_FALSE(s.flags[0].reason.empty());
  CHECK(s.flags[0].source.starts_with("https://"));

  Summary not_self_signed = self_signed("C=US");
  not_self_signed.self_signed = false;
  CHECK_FALSE(has(flag_ids(not_self_signed), "empire_default"));
}

TEST_CASE("c2: Cobalt Strike, PoshC2 and Merlin defaults", "[x509]") {
  const std::string cs =
      "CN=Major Cobalt Strike,OU=AdvancedPenTesting,O=cobaltstrike,"
      "L=Somewhere,ST=Cyberspace,C=Earth";
  CHECK(has(flag_ids(self_signed(cs)), "cobaltstrike_default_keystore"));
  Summary serial;
  serial.serial_dec = "146473198";
  serial.serial_hex = "08BB00EE";
  CHECK(flag_ids(serial) == std::vector<std::string>{"cobaltstrike_default_keystore_serial"});
  Summary digest;
  digest.sha256 = "87F2085C32B6A2CC709B365F55873E207A9CAA10BFFECF2FD16D3CF9D94D390C";
  digest.sha1 = "6ECE5ECE4192683D2D84E25B0BA7E04F9CB7EB7C";
  const auto ids = flag_ids(digest);
  CHECK(has(ids, "cobaltstrike_default_keystore_sha256"));
  CHECK(has(ids, "cobaltstrike_default_keystore_sha1"));

  Summary posh = self_signed("CN=P18055077,OU=Jethpro,O=Pajfds,L=Minnetonka,ST=Minnesota,C=US");
  posh.serial_dec = "1000";
  posh.serial_hex = "03E8";
  CHECK(flag_ids(posh) == std::vector<std::string>{"poshc2_default"});
  posh.serial_dec = "1001";
  CHECK(flag_ids(posh).empty());

  const auto widgits = flag_ids(self_signed("O=Internet Widgits Pty Ltd,ST=Some-State,C=AU"));
  CHECK(widgits == std::vector<std::string>{"merlin_default"});

  const fs::path merlin = fs::path(IOC_SOURCE_DIR) / ".." / "shared" / "corpus" / "certs" /
                          "c2_merlin_default_server.pem";
  std::error_code ec;
  if (!fs::is_regular_file(merlin, ec)) {
    WARN("corpus absent, Merlin certificate not checked");
    return;
  }
  auto certs = load_certificates(read_file(merlin.string()));
  REQUIRE(certs);
  const auto merlin_ids = flag_ids(summarize(certs->front(), kNow));
  CHECK(has(merlin_ids, "merlin_default"));
  CHECK(has(merlin_ids, "merlin_default_sha256"));
}

TEST_CASE("c2: country_holds_dn (Metasploit)", "[x509]") {
  Summary s = self_signed("C=US/ST=TX/L=Austin/O=Lueilwitz LLC/CN=lueilwitz.example");
  s.issuer = "C=US/O=Lueilwitz LLC/CN=lueilwitz.example";
  s.self_issued = false;
  CHECK(flag_ids(s) == std::vector<std::string>{"metasploit_generated"});
  Summary issuer_only = self_signed("CN=host.example");
  issuer_only.issuer = "C=US/O=Acme";
  CHECK(has(flag_ids(issuer_only), "metasploit_generated"));
  CHECK_FALSE(has(flag_ids(self_signed("CN=US/ST=TX,C=US")), "metasploit_generated"));
  CHECK_FALSE(has(flag_ids(self_signed("O=A/B testing,C=US")), "metasploit_generated"));
}

TEST_CASE("c2: cn_is_only_ip_san (Covenant)", "[x509]") {
  Summary s = self_signed("CN=192.0.2.7");
  s.sans = {"IP Address:192.0.2.7"};
  s.validity_days = 3651;
  CHECK(flag_ids(s) == std::vector<std::string>{"covenant_style"});

  Summary v6 = s;
  v6.subject = v6.issuer = "CN=2001:db8::7";
  v6.sans = {"IP Address:2001:DB8:0:0:0:0:0:7"};
  CHECK(has(flag_ids(v6), "covenant_style"));

  Summary short_lived = s;
  short_lived.validity_days = 365;
  CHECK_FALSE(has(flag_ids(short_lived), "covenant_style"));
  Summary two_sans = s;
  two_sans.sans.push_back("DNS:a.example");
  CHECK_FALSE(has(flag_ids(two_sans), "covenant_style"));
  Summary other_ip = s;
  other_ip.sans = {"IP Address:192.0.2.8"};
  CHECK_FALSE(has(flag_ids(other_ip), "covenant_style"));
  Summary dns_cn = s;
  dns_cn.subject = dns_cn.issuer = "CN=a.example";
  CHECK_FALSE(has(flag_ids(dns_cn), "covenant_style"));
}

TEST_CASE("c2: random_subject (Sliver)", "[x509]") {
  Summary s;
  s.subject = "CN=multiplayer,postalCode=4821,street=,ST=Colorado,L=Denver,O=acme llc,C=US";
  s.issuer = "CN=operators,postalCode=1022,street=,ST=,L=,C=US";
  CHECK(flag_ids(s) == std::vector<std::string>{"sliver_style"});

  for (const char* subject : {
           "CN=x,postalCode=1022,street=Golden Gate Bridge,ST=California,L=San Francisco,C=US",
           "postalCode=8999,ST=,L=,O=SYNERGY CORP,C=US",
           "CN=x,postalCode=1000,ST=Illinois,L=Aurora,O=Test,C=US",
       }) {
    Summary ok;
    ok.subject = subject;
    INFO(subject);
    CHECK(has(flag_ids(ok), "sliver_style"));
  }
  for (const char* subject : {
           "CN=x,postalCode=48210,ST=Colorado,L=Denver,C=US",           // five-digit ZIP
           "CN=x,postalCode=0999,ST=Colorado,L=Denver,C=US",            // below 1000
           "CN=x,ST=Colorado,L=Denver,O=ACME,C=US",                     // no postalCode
           "CN=x,postalCode=4821,ST=Texas,L=Austin,C=US",               // not Sliver's table
           "CN=x,postalCode=4821,ST=Colorado,L=Miami,C=US",             // wrong city for state
           "CN=x,postalCode=4821,ST=Colorado,L=Denver,O=Contoso,C=US",  // not Sliver's names
           "CN=x,OU=IT,postalCode=4821,ST=Colorado,L=Denver,C=US",      // OU never set
           "CN=x,postalCode=4821,ST=Colorado,L=Denver,C=DE",            // not US
       }) {
    Summary no;
    no.subject = subject;
    INFO(subject);
    CHECK_FALSE(has(flag_ids(no), "sliver_style"));
  }
}

TEST_CASE("c2: matches() by serial and digest", "[x509]") {
  Summary s;
  s.serial_hex = "0100";
  s.serial_dec = "256";
  s.md5 = "950098276A495286EB2A2556FBAB6D83";
  s.sha1 = "6ECE5ECE4192683D2D84E25B0BA7E04F9CB7EB7C";
  s.sha256 = "87F2085C32B6A2CC709B365F55873E207A9CAA10BFFECF2FD16D3CF9D94D390C";
  for (const char* yes : {"0100", "100", "01:00", "0x100", "000100", "256", "0256", " 256 ",
                          "950098276a495286eb2a2556fbab6d83",
                          "6e:ce:5e:ce:41:92:68:3d:2d:84:e2:5b:0b:a7:e0:4f:9c:b7:eb:7c",
                          "87F2085C32B6A2CC709B365F55873E207A9CAA10BFFECF2FD16D3CF9D94D390C"}) {
    INFO(yes);
    CHECK(matches(s, yes));
  }
  for (const char* no : {"", "101", "255", "-100", "-256", "xyz", "6ECE5ECE",
                         "87F2085C32B6A2CC709B365F55873E207A9CAA10BFFECF2FD16D3CF9D94D390D"}) {
    INFO(no);
    CHECK_FALSE(matches(s, no));
  }

  Summary negative;
  negative.serial_hex = "-04316693ED";
  negative.serial_dec = "-18008675309";
  CHECK(matches(negative, "-4316693ed"));
  CHECK(matches(negative, "-04:31:66:93:ED"));
  CHECK(matches(negative, "-18008675309"));
  CHECK_FALSE(matches(negative, "4316693ED"));
  CHECK_FALSE(matches(negative, "18008675309"));

  Summary zero;
  zero.serial_hex = "00";
  zero.serial_dec = "0";
  CHECK(matches(zero, "0"));
  CHECK(matches(zero, "00:00"));
}

TEST_CASE("c2: rule file errors", "[x509]") {
  auto expect_error = [](std::string_view json, std::string_view needle) {
    auto r = parse_c2_rules(json, "test.json");
    INFO(json);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ioc::ErrorCode::kInvalidInput);
    CHECK_THAT(r.error().message, Catch::Contains(std::string(needle)));
    CHECK_THAT(r.error().message, Catch::Contains("test.json"));
  };
  expect_error(R"([{"id":"a","framework":"f","confidence":0.5,"reason":"r","subjetc":"C=US"}])",
               "(a): unknown key 'subjetc'");
  expect_error(R"([{"id":"a","framework":"f","confidence":0.5,"reason":"r","subject_regex":"("}])",
               "(a): bad subject_regex");
  expect_error(R"([{"framework":"f","confidence":0.5,"reason":"r","subject":"C=US"}])",
               "rule 1: missing id");
  expect_error(R"([{"id":"a","framework":"f","confidence":0.5,"reason":"r"}])", "no condition");
  expect_error(R"([{"id":"a","framework":"f","confidence":0.5,"reason":"r","check":"nope"}])",
               "unknown check 'nope'");
  expect_error(R"([{"id":"a","framework":"f","confidence":1.5,"reason":"r","subject":"C=US"}])",
               "confidence");
  expect_error(R"([{"id":"a","framework":"f","confidence":0.5,"reason":"r","sha1":"abc"}])",
               "40 hex digits");
  expect_error(R"([{"id":"a","framework":"f","confidence":0.5,"reason":"r","self_signed":"yes"}])",
               "true or false");
  expect_error(R"([{"id":"a","framework":"f","confidence":0.5,"reason":"r","subject":"C=US"},
                   {"id":"a","framework":"f","confidence":0.5,"reason":"r","subject":"C=DE"}])",
               "duplicate id");
  expect_error(R"({"id":"a"})", "JSON array");
  expect_error("[", "not valid JSON");

  auto ok = parse_c2_rules(
      R"([{"id":"x","framework":"f","confidence":0.5,"reason":"r","source":"s",
           "issuer_regex":"O=Evil","sha1":"6e:ce:5e:ce:41:92:68:3d:2d:84:e2:5b:0b:a7:e0:4f:9c:b7:eb:7c"}])",
      "inline");
  REQUIRE(ok);
  CHECK(ok->size() == 1);
  Summary s;
  s.issuer = "CN=x,O=Evil Corp";
  s.sha1 = "6ECE5ECE4192683D2D84E25B0BA7E04F9CB7EB7C";
  CHECK(flag_ids(s, *ok) == std::vector<std::string>{"x"});
  s.issuer = "CN=x,O=Good Corp";
  CHECK(flag_ids(s, *ok).empty());

  auto missing = load_c2_rules("/nonexistent/c2.json");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ioc::ErrorCode::kIo);
}
