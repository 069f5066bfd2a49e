// Certificate loading and summaries: see ioc/x509/cert.hpp.
//
// Everything here is OpenSSL: the containers (PEM, DER, PKCS#7, CMS, PKCS#12)
// are opened with its decoders, and every field of a Summary is printed the way
// `openssl x509` prints it. Nothing parses ASN.1 by hand. OpenSSL's error queue
// is cleared before returning so that failures on hostile input do not leak
// into later, unrelated calls.
#include "ioc/x509/cert.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/buffer.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <climits>
#include <cstdio>
#include <mutex>
#include <utility>

#include "ioc/core/civil.hpp"
#include "ioc/ioc/validate.hpp"
#include "ioc/text/ascii.hpp"

using ioc::core::days_from_civil;

namespace ioc::x509 {
namespace {

// Input bounds: OpenSSL's memory BIOs and d2i functions take int/long lengths.
constexpr std::size_t kMaxInputBytes = 256u * 1024 * 1024;
constexpr std::size_t kMaxPemBlocks = 100000;
constexpr std::size_t kMaxNameChars = 64 * 1024;  // a printed DN longer than this is cut

template <typename T, void (*Free)(T*)>
struct FreeWith {
  void operator()(T* p) const noexcept { Free(p); }
};
template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, FreeWith<T, Free>>;

void free_bio(BIO* b) {
  BIO_free_all(b);
}
void free_x509(X509* x) {
  X509_free(x);
}
void free_x509_stack(STACK_OF(X509) * s) {
  sk_X509_pop_free(s, X509_free);
}
void free_conf_values(STACK_OF(CONF_VALUE) * s) {
  sk_CONF_VALUE_pop_free(s, X509V3_conf_free);
}
void free_general_names(GENERAL_NAMES* g) {
  GENERAL_NAMES_free(g);
}
void free_openssl(char* p) {
  OPENSSL_free(p);
}

using Bio = Owned<BIO, free_bio>;
using X509Ptr = Owned<X509, free_x509>;
using X509Stack = Owned<STACK_OF(X509), free_x509_stack>;
using ConfValues = Owned<STACK_OF(CONF_VALUE), free_conf_values>;
using GeneralNames = Owned<GENERAL_NAMES, free_general_names>;
using OpenSslString = Owned<char, free_openssl>;
using Pkcs7Ptr = Owned<PKCS7, PKCS7_free>;
using CmsPtr = Owned<CMS_ContentInfo, CMS_ContentInfo_free>;
using Pkcs12Ptr = Owned<PKCS12, PKCS12_free>;
using PkeyPtr = Owned<EVP_PKEY, EVP_PKEY_free>;
using BnPtr = Owned<BIGNUM, BN_free>;
using BasicConstraints = Owned<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free>;
using ExtKeyUsage = Owned<EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free>;
using BitString = Owned<ASN1_BIT_STRING, ASN1_BIT_STRING_free>;
using InfoAccess = Owned<AUTHORITY_INFO_ACCESS, AUTHORITY_INFO_ACCESS_free>;
using CrlPoints = Owned<CRL_DIST_POINTS, CRL_DIST_POINTS_free>;

// Clears OpenSSL's thread-local error queue when a scope ends.
struct ErrorQueueGuard {
  ErrorQueueGuard() { ERR_clear_error(); }
  ~ErrorQueueGuard() { ERR_clear_error(); }
  ErrorQueueGuard(const ErrorQueueGuard&) = delete;
  ErrorQueueGuard& operator=(const ErrorQueueGuard&) = delete;
};

// OpenSSL's reason for the last error ("mac verify failure"), or "unknown error".
std::string openssl_reason() {
  const unsigned long err = ERR_peek_last_error();
  const char* reason = err != 0 ? ERR_reason_error_string(err) : nullptr;
  return reason != nullptr ? reason : "unknown error";
}

/// Loads OpenSSL's legacy provider (RC2, 3DES, ... of old PKCS#12 files) and
/// the default one beside it (an explicit load turns the implicit default
/// off). True only on the call that loaded them: a later failure is not a
/// missing algorithm.
bool load_legacy_provider_once() {
  // The handles stay in statics for the life of the process (OpenSSL frees the
  // providers at exit): reachable, not leaked.
  static std::once_flag once;
  static OSSL_PROVIDER* legacy = nullptr;
  static OSSL_PROVIDER* fallback = nullptr;
  bool loaded_now = false;
  std::call_once(once, [&] {
    legacy = OSSL_PROVIDER_load(nullptr, "legacy");
    fallback = OSSL_PROVIDER_load(nullptr, "default");
    loaded_now = legacy != nullptr && fallback != nullptr;
  });
  return loaded_now;
}

const unsigned char* bytes_of(std::string_view s) noexcept {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string bio_text(BIO* bio) {
  BUF_MEM* mem = nullptr;
  BIO_get_mem_ptr(bio, &mem);
  if (mem == nullptr || mem->data == nullptr) return {};
  return std::string(mem->data, mem->length);
}

std::string hex_upper(const unsigned char* p, std::size_t n, bool colons) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(n * 3);
  for (std::size_t i = 0; i < n; ++i) {
    if (colons && i != 0) out.push_back(':');
    out.push_back(kDigits[p[i] >> 4]);
    out.push_back(kDigits[p[i] & 15]);
  }
  return out;
}

// A certificate's DER as a string: OpenSSL keeps the bytes it decoded, so this
// is the original encoding of a certificate taken from a PKCS#7 or PKCS#12.
std::optional<std::string> der_of(X509* x) {
  unsigned char* buf = nullptr;
  const int n = i2d_X509(x, &buf);
  if (n <= 0 || buf == nullptr) return std::nullopt;
  std::string der(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
  OPENSSL_free(buf);
  return der;
}

class Loader {
 public:
  explicit Loader(const LoadOptions& options) : options_(options) {}

  Result<void> add(std::string der) {
    if (certs_.size() >= options_.max_certificates)
      return make_error(
          ErrorCode::kLimitExceeded,
          "more than " + std::to_string(options_.max_certificates) + " certificates in input");
    const std::size_t index = certs_.size();
    certs_.emplace_back(std::move(der), index);
    return {};
  }

  Result<void> add_stack(STACK_OF(X509) * stack) {
    for (int i = 0; i < sk_X509_num(stack); ++i) {
      auto der = der_of(sk_X509_value(stack, i));
      if (der) IOC_TRY(add(std::move(*der)));
    }
    return {};
  }

  // A PKCS#7 (or CMS) SignedData: its certificate bag, in order.
  Result<void> add_pkcs7(std::string_view bytes) {
    const unsigned char* p = bytes_of(bytes);
    Pkcs7Ptr p7(d2i_PKCS7(nullptr, &p, static_cast<long>(bytes.size())));
    if (p7) {
      STACK_OF(X509)* certs = nullptr;
      const int nid = OBJ_obj2nid(p7->type);
      if (nid == NID_pkcs7_signed && p7->d.sign != nullptr) certs = p7->d.sign->cert;
      if (nid == NID_pkcs7_signedAndEnveloped && p7->d.signed_and_enveloped != nullptr)
        certs = p7->d.signed_and_enveloped->cert;
      if (certs != nullptr) IOC_TRY(add_stack(certs));
      return {};
    }
    p = bytes_of(bytes);
    CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(bytes.size())));
    if (!cms)
      return make_error(ErrorCode::kInvalidInput, "PKCS#7 does not decode: " + openssl_reason());
    X509Stack certs(CMS_get1_certs(cms.get()));
    if (certs) IOC_TRY(add_stack(certs.get()));
    return {};
  }

