// Unit tests of ioc/x509/cert.hpp.
//
// Certificates are built here with OpenSSL's C API (exact serials, versions,
// times and extensions) and, for the containers, with the openssl command line
// (crl2pkcs7, pkcs12, x509 -addtrust) in a temporary directory.
#include "ioc/x509/cert.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace ioc::x509;

constexpr std::time_t kNow = 1700000000;  // 2023-11-14T22:13:20Z

struct TempDir {
  fs::path path;
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "ioc-x509-XXXXXX").string();
    REQUIRE(mkdtemp(templ.data()) != nullptr);
    path = templ;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool run(const std::string& cmd) {
  return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0;
}

std::string capture(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

// Keys are slow to make: kept for the whole run (and freed at exit, so that
// LeakSanitizer stays quiet).
EVP_PKEY* rsa_key(unsigned bits, int which = 0) {
  static std::map<std::pair<unsigned, int>, Key> cache;
  auto& key = cache[{bits, which}];
  if (!key) key.reset(EVP_RSA_gen(bits));
  REQUIRE(key != nullptr);
  return key.get();
}

EVP_PKEY* ec_key() {
  static Key key(EVP_EC_gen("prime256v1"));
  REQUIRE(key != nullptr);
  return key.get();
}

using Dn = std::vector<std::pair<std::string, std::string>>;

struct Spec {
  Dn subject{{"CN", "leaf.example"}};
  Dn issuer;  // empty: same as subject
  std::string serial_hex = "1000";
  long version = X509_VERSION_3;
  long not_before = -3600;       // seconds from kNow
  long not_after = 90L * 86400;  // seconds from kNow
  EVP_PKEY* key = nullptr;       // default: a 2048-bit RSA key
  EVP_PKEY* signer = nullptr;    // default: key (self-signed)
  const EVP_MD* md = nullptr;    // default: SHA-256
  std::vector<std::pair<int, std::string>> ext;
};

X509_NAME* make_name(const Dn& dn) {
  X509_NAME* name = X509_NAME_new();
  for (const auto& [field, value] : dn)
    REQUIRE(X509_NAME_add_entry_by_txt(name, field.c_str(), MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char*>(value.c_str()), -1,
                                       -1, 0) == 1);
  return name;
}

X509* build(const Spec& spec) {
  X509* x = X509_new();
  EVP_PKEY* key = spec.key != nullptr ? spec.key : rsa_key(2048);
  EVP_PKEY* signer = spec.signer != nullptr ? spec.signer : key;
  REQUIRE(X509_set_version(x, spec.version) == 1);
  BIGNUM* bn = nullptr;
  REQUIRE(BN_hex2bn(&bn, spec.serial_hex.c_str()) > 0);
  REQUIRE(BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != nullptr);
  BN_free(bn);
  X509_NAME* subject = make_name(spec.subject);
  X509_NAME* issuer = make_name(spec.issuer.empty() ? spec.subject : spec.issuer);
  X509_set_subject_name(x, subject);
  X509_set_issuer_name(x, issuer);
  X509_NAME_free(subject);
  X509_NAME_free(issuer);
  std::time_t now = kNow;
  X509_time_adj_ex(X509_getm_notBefore(x), 0, spec.not_before, &now);
  X509_time_adj_ex(X509_getm_notAfter(x), 0, spec.not_after, &now);
  REQUIRE(X509_set_pubkey(x, key) == 1);
  for (const auto& [nid, value] : spec.ext) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
    X509_EXTENSION* e = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    REQUIRE(e != nullptr);
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
  }
  REQUIRE(X509_sign(x, signer, spec.md != nullptr ? spec.md : EVP_sha256()) > 0);
  return x;
}

std::string der_of(X509* x) {
  unsigned char* buf = nullptr;
  const int n = i2d_X509(x, &buf);
  std::string out(reinterpret_cast<char*>(buf), static_cast<std::size_t>(n));
  OPENSSL_free(buf);
  return out;
}

std::string pem_of(X509* x) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, x);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

std::string build_der(const Spec& spec) {
  X509* x = build(spec);
  std::string der = der_of(x);
  X509_free(x);
  return der;
}

Summary summary_of(const Spec& spec, std::time_t now = kNow) {
  auto certs = load_certificates(build_der(spec));
  REQUIRE(certs);
  REQUIRE(certs->size() == 1);
  return summarize(certs->front(), now);
}

bool has_lint(const Summary& s, std::string_view id) {
  return std::any_of(s.lints.begin(), s.lints.end(), [&](const Lint& l) { return l.id == id; });
}

}  // namespace

TEST_CASE("x509: PEM with text around and several blocks", "[x509]") {
  Spec a;
  a.subject = {{"CN", "a.example"}};
  Spec b;
  b.subject = {{"CN", "b.example"}};
  b.serial_hex = "2000";
  X509* xa = build(a);
  X509* xb = build(b);
  const std::string text = "Certificate chain found on the server:\n  0 s:CN=a.example\n" +
                           pem_of(xa) +
                           "some notes\n-----BEGIN PRIVATE KEY-----\nMAo=\n-----END PRIVATE "
                           "KEY-----\n" +
                           pem_of(xb) + "trailing text\n";
  CHECK(detect_format(text) == "pem");
  auto certs = load_certificates(text);
  REQUIRE(certs);
  REQUIRE(certs->size() == 2);
  CHECK((*certs)[0].index() == 0);
  CHECK((*certs)[1].index() == 1);
  CHECK((*certs)[0].der() == der_of(xa));
  CHECK((*certs)[1].der() == der_of(xb));
  CHECK(summarize((*certs)[1], kNow).subject == "CN=b.example");
  X509_free(xa);
  X509_free(xb);
}

TEST_CASE("x509: DER, one and back to back", "[x509]") {
  const std::string one = build_der(Spec{});
  CHECK(detect_format(one) == "der");
  auto certs = load_certificates(one);
  REQUIRE(certs);
  REQUIRE(certs->size() == 1);
  CHECK(certs->front().der() == one);
  CHECK(certs->front().native() != nullptr);

  Spec other;
  other.serial_hex = "2";
  const std::string two = one + build_der(other);
  certs = load_certificates(two);
  REQUIRE(certs);
  CHECK(certs->size() == 2);

  auto limited = load_certificates(two, {.password = "", .max_certificates = 1});
  REQUIRE_FALSE(limited);
  CHECK(limited.error().code == ioc::ErrorCode::kLimitExceeded);
}