  Result<void> add_pkcs12(PKCS12* p12) {
    EVP_PKEY* key = nullptr;
    X509* leaf = nullptr;
    STACK_OF(X509)* chain = nullptr;
    if (PKCS12_parse(p12, options_.password.c_str(), &key, &leaf, &chain) != 1) {
      // Files made by older tools (Windows' "export with 3DES", openssl
      // pkcs12 -legacy) encrypt with RC2-40 or 3DES, which OpenSSL 3 keeps in
      // its legacy provider: load it once and try again.
      std::string reason = openssl_reason();
      bool opened = false;
      if (load_legacy_provider_once()) {
        ERR_clear_error();
        opened = PKCS12_parse(p12, options_.password.c_str(), &key, &leaf, &chain) == 1;
        if (!opened) reason = openssl_reason();
      }
      if (!opened)
        return make_error(ErrorCode::kInvalidInput,
                          "PKCS#12 does not open (wrong password?): " + reason);
    }
    PkeyPtr key_owner(key);
    X509Ptr leaf_owner(leaf);
    X509Stack chain_owner(chain);
    if (leaf != nullptr) {
      auto der = der_of(leaf);
      if (der) IOC_TRY(add(std::move(*der)));
    }
    if (chain != nullptr) IOC_TRY(add_stack(chain));
    return {};
  }

  // Every PEM block: certificates and PKCS#7/CMS bags; other blocks (keys,
  // requests) are skipped. PEM_read_bio skips the text between blocks.
  Result<void> add_pem(std::string_view bytes) {
    Bio bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
    if (!bio) return make_error(ErrorCode::kInvalidInput, "cannot read input: " + openssl_reason());
    for (std::size_t block = 1;; ++block) {
      if (block > kMaxPemBlocks)
        return make_error(ErrorCode::kLimitExceeded,
                          "more than " + std::to_string(kMaxPemBlocks) + " PEM blocks in input");
      char* name = nullptr;
      char* header = nullptr;
      unsigned char* data = nullptr;
      long len = 0;
      ERR_clear_error();
      if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) {
        const unsigned long err = ERR_peek_last_error();
        if (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE) break;
        return make_error(ErrorCode::kInvalidInput, "PEM block " + std::to_string(block) +
                                                        " does not decode: " + openssl_reason());
      }
      OpenSslString name_owner(name), header_owner(header);
      OpenSslString data_owner(reinterpret_cast<char*>(data));
      const std::string_view type(name);
      const std::string_view body(reinterpret_cast<const char*>(data),
                                  len > 0 ? static_cast<std::size_t>(len) : 0);
      if (type == "CERTIFICATE" || type == "X509 CERTIFICATE") {
        IOC_TRY(add(std::string(body)));
      } else if (type == "TRUSTED CERTIFICATE") {
        // A certificate followed by OpenSSL's trust settings: keep the certificate.
        const unsigned char* p = bytes_of(body);
        X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(body.size())));
        const std::size_t used = x ? static_cast<std::size_t>(p - bytes_of(body)) : body.size();
        IOC_TRY(add(std::string(body.substr(0, used))));
      } else if (type == "PKCS7" || type == "PKCS #7 SIGNED DATA" || type == "CMS") {
        IOC_TRY(add_pkcs7(body));
      }
    }
    return {};
  }

  // One or more DER certificates back to back. False when the first is not one.
  Result<bool> add_der(std::string_view bytes) {
    std::size_t offset = 0;
    while (offset < bytes.size()) {
      const unsigned char* start = bytes_of(bytes) + offset;
      const unsigned char* p = start;
      X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(bytes.size() - offset)));
      if (!x || p <= start) break;
      const auto used = static_cast<std::size_t>(p - start);
      IOC_TRY(add(std::string(bytes.substr(offset, used))));
      offset += used;
    }
    return offset > 0;
  }

  std::vector<Certificate> take() { return std::move(certs_); }
  bool empty() const noexcept { return certs_.empty(); }

 private:
  const LoadOptions& options_;
  std::vector<Certificate> certs_;
};

bool is_der_x509(std::string_view bytes) {
  const unsigned char* p = bytes_of(bytes);
  X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(bytes.size())));
  return x != nullptr;
}

bool is_der_pkcs7(std::string_view bytes) {
  const unsigned char* p = bytes_of(bytes);
  Pkcs7Ptr p7(d2i_PKCS7(nullptr, &p, static_cast<long>(bytes.size())));
  return p7 != nullptr;
}

Pkcs12Ptr der_pkcs12(std::string_view bytes) {
  const unsigned char* p = bytes_of(bytes);
  return Pkcs12Ptr(d2i_PKCS12(nullptr, &p, static_cast<long>(bytes.size())));
}

// ---- summary helpers ----

std::string name_text(const X509_NAME* name, unsigned long flags) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || name == nullptr) return {};
  if (X509_NAME_print_ex(bio.get(), name, 0, flags) < 0) return {};
  std::string out = bio_text(bio.get());
  if (out.size() > kMaxNameChars) out.resize(kMaxNameChars);
  return out;
}