TEST_CASE("x509: PKCS#7, PKCS#12 and trusted certificates through the openssl CLI", "[x509]") {
  TempDir dir;
  REQUIRE(
      run("openssl req -new -x509 -nodes -subj /CN=p12.example -newkey rsa:2048 -days 30 "
          "-keyout " +
          (dir / "k.pem") + " -out " + (dir / "c.pem")));
  REQUIRE(
      run("openssl req -new -x509 -nodes -subj /CN=ca.example -newkey rsa:2048 -days 30 "
          "-keyout " +
          (dir / "k2.pem") + " -out " + (dir / "c2.pem")));
  const std::string c1 = read_file(dir / "c.pem");

  SECTION("PKCS#7 in PEM and DER") {
    REQUIRE(run("openssl crl2pkcs7 -nocrl -certfile " + (dir / "c.pem") + " -certfile " +
                (dir / "c2.pem") + " -out " + (dir / "chain.p7b")));
    REQUIRE(run("openssl crl2pkcs7 -nocrl -certfile " + (dir / "c.pem") + " -certfile " +
                (dir / "c2.pem") + " -outform DER -out " + (dir / "chain.p7b.der")));
    const std::string pem = read_file(dir / "chain.p7b");
    const std::string der = read_file(dir / "chain.p7b.der");
    CHECK(detect_format(pem) == "pem");
    CHECK(detect_format(der) == "pkcs7");
    for (const std::string* input : {&pem, &der}) {
      auto certs = load_certificates(*input);
      REQUIRE(certs);
      REQUIRE(certs->size() == 2);
      CHECK(summarize((*certs)[0], kNow).subject == "CN=p12.example");
      CHECK(summarize((*certs)[1], kNow).subject == "CN=ca.example");
    }
  }

  SECTION("PKCS#12 with and without the right password") {
    REQUIRE(run("openssl pkcs12 -export -inkey " + (dir / "k.pem") + " -in " + (dir / "c.pem") +
                " -certfile " + (dir / "c2.pem") + " -passout pass:s3cret -out " +
                (dir / "c.p12")));
    const std::string p12 = read_file(dir / "c.p12");
    CHECK(detect_format(p12) == "pkcs12");
    auto good = load_certificates(p12, {.password = "s3cret"});
    REQUIRE(good);
    REQUIRE(good->size() == 2);
    CHECK(summarize((*good)[0], kNow).subject == "CN=p12.example");
    auto bad = load_certificates(p12, {.password = "wrong"});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ioc::ErrorCode::kInvalidInput);
    CHECK(bad.error().message.find("PKCS#12") != std::string::npos);
    CHECK_FALSE(load_certificates(p12));  // no password given
  }

  SECTION("legacy PKCS#12 (RC2-40 / 3DES, openssl pkcs12 -legacy) opens too") {
    REQUIRE(run("openssl pkcs12 -export -legacy -inkey " + (dir / "k.pem") + " -in " +
                (dir / "c.pem") + " -passout pass:old -out " + (dir / "legacy.p12")));
    const std::string p12 = read_file(dir / "legacy.p12");
    auto good = load_certificates(p12, {.password = "old"});
    REQUIRE(good);
    REQUIRE(good->size() == 1);
    CHECK(summarize((*good)[0], kNow).subject == "CN=p12.example");
    auto bad = load_certificates(p12, {.password = "wrong"});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("PKCS#12") != std::string::npos);
  }

  SECTION("TRUSTED CERTIFICATE keeps the certificate, not the trust settings") {
    REQUIRE(run("openssl x509 -in " + (dir / "c.pem") + " -addtrust serverAuth -trustout -out " +
                (dir / "t.pem")));
    const std::string trusted = read_file(dir / "t.pem");
    REQUIRE(trusted.find("BEGIN TRUSTED CERTIFICATE") != std::string::npos);
    auto certs = load_certificates(trusted);
    auto plain = load_certificates(c1);
    REQUIRE(certs);
    REQUIRE(plain);
    REQUIRE(certs->size() == 1);
    CHECK(certs->front().der() == plain->front().der());
  }
}

TEST_CASE("x509: inputs without a certificate", "[x509]") {
  for (std::string_view input :
       {std::string_view(""), std::string_view("hello world\n"),
        std::string_view("-----BEGIN PRIVATE KEY-----\nMAo=\n-----END PRIVATE KEY-----\n"),
        std::string_view("\x30\x03\x02\x01\x01", 5)}) {
    auto r = load_certificates(input);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ioc::ErrorCode::kInvalidInput);
    CHECK(r.error().message == "no certificate in input");
  }
  CHECK(detect_format("hello") == "unknown");

  auto broken = load_certificates("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
  REQUIRE_FALSE(broken);
  CHECK(broken.error().message.find("PEM block 1") != std::string::npos);
}

TEST_CASE("x509: a certificate OpenSSL rejects is still summarized", "[x509]") {
  // "aGVsbG8gd29ybGQ=" is base64 of "hello world": a PEM block that is no certificate.
  auto certs = load_certificates(
      "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END "
      "CERTIFICATE-----\n");
  REQUIRE(certs);
  REQUIRE(certs->size() == 1);
  CHECK(certs->front().native() == nullptr);
  const Summary s = summarize(certs->front(), kNow);
  CHECK_FALSE(s.error.empty());
  CHECK(s.sha1 == "2AAE6C35C94FCFB415DBE95F408B9CE91EE846ED");  // SHA-1 of "hello world"
  CHECK(s.subject.empty());
}