// An object's long name ("rsaEncryption"), or its dotted OID when OpenSSL has no name.
std::string object_name(const ASN1_OBJECT* obj) {
  if (obj == nullptr) return {};
  const int nid = OBJ_obj2nid(obj);
  if (nid != NID_undef) {
    const char* ln = OBJ_nid2ln(nid);
    if (ln != nullptr) return ln;
  }
  char buf[256];
  const int n = OBJ_obj2txt(buf, sizeof buf, obj, 1);
  return n > 0
             ? std::string(buf, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof buf - 1))
             : std::string();
}

// The text OpenSSL prints for an object: long name, else dotted OID.
std::string object_text(const ASN1_OBJECT* obj) {
  char buf[256];
  const int n = OBJ_obj2txt(buf, sizeof buf, obj, 0);
  return n > 0
             ? std::string(buf, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof buf - 1))
             : std::string();
}

std::string digest_hex(X509* x, const std::string& der, const EVP_MD* md) {
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (md == nullptr) return {};
  const bool ok = x != nullptr ? X509_digest(x, md, buf, &n) == 1
                               : EVP_Digest(der.data(), der.size(), buf, &n, md, nullptr) == 1;
  return ok ? hex_upper(buf, n, false) : std::string();
}

struct TimePoint {
  std::int64_t epoch = 0;
  std::string iso;
};

std::optional<TimePoint> time_point(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return std::nullopt;
  TimePoint out;
  const std::int64_t days =
      days_from_civil(static_cast<std::int64_t>(tm.tm_year) + 1900,
                      static_cast<unsigned>(tm.tm_mon + 1), static_cast<unsigned>(tm.tm_mday));
  out.epoch = days * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  out.iso = buf;
  return out;
}

std::int64_t floor_days(std::int64_t seconds) noexcept {
  std::int64_t d = seconds / 86400;
  if (seconds % 86400 != 0 && seconds < 0) --d;
  return d;
}

// "name:value" for each entry, as OpenSSL prints general names ("DNS:a.example").
void append_general_names(GENERAL_NAMES* names, std::vector<std::string>& out) {
  if (names == nullptr) return;
  ConfValues values(i2v_GENERAL_NAMES(nullptr, names, nullptr));
  if (!values) return;
  for (int i = 0; i < sk_CONF_VALUE_num(values.get()); ++i) {
    const CONF_VALUE* v = sk_CONF_VALUE_value(values.get(), i);
    std::string item = v->name != nullptr ? v->name : "";
    if (v->value != nullptr) item += std::string(":") + v->value;
    out.push_back(std::move(item));
  }
}

std::string general_name_text(GENERAL_NAME* name) {
  std::vector<std::string> one;
  if (name == nullptr) return {};
  ConfValues values(i2v_GENERAL_NAME(nullptr, name, nullptr));
  if (!values || sk_CONF_VALUE_num(values.get()) < 1) return {};
  const CONF_VALUE* v = sk_CONF_VALUE_value(values.get(), 0);
  std::string item = v->name != nullptr ? v->name : "";
  if (v->value != nullptr) item += std::string(":") + v->value;
  return item;
}

// The U-label spelling of a DNS SAN that holds A-labels ("xn--..."), if any.
std::optional<std::string> unicode_dns(std::string_view name) {
  if (text::ifind(name, "xn--") == std::string_view::npos) return std::nullopt;
  std::string_view host = name;
  std::string prefix;
  if (host.starts_with("*.")) {
    prefix = "*.";
    host.remove_prefix(2);
  }
  auto u =
      scan::canonical_domain(host, {.tld_check = false, .unicode = true, .min_two_labels = false});
  if (!u) return std::nullopt;
  return prefix + *u;
}

std::vector<std::string> common_names(const X509_NAME* name) {
  std::vector<std::string> out;
  int pos = -1;
  while ((pos = X509_NAME_get_index_by_NID(name, NID_commonName, pos)) >= 0) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, pos);
    unsigned char* utf8 = nullptr;
    const int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
    if (n >= 0 && utf8 != nullptr) out.emplace_back(reinterpret_cast<char*>(utf8), n);
    OPENSSL_free(utf8);
  }
  return out;
}

bool cn_in_sans(X509* x, const std::string& cn, const std::vector<std::string>& sans) {
  for (const std::string& san : sans)
    if (san.starts_with("DNS:") && text::iequals(std::string_view(san).substr(4), cn)) return true;
  if (cn.find('\0') != std::string::npos) return false;
  if (X509_check_ip_asc(x, cn.c_str(), 0) == 1) return true;
  return X509_check_host(x, cn.data(), cn.size(), X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, nullptr) ==
         1;
}

void lint(Summary& s, std::string id, std::string message) {
  s.lints.push_back(Lint{std::move(id), std::move(message)});
}

void summarize_serial(X509* x, Summary& s) {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(x);
  if (serial == nullptr) return;
  Bio bio(BIO_new(BIO_s_mem()));
  if (bio && i2a_ASN1_INTEGER(bio.get(), serial) > 0) s.serial_hex = bio_text(bio.get());
  BnPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
  if (bn) {
    OpenSslString dec(BN_bn2dec(bn.get()));
    if (dec) s.serial_dec = dec.get();
    if (BN_is_negative(bn.get()))
      lint(s, "bad_serial", "negative serial number " + s.serial_dec);
    else if (BN_is_zero(bn.get()))
      lint(s, "bad_serial", "serial number is zero");
    else if (BN_num_bytes(bn.get()) > 20 ||
             (BN_num_bytes(bn.get()) == 20 && BN_num_bits(bn.get()) % 8 == 0))
      lint(s, "bad_serial", "serial number longer than 20 octets (RFC 5280)");
  }
}

void summarize_key(X509* x, Summary& s) {
  X509_PUBKEY* pub = X509_get_X509_PUBKEY(x);
  ASN1_OBJECT* alg = nullptr;
  X509_ALGOR* params = nullptr;
  if (pub != nullptr && X509_PUBKEY_get0_param(&alg, nullptr, nullptr, &params, pub) == 1) {
    s.key_alg = object_name(alg);
    if (OBJ_obj2nid(alg) == NID_X9_62_id_ecPublicKey && params != nullptr) {
      int type = 0;
      const void* value = nullptr;
      X509_ALGOR_get0(nullptr, &type, &value, params);
      if (type == V_ASN1_OBJECT && value != nullptr) {
        const int curve = OBJ_obj2nid(static_cast<const ASN1_OBJECT*>(value));
        s.curve = curve != NID_undef ? OBJ_nid2sn(curve)
                                     : object_name(static_cast<const ASN1_OBJECT*>(value));
      }
    }
  }
  EVP_PKEY* key = X509_get0_pubkey(x);
  if (key == nullptr) {
    if (s.error.empty()) s.error = "public key not decoded by OpenSSL (" + s.key_alg + ")";
    return;
  }
  s.key_bits = EVP_PKEY_get_bits(key);
  const int type = EVP_PKEY_get_base_id(key);
  if ((type == EVP_PKEY_RSA || type == EVP_PKEY_RSA_PSS) && s.key_bits < 2048)
    lint(s, "small_rsa_key", "RSA key of " + std::to_string(s.key_bits) + " bits (< 2048)");
}

void summarize_signature(X509* x, Summary& s) {
  const X509_ALGOR* alg = nullptr;
  X509_get0_signature(nullptr, &alg, x);
  if (alg == nullptr) return;
  const ASN1_OBJECT* obj = nullptr;
  X509_ALGOR_get0(&obj, nullptr, nullptr, alg);
  s.sig_alg = object_name(obj);
  int md = NID_undef;
  if (OBJ_find_sigid_algs(OBJ_obj2nid(obj), &md, nullptr) == 1 &&
      (md == NID_md5 || md == NID_sha1 || md == NID_md2 || md == NID_md4 || md == NID_mdc2))
    lint(s, "weak_signature",
         "signature uses " + std::string(OBJ_nid2sn(md)) + " (" + s.sig_alg + ")");
}

void summarize_times(X509* x, std::time_t now, Summary& s) {
  const auto nb = time_point(X509_get0_notBefore(x));
  const auto na = time_point(X509_get0_notAfter(x));
  if (nb) s.not_before = nb->iso;
  if (na) s.not_after = na->iso;
  const auto t = static_cast<std::int64_t>(now);
  if (na) {
    s.expired = t > na->epoch;
    s.days_left = floor_days(na->epoch - t);
    if (s.expired) lint(s, "expired", "expired on " + na->iso);
  }
  if (nb && t < nb->epoch) lint(s, "not_yet_valid", "not valid before " + nb->iso);
  if (nb && na) s.validity_days = floor_days(na->epoch - nb->epoch);
}