TEST_CASE("x509: serial numbers in hex and decimal", "[x509]") {
  struct Case {
    std::string bn_hex, serial_hex, serial_dec;
    bool bad;
  };
  const std::vector<Case> cases = {
      {"1000", "1000", "4096", false},
      {"8BB00EE", "08BB00EE", "146473198", false},
      {"-4316693ED", "-04316693ED", "-18008675309", true},
      {"0", "00", "0", true},
      // 20 octets, high bit clear: the largest serial RFC 5280 allows.
      {"7F0102030405060708090A0B0C0D0E0F10111213", "7F0102030405060708090A0B0C0D0E0F10111213",
       "725064303890588110203033396814564464046290047507", false},
      // 20 octets of magnitude with the high bit set: 21 in DER.
      {"800102030405060708090A0B0C0D0E0F10111213", "800102030405060708090A0B0C0D0E0F10111213",
       "730773294661411949727266540692362444591821034003", true},
  };
  for (const Case& c : cases) {
    INFO(c.bn_hex);
    Spec spec;
    spec.serial_hex = c.bn_hex;
    const Summary s = summary_of(spec);
    CHECK(s.serial_hex == c.serial_hex);
    CHECK(s.serial_dec == c.serial_dec);
    CHECK(has_lint(s, "bad_serial") == c.bad);
  }
}

TEST_CASE("x509: names in RFC 2253 and oneline form", "[x509]") {
  Spec spec;
  spec.subject = {{"C", "US"}, {"O", "Acme, Inc."}, {"CN", "host.example"}};
  spec.issuer = {{"C", "US"}, {"CN", "Issuing CA"}};
  spec.signer = rsa_key(2048, 1);
  const Summary s = summary_of(spec);
  CHECK(s.subject == "CN=host.example,O=Acme\\, Inc.,C=US");
  CHECK(s.issuer == "CN=Issuing CA,C=US");
  CHECK(s.subject_oneline == "C = US, O = \"Acme, Inc.\", CN = host.example");
  CHECK(s.issuer_oneline == "C = US, CN = Issuing CA");
  CHECK_FALSE(s.self_issued);
  CHECK_FALSE(s.self_signed);

  Spec empire;
  empire.subject = {{"C", "US"}};
  const Summary e = summary_of(empire);
  CHECK(e.subject == "C=US");
  CHECK(e.subject_oneline == "C = US");
}

TEST_CASE("x509: subject alternative names as OpenSSL prints them", "[x509]") {
  Spec spec;
  spec.subject = {{"CN", "a.example"}};
  spec.ext = {{NID_subject_alt_name,
               "DNS:a.example, DNS:xn--bcher-kva.example, IP:192.0.2.1, IP:2001:db8::1, "
               "email:a@example.com, URI:https://example.com/x"}};
  const Summary s = summary_of(spec);
  CHECK(s.sans == std::vector<std::string>{"DNS:a.example", "DNS:xn--bcher-kva.example",
                                           "IP Address:192.0.2.1",
                                           "IP Address:2001:DB8:0:0:0:0:0:1", "email:a@example.com",
                                           "URI:https://example.com/x"});
  CHECK(s.sans_unicode == std::vector<std::string>{"DNS:b\xC3\xBC"
                                                   "cher.example"});
  CHECK_FALSE(has_lint(s, "cn_not_in_san"));
}