// Returns true when the certificate is a CA (basicConstraints CA:TRUE).
bool summarize_extensions(X509* x, Summary& s, bool& has_san) {
  GeneralNames sans(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr)));
  has_san = sans != nullptr;
  append_general_names(sans.get(), s.sans);
  for (const std::string& san : s.sans) {
    if (!san.starts_with("DNS:")) continue;
    if (auto u = unicode_dns(std::string_view(san).substr(4)))
      s.sans_unicode.push_back("DNS:" + *u);
  }

  BitString ku(static_cast<ASN1_BIT_STRING*>(X509_get_ext_d2i(x, NID_key_usage, nullptr, nullptr)));
  if (ku) {
    const X509V3_EXT_METHOD* method = X509V3_EXT_get_nid(NID_key_usage);
    ConfValues names(
        i2v_ASN1_BIT_STRING(const_cast<X509V3_EXT_METHOD*>(method), ku.get(), nullptr));
    for (int i = 0; names && i < sk_CONF_VALUE_num(names.get()); ++i)
      s.key_usage.emplace_back(sk_CONF_VALUE_value(names.get(), i)->name);
  }

  ExtKeyUsage eku(
      static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(x, NID_ext_key_usage, nullptr, nullptr)));
  for (int i = 0; eku && i < sk_ASN1_OBJECT_num(eku.get()); ++i)
    s.ext_key_usage.push_back(object_text(sk_ASN1_OBJECT_value(eku.get(), i)));

  bool is_ca = false;
  BasicConstraints bc(static_cast<BASIC_CONSTRAINTS*>(
      X509_get_ext_d2i(x, NID_basic_constraints, nullptr, nullptr)));
  if (bc) {
    is_ca = bc->ca != 0;
    s.basic_constraints = is_ca ? "CA:TRUE" : "CA:FALSE";
    if (bc->pathlen != nullptr) {
      BnPtr len(ASN1_INTEGER_to_BN(bc->pathlen, nullptr));
      OpenSslString dec(len ? BN_bn2dec(len.get()) : nullptr);
      if (dec) s.basic_constraints += std::string(", pathlen:") + dec.get();
    }
  }

  if (const ASN1_OCTET_STRING* aki = X509_get0_authority_key_id(x))
    s.aki = hex_upper(ASN1_STRING_get0_data(aki), static_cast<std::size_t>(ASN1_STRING_length(aki)),
                      true);
  if (const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(x))
    s.ski = hex_upper(ASN1_STRING_get0_data(ski), static_cast<std::size_t>(ASN1_STRING_length(ski)),
                      true);

  InfoAccess aia(
      static_cast<AUTHORITY_INFO_ACCESS*>(X509_get_ext_d2i(x, NID_info_access, nullptr, nullptr)));
  for (int i = 0; aia && i < sk_ACCESS_DESCRIPTION_num(aia.get()); ++i) {
    ACCESS_DESCRIPTION* ad = sk_ACCESS_DESCRIPTION_value(aia.get(), i);
    s.aia.push_back(object_text(ad->method) + " - " + general_name_text(ad->location));
  }

  CrlPoints crl(static_cast<CRL_DIST_POINTS*>(
      X509_get_ext_d2i(x, NID_crl_distribution_points, nullptr, nullptr)));
  for (int i = 0; crl && i < sk_DIST_POINT_num(crl.get()); ++i) {
    const DIST_POINT* dp = sk_DIST_POINT_value(crl.get(), i);
    if (dp->distpoint != nullptr && dp->distpoint->type == 0)
      append_general_names(dp->distpoint->name.fullname, s.crl);
  }
  return is_ca;
}

}  // namespace

// ---- Certificate ----

Certificate::Certificate(std::string der, std::size_t index) : der_(std::move(der)), index_(index) {
  if (der_.empty() || der_.size() > static_cast<std::size_t>(LONG_MAX)) return;
  ErrorQueueGuard guard;
  const unsigned char* p = bytes_of(der_);
  x509_ = d2i_X509(nullptr, &p, static_cast<long>(der_.size()));
}

Certificate::~Certificate() {
  X509_free(static_cast<X509*>(x509_));
}

Certificate::Certificate(Certificate&& other) noexcept
    : der_(std::move(other.der_)),
      index_(other.index_),
      x509_(std::exchange(other.x509_, nullptr)) {}

Certificate& Certificate::operator=(Certificate&& other) noexcept {
  if (this != &other) {
    X509_free(static_cast<X509*>(x509_));
    der_ = std::move(other.der_);
    index_ = other.index_;
    x509_ = std::exchange(other.x509_, nullptr);
  }
  return *this;
}

// ---- loading ----

std::string_view detect_format(std::string_view bytes) noexcept {
  if (bytes.empty() || bytes.size() > kMaxInputBytes) return "unknown";
  ErrorQueueGuard guard;
  if (is_der_x509(bytes)) return "der";
  if (is_der_pkcs7(bytes)) return "pkcs7";
  if (der_pkcs12(bytes)) return "pkcs12";
  if (bytes.find("-----BEGIN ") != std::string_view::npos) return "pem";
  return "unknown";
}

Result<std::vector<Certificate>> load_certificates(std::string_view bytes,
                                                   const LoadOptions& options) {
  if (bytes.size() > kMaxInputBytes)
    return make_error(ErrorCode::kLimitExceeded,
                      "input larger than " + std::to_string(kMaxInputBytes) + " bytes");
  ErrorQueueGuard guard;
  Loader loader(options);
  const std::string_view format = detect_format(bytes);
  if (format == "der") {
    IOC_TRY(loader.add_der(bytes));
  } else if (format == "pkcs7") {
    IOC_TRY(loader.add_pkcs7(bytes));
  } else if (format == "pkcs12") {
    Pkcs12Ptr p12 = der_pkcs12(bytes);
    if (p12) IOC_TRY(loader.add_pkcs12(p12.get()));
  } else if (format == "pem") {
    IOC_TRY(loader.add_pem(bytes));
  }
  if (loader.empty()) return make_error(ErrorCode::kInvalidInput, "no certificate in input");
  return loader.take();
}

// ---- summary ----

Summary summarize(const Certificate& cert, std::time_t now) {
  ErrorQueueGuard guard;
  Summary s;
  s.index = cert.index();
  auto* x = static_cast<X509*>(cert.native());
  s.md5 = digest_hex(x, cert.der(), EVP_md5());
  s.sha1 = digest_hex(x, cert.der(), EVP_sha1());
  s.sha256 = digest_hex(x, cert.der(), EVP_sha256());
  if (x == nullptr) {
    s.error = "OpenSSL could not parse the certificate";
    return s;
  }

  const X509_NAME* subject = X509_get_subject_name(x);
  const X509_NAME* issuer = X509_get_issuer_name(x);
  s.subject = name_text(subject, XN_FLAG_RFC2253);
  s.issuer = name_text(issuer, XN_FLAG_RFC2253);
  s.subject_oneline = name_text(subject, XN_FLAG_ONELINE);
  s.issuer_oneline = name_text(issuer, XN_FLAG_ONELINE);
  s.version = static_cast<int>(X509_get_version(x)) + 1;
  if (s.version == 1) lint(s, "x509_v1", "X.509 version 1 certificate (no extensions)");

  summarize_serial(x, s);

  unsigned char spki_hash[EVP_MAX_MD_SIZE];
  unsigned int spki_len = 0;
  unsigned char* spki = nullptr;
  const int spki_size = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &spki);
  if (spki_size > 0 && spki != nullptr &&
      EVP_Digest(spki, static_cast<std::size_t>(spki_size), spki_hash, &spki_len, EVP_sha256(),
                 nullptr) == 1)
    s.spki_sha256 = hex_upper(spki_hash, spki_len, false);
  OPENSSL_free(spki);

  summarize_key(x, s);
  summarize_signature(x, s);
  summarize_times(x, now, s);

  bool has_san = false;
  const bool is_ca = summarize_extensions(x, s, has_san);
  if (!is_ca && s.validity_days > 398)
    lint(s, "long_validity",
         "leaf certificate valid for " + std::to_string(s.validity_days) + " days (> 398)");

  s.self_issued = X509_NAME_cmp(subject, issuer) == 0;
  EVP_PKEY* key = X509_get0_pubkey(x);
  s.self_signed = key != nullptr && X509_verify(x, key) == 1;

  if (!is_ca) {
    for (const std::string& cn : common_names(subject)) {
      if (cn_in_sans(x, cn, s.sans)) continue;
      lint(s, "cn_not_in_san",
           has_san ? "CN \"" + cn + "\" is not among the subject alternative names"
                   : "CN \"" + cn + "\" but no subjectAltName extension");
      break;
    }
  }
  return s;
}

}  // namespace ioc::x509