TEST_CASE("x509: key usage, EKU, constraints, key ids, AIA and CRL", "[x509]") {
  Spec spec;
  spec.ext = {
      {NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
      {NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign"},
      {NID_ext_key_usage, "serverAuth,clientAuth"},
      {NID_subject_key_identifier, "hash"},
      {NID_authority_key_identifier, "keyid:always"},
      {NID_info_access, "OCSP;URI:http://ocsp.example,caIssuers;URI:http://ca.example/ca.crt"},
      {NID_crl_distribution_points, "URI:http://crl.example/a.crl"},
  };
  const Summary s = summary_of(spec);
  CHECK(s.key_usage ==
        std::vector<std::string>{"Digital Signature", "Certificate Sign", "CRL Sign"});
  CHECK(s.ext_key_usage ==
        std::vector<std::string>{"TLS Web Server Authentication", "TLS Web Client Authentication"});
  CHECK(s.basic_constraints == "CA:TRUE, pathlen:0");
  CHECK(s.ski.size() == 59);  // 20 bytes, upper-case hex with colons
  CHECK(s.aki == s.ski);
  CHECK(s.aia == std::vector<std::string>{"OCSP - URI:http://ocsp.example",
                                          "CA Issuers - URI:http://ca.example/ca.crt"});
  CHECK(s.crl == std::vector<std::string>{"URI:http://crl.example/a.crl"});
  CHECK(s.version == 3);

  const Summary bare = summary_of(Spec{});
  CHECK(bare.basic_constraints.empty());
  CHECK(bare.key_usage.empty());
  CHECK(bare.aki.empty());
}

TEST_CASE("x509: keys, digests and times", "[x509]") {
  Spec spec;
  spec.not_before = -86400;
  spec.not_after = 30L * 86400;
  X509* x = build(spec);
  const std::string der = der_of(x);
  auto certs = load_certificates(der);
  REQUIRE(certs);
  const Summary s = summarize(certs->front(), kNow);
  CHECK(s.key_alg == "rsaEncryption");
  CHECK(s.key_bits == 2048);
  CHECK(s.sig_alg == "sha256WithRSAEncryption");
  CHECK(s.not_before == "2023-11-13T22:13:20Z");
  CHECK(s.not_after == "2023-12-14T22:13:20Z");
  CHECK(s.validity_days == 31);
  CHECK(s.days_left == 30);
  CHECK_FALSE(s.expired);
  CHECK(s.md5.size() == 32);
  CHECK(s.sha1.size() == 40);
  CHECK(s.sha256.size() == 64);
  CHECK(s.spki_sha256.size() == 64);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  REQUIRE(X509_digest(x, EVP_sha1(), md, &n) == 1);
  char hex[3];
  std::string expected;
  for (unsigned i = 0; i < n; ++i) {
    std::snprintf(hex, sizeof hex, "%02X", md[i]);
    expected += hex;
  }
  CHECK(s.sha1 == expected);
  X509_free(x);

  Spec ec;
  ec.key = ec_key();
  const Summary e = summary_of(ec);
  CHECK(e.key_alg == "id-ecPublicKey");
  CHECK(e.key_bits == 256);
  CHECK(e.curve == "prime256v1");
  CHECK(e.sig_alg == "ecdsa-with-SHA256");
}

TEST_CASE("x509: self-issued is not self-signed", "[x509]") {
  const Summary self = summary_of(Spec{});
  CHECK(self.self_issued);
  CHECK(self.self_signed);

  Spec other_key;
  other_key.signer = rsa_key(2048, 1);
  const Summary issued = summary_of(other_key);
  CHECK(issued.self_issued);
  CHECK_FALSE(issued.self_signed);
}

TEST_CASE("x509: lints", "[x509]") {
  SECTION("weak signatures") {
    Spec md5;
    md5.md = EVP_md5();
    const Summary a = summary_of(md5);
    CHECK(a.sig_alg == "md5WithRSAEncryption");
    CHECK(has_lint(a, "weak_signature"));
    Spec sha1;
    sha1.md = EVP_sha1();
    CHECK(has_lint(summary_of(sha1), "weak_signature"));
    CHECK_FALSE(has_lint(summary_of(Spec{}), "weak_signature"));
  }
  SECTION("small RSA key") {
    Spec small;
    small.key = rsa_key(1024);
    const Summary s = summary_of(small);
    CHECK(s.key_bits == 1024);
    CHECK(has_lint(s, "small_rsa_key"));
    CHECK_FALSE(has_lint(summary_of(Spec{}), "small_rsa_key"));
  }
  SECTION("version 1") {
    Spec v1;
    v1.version = X509_VERSION_1;
    const Summary s = summary_of(v1);
    CHECK(s.version == 1);
    CHECK(has_lint(s, "x509_v1"));
  }
  SECTION("expired and not yet valid") {
    const Summary later = summary_of(Spec{}, kNow + 100L * 86400);
    CHECK(later.expired);
    CHECK(later.days_left == -10);
    CHECK(has_lint(later, "expired"));
    const Summary early = summary_of(Spec{}, kNow - 86400);
    CHECK_FALSE(early.expired);
    CHECK(has_lint(early, "not_yet_valid"));
    const Summary now = summary_of(Spec{});
    CHECK_FALSE(has_lint(now, "expired"));
    CHECK_FALSE(has_lint(now, "not_yet_valid"));
  }
  SECTION("leaf validity over 398 days, not for a CA") {
    Spec leaf;
    leaf.not_after = 825L * 86400;
    CHECK(has_lint(summary_of(leaf), "long_validity"));
    Spec ca = leaf;
    ca.ext = {{NID_basic_constraints, "critical,CA:TRUE"}};
    CHECK_FALSE(has_lint(summary_of(ca), "long_validity"));
    Spec short_leaf;
    short_leaf.not_after = 398L * 86400 - 3600;
    CHECK_FALSE(has_lint(summary_of(short_leaf), "long_validity"));
  }
  SECTION("CN not in SAN") {
    Spec missing;
    missing.subject = {{"CN", "www.example"}};
    missing.ext = {{NID_subject_alt_name, "DNS:other.example"}};
    CHECK(has_lint(summary_of(missing), "cn_not_in_san"));
    Spec wildcard;
    wildcard.subject = {{"CN", "www.example.com"}};
    wildcard.ext = {{NID_subject_alt_name, "DNS:*.example.com"}};
    CHECK_FALSE(has_lint(summary_of(wildcard), "cn_not_in_san"));
    Spec ip;
    ip.subject = {{"CN", "2001:db8::7"}};
    ip.ext = {{NID_subject_alt_name, "IP:2001:db8:0::7"}};
    CHECK_FALSE(has_lint(summary_of(ip), "cn_not_in_san"));
    Spec no_cn;
    no_cn.subject = {{"C", "US"}};
    CHECK_FALSE(has_lint(summary_of(no_cn), "cn_not_in_san"));
  }
}

TEST_CASE("x509: every corpus certificate matches openssl x509", "[x509]") {
  const fs::path dir = fs::path(IOC_SOURCE_DIR) / ".." / "shared" / "corpus" / "certs";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    WARN("corpus directory absent, skipped: " << dir.string());
    return;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE_FALSE(files.empty());
  for (const fs::path& file : files) {
    INFO(file.filename().string());
    const std::string bytes = read_file(file.string());
    auto certs = load_certificates(bytes);
    REQUIRE(certs);
    REQUIRE_FALSE(certs->empty());
    const Summary s = summarize(certs->front(), kNow);
    const std::string inform = file.extension() == ".der" ? " -inform DER" : "";
    const std::string out = capture(
        "openssl x509 -noout -subject -issuer -serial -fingerprint -sha1 -nameopt RFC2253"
        " -in '" +
        file.string() + "'" + inform);
    std::map<std::string, std::string> fields;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      const auto eq = line.find('=');
      if (eq != std::string::npos) fields[line.substr(0, eq)] = line.substr(eq + 1);
    }
    std::string sha1 = fields["sha1 Fingerprint"];
    sha1.erase(std::remove(sha1.begin(), sha1.end(), ':'), sha1.end());
    CHECK(s.subject == fields["subject"]);
    CHECK(s.issuer == fields["issuer"]);
    CHECK(s.serial_hex == fields["serial"]);
    CHECK(s.sha1 == sha1);
    CHECK_FALSE(s.sha256.empty());
    CHECK_FALSE(s.not_after.empty());
  }
}
