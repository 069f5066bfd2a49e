#include "ioc/ioc/validate.hpp"

#include <arpa/inet.h>
#include <libpsl.h>
#include <openssl/sha.h>
#include <unicode/uidna.h>

#include <algorithm>
#include <array>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cstring>
#include <vector>

#include "ioc/text/ascii.hpp"

namespace ioc::scan {
namespace {

constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
constexpr bool is_hex(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool is_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The UTS #46 processor is immutable once opened and may be shared by threads.
const UIDNA* uts46() {
  static const UIDNA* const idna = [] {
    UErrorCode err = U_ZERO_ERROR;
    UIDNA* p = uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE |
                                   UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ,
                               &err);
    return U_SUCCESS(err) ? p : nullptr;
  }();
  return idna;
}

// ICU's name conversions in UTF-8; nullopt on any IDNA error.
std::optional<std::string> idna_convert(std::string_view name, bool to_ascii) {
  const UIDNA* idna = uts46();
  if (idna == nullptr || name.size() > 1024) return std::nullopt;
  std::string out(name.size() * 4 + 64, '\0');
  UErrorCode err = U_ZERO_ERROR;
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  const auto fn = to_ascii ? uidna_nameToASCII_UTF8 : uidna_nameToUnicodeUTF8;
  const int32_t n = fn(idna, name.data(), static_cast<int32_t>(name.size()), out.data(),
                       static_cast<int32_t>(out.size()), &info, &err);
  if (U_FAILURE(err) || info.errors != 0 || n < 0 || static_cast<std::size_t>(n) > out.size())
    return std::nullopt;
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool valid_label(std::string_view label) noexcept {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
    return false;
  for (char c : label)
    if (!(is_alpha(c) || is_digit(c) || c == '-')) return false;
  return true;
}

const psl_ctx_t* psl() noexcept {
  static const psl_ctx_t* const ctx = psl_builtin();
  return ctx;
}

}  // namespace

std::optional<std::uint32_t> parse_ipv4(std::string_view s, bool* canonical) noexcept {
  std::uint32_t address = 0;
  int groups = 0;
  bool plain = true;  // no group with a leading zero
  std::size_t i = 0;
  while (true) {
    std::size_t j = i;
    unsigned value = 0;
    while (j < s.size() && is_digit(s[j]) && j - i < 3) value = value * 10 + (s[j++] - '0');
    if (j == i || value > 255) return std::nullopt;
    plain &= !(s[i] == '0' && j - i > 1);
    address = (address << 8) | value;
    if (++groups == 4) {
      if (j != s.size()) return std::nullopt;
      if (canonical != nullptr) *canonical = plain;
      return address;
    }
    if (j >= s.size() || s[j] != '.') return std::nullopt;
    i = j + 1;
  }
}

std::string format_ipv4(std::uint32_t a) {
  // Written into a stack buffer: the result fits the short-string buffer, so
  // the only work is the digits (this runs once per address found).
  char buf[16];
  char* p = buf;
  for (int shift = 24; shift >= 0; shift -= 8) {
    const unsigned v = (a >> shift) & 255;
    if (v >= 100) *p++ = static_cast<char>('0' + v / 100);
    if (v >= 10) *p++ = static_cast<char>('0' + v / 10 % 10);
    *p++ = static_cast<char>('0' + v % 10);
    if (shift != 0) *p++ = '.';
  }
  return std::string(buf, static_cast<std::size_t>(p - buf));
}

std::optional<std::string> canonical_ipv4(std::string_view s) {
  auto a = parse_ipv4(s);
  if (!a) return std::nullopt;
  return format_ipv4(*a);
}

std::optional<Ipv6Bytes> parse_ipv6(std::string_view s) noexcept {
  if (const std::size_t pct = s.find('%'); pct != std::string_view::npos) s = s.substr(0, pct);
  if (s.size() < 2 || s.size() > 45) return std::nullopt;
  char buf[46];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  Ipv6Bytes out{};
  if (inet_pton(AF_INET6, buf, out.data()) != 1) return std::nullopt;
  return out;
}

std::string format_ipv6(const Ipv6Bytes& address) {
  char buf[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, address.data(), buf, sizeof buf) == nullptr) return {};
  return buf;  // glibc writes RFC 5952: lower case, longest run (>= 2 groups) compressed
}

std::optional<std::string> canonical_ipv6(std::string_view s) {
  auto a = parse_ipv6(s);
  if (!a) return std::nullopt;
  return format_ipv6(*a);
}

bool is_special_ipv4(std::uint32_t a) noexcept {
  struct Range {
    std::uint32_t base;
    int bits;
  };
  static constexpr Range kRanges[] = {
      {0x00000000, 8},   // 0.0.0.0/8 this network
      {0x0A000000, 8},   // 10/8 private
      {0x64400000, 10},  // 100.64/10 CGNAT
      {0x7F000000, 8},   // 127/8 loopback
      {0xA9FE0000, 16},  // 169.254/16 link-local
      {0xAC100000, 12},  // 172.16/12 private
      {0xC0000000, 24},  // 192.0.0/24 IETF protocol assignments
      {0xC0000200, 24},  // 192.0.2/24 TEST-NET-1
      {0xC0586300, 24},  // 192.88.99/24 6to4 relay anycast (deprecated)
      {0xC0A80000, 16},  // 192.168/16 private
      {0xC6120000, 15},  // 198.18/15 benchmarking
      {0xC6336400, 24},  // 198.51.100/24 TEST-NET-2
      {0xCB007100, 24},  // 203.0.113/24 TEST-NET-3
      {0xE0000000, 4},   // 224/4 multicast
      {0xF0000000, 4},   // 240/4 reserved, and 255.255.255.255 broadcast
  };
  for (const Range& r : kRanges) {
    const std::uint32_t mask = r.bits == 0 ? 0 : ~std::uint32_t{0} << (32 - r.bits);
    if ((a & mask) == r.base) return true;
  }
  return false;
}

bool is_special_ipv6(const Ipv6Bytes& b) noexcept {
  const auto prefix = [&](std::initializer_list<std::uint8_t> p, int bits) {
    int i = 0;
    for (std::uint8_t byte : p) {
      const int take = std::min(8, bits - i * 8);
      if (take <= 0) break;
      const std::uint8_t mask = static_cast<std::uint8_t>(0xFF << (8 - take));
      if ((b[i] & mask) != (byte & mask)) return false;
      ++i;
    }
    return true;
  };
  bool zero_head = true;  // first 80 bits zero
  for (int i = 0; i < 10; ++i) zero_head = zero_head && b[i] == 0;
  if (zero_head && b[10] == 0xFF && b[11] == 0xFF) {  // ::ffff:a.b.c.d mapped
    return is_special_ipv4(std::uint32_t{b[12]} << 24 | std::uint32_t{b[13]} << 16 |
                           std::uint32_t{b[14]} << 8 | b[15]);
  }
  if (zero_head && b[10] == 0 && b[11] == 0) return true;  // ::, ::1, ::/96 compatible
  return prefix({0x01, 0x00, 0, 0, 0, 0, 0, 0}, 64) ||     // 100::/64 discard-only
         prefix({0x20, 0x01, 0x00}, 23) ||                 // 2001::/23 IETF (Teredo, ORCHID, ...)
         prefix({0x20, 0x01, 0x0d, 0xb8}, 32) ||           // 2001:db8::/32 documentation
         prefix({0x3f, 0xff}, 20) ||                       // 3fff::/20 documentation
         prefix({0xfc}, 7) ||                              // fc00::/7 unique local
         prefix({0xfe, 0x80}, 10) ||                       // fe80::/10 link-local
         prefix({0xfe, 0xc0}, 10) ||                       // fec0::/10 site-local
         prefix({0xff}, 8);                                // ff00::/8 multicast
}

namespace {
bool cidr_bits(std::string_view s, std::size_t slash, int max) noexcept {
  const std::string_view bits = s.substr(slash + 1);
  if (bits.empty() || bits.size() > 3) return false;
  int n = 0;
  for (char c : bits) {
    if (!is_digit(c)) return false;
    n = n * 10 + (c - '0');
  }
  return n <= max;
}
}  // namespace

bool is_ipv4_cidr(std::string_view s) noexcept {
  const std::size_t slash = s.find('/');
  return slash != std::string_view::npos && parse_ipv4(s.substr(0, slash)) &&
         cidr_bits(s, slash, 32);
}

bool is_ipv6_cidr(std::string_view s) noexcept {
  const std::size_t slash = s.find('/');
  return slash != std::string_view::npos && parse_ipv6(s.substr(0, slash)) &&
         cidr_bits(s, slash, 128);
}

bool is_icann_tld(std::string_view tld) noexcept {
  if (tld.empty() || tld.size() > 63 || psl() == nullptr) return false;
  char buf[64];
  std::memcpy(buf, tld.data(), tld.size());
  buf[tld.size()] = '\0';
  return psl_is_public_suffix2(psl(), buf, PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE) != 0;
}

std::string registrable_domain(std::string_view domain) {
  const std::string name(domain);
  if (psl() == nullptr) return name;
  const char* r = psl_registrable_domain(psl(), name.c_str());
  return r == nullptr ? name : std::string(r);
}

std::string public_suffix_list_info() {
  std::string info = "libpsl ";
  info += psl_get_version();
  const time_t t = psl_builtin_file_time();
  if (t > 0) {
    char day[32];
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    info += std::string(", built-in Public Suffix List of ") + day;
  }
  return info;
}

namespace {

// kHostByte[c]: c lower-cased for ASCII letters, c for digits, '-' and '.', 0
// for every other byte (not part of an ASCII host name).
constexpr std::array<char, 256> make_host_bytes() {
  std::array<char, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = t[c - 32] = static_cast<char>(c);
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<char>(c);
  t['-'] = '-';
  t['.'] = '.';
  return t;
}
constexpr auto kHostByte = make_host_bytes();

// An ASCII host name in place: its bytes checked (kHostByte: letters, digits,
// '-', '.') and lower-cased eight at a time, and its labels as they end at
// the dots found on the way (the same rules as valid_label). Sets the number
// of labels, where the last begins and whether one is an A-label ("xn--");
// false when it is no host name.
bool ascii_host_labels(char* name, std::size_t n, std::size_t& labels, std::size_t& last_b,
                       bool& a_labels) noexcept {
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  std::size_t label_b = 0;
  labels = 0;
  a_labels = false;
  const auto label_ends = [&](std::size_t e) {
    const std::size_t len = e - label_b;
    if (len == 0 || len > 63 || name[label_b] == '-' || name[e - 1] == '-') return false;
    // "xn--" starts an A-label (lower-cased by now; inside a label it is no
    // A-label, and UTS #46 finds nothing wrong with it there).
    a_labels |= len >= 4 && std::string_view(name + label_b, 4) == "xn--";
    ++labels;
    last_b = label_b;
    label_b = e + 1;
    return true;
  };
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, name + i, 8);
    if ((w & kHigh) != 0) return false;  // ascii_bytes_in needs ASCII bytes
    const std::uint64_t upper = text::ascii_bytes_in(w, 'A', 'Z');
    const std::uint64_t ok = upper | text::ascii_bytes_in(w, 'a', 'z') |
                             text::ascii_bytes_in(w, '0', '9') | text::ascii_bytes_in(w, '-', '.');
    if (ok != kHigh) return false;
    w |= upper >> 2;  // 'A' -> 'a'
    std::memcpy(name + i, &w, 8);
    for (std::uint64_t dots = text::ascii_bytes_in(w, '.', '.'); dots != 0; dots &= dots - 1)
      if (!label_ends(i + static_cast<std::size_t>(__builtin_ctzll(dots)) / 8)) return false;
  }
  for (; i < n; ++i) {
    const char m = kHostByte[static_cast<unsigned char>(name[i])];
    if (m == 0) return false;
    name[i] = m;
    if (m == '.' && !label_ends(i)) return false;
  }
  return label_ends(n);
}

bool all_ascii(std::string_view s) noexcept {
  std::uint64_t high = 0;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    high |= w;
  }
  for (; i < s.size(); ++i) high |= static_cast<unsigned char>(s[i]);
  return (high & 0x8080808080808080ULL) == 0;
}

}  // namespace

bool canonical_domain_into(std::string_view s, const DomainOptions& options, std::string& out) {
  while (!s.empty() && s.back() == '.') s.remove_suffix(1);
  if (s.empty() || s.size() > 253 * 4) return false;
  const std::size_t at = out.size();
  const auto fail = [&] {
    out.resize(at);
    return false;
  };
  std::size_t labels = 0;
  std::size_t tld_b = 0, tld_size = 0;  // the last label, in `out` from `at`
  // Most names are ASCII host names: checked and lower-cased in `out` at once.
  bool ascii = false, a_labels = false;
  if (s.size() <= 253) {
    out.append(s.data(), s.size());  // then checked and lower-cased in place
    ascii = ascii_host_labels(out.data() + at, s.size(), labels, tld_b, a_labels);
    if (ascii) {
      tld_size = s.size() - tld_b;
    } else {
      out.resize(at);
      if (all_ascii(s)) return false;  // ASCII, and no host name
    }
  } else if (all_ascii(s)) {
    return false;
  }
  if (!ascii) {
    auto a = idna_convert(s, true);
    if (!a || a->empty() || a->size() > 253) return false;
    for (std::size_t i = 0; i <= a->size();) {
      std::size_t dot = a->find('.', i);
      if (dot == std::string::npos) dot = a->size();
      if (!valid_label(std::string_view(a->data() + i, dot - i))) return false;
      ++labels;
      tld_b = i;
      tld_size = dot - i;
      i = dot + 1;
    }
    out += *a;
  }
  const std::string_view name(out.data() + at, out.size() - at);
  const std::string_view tld = name.substr(tld_b, tld_size);
  if (options.min_two_labels && labels < 2) return fail();
  // A TLD is letters, or an A-label ("xn--p1ai"); never all digits.
  const bool a_label = tld.size() > 4 && tld.substr(0, 4) == "xn--";
  if (!a_label)
    for (char c : tld)
      if (!is_alpha(c)) return fail();
  if (options.tld_check && !is_icann_tld(tld)) return fail();
  if (ascii && a_labels) {
    // A-labels that do not decode (xn--invalid) are not domain names.
    if (!idna_convert(name, false)) return fail();
  }
  if (options.unicode) {
    if (auto u = idna_convert(name, false)) {
      out.resize(at);
      out += *u;
    }
  }
  return true;
}

std::optional<std::string> canonical_domain(std::string_view s, const DomainOptions& options) {
  std::string name;
  if (!canonical_domain_into(s, options, name)) return std::nullopt;
  return name;
}

std::optional<std::string> canonical_mac(std::string_view s) {
  std::string hex;
  if (s.size() == 17) {
    const char sep = s[2];
    if (sep != ':' && sep != '-') return std::nullopt;
    for (std::size_t i = 0; i < 17; ++i) {
      if (i % 3 == 2) {
        if (s[i] != sep) return std::nullopt;
      } else if (!is_hex(s[i])) {
        return std::nullopt;
      } else {
        hex += s[i];
      }
    }
  } else if (s.size() == 14) {  // Cisco aabb.ccdd.eeff
    for (std::size_t i = 0; i < 14; ++i) {
      if (i % 5 == 4) {
        if (s[i] != '.') return std::nullopt;
      } else if (!is_hex(s[i])) {
        return std::nullopt;
      } else {
        hex += s[i];
      }
    }
  } else {
    return std::nullopt;
  }
  std::string out;
  for (std::size_t i = 0; i < 12; i += 2) {
    if (!out.empty()) out += ':';
    out += text::lower_ascii(hex[i]);
    out += text::lower_ascii(hex[i + 1]);
  }
  return out;
}

std::optional<Type> hash_type_of(std::string_view hex) noexcept {
  Type t;
  switch (hex.size()) {
    case 32: t = Type::kMd5; break;
    case 40: t = Type::kSha1; break;
    case 64: t = Type::kSha256; break;
    case 128: t = Type::kSha512; break;
    default: return std::nullopt;
  }
  std::size_t i = 0;
#if defined(__SSE2__)
  // 16 bytes at a time: a digit, or (with bit 0x20 set) 'a'..'f'.
  const __m128i k0 = _mm_set1_epi8('0'), k9 = _mm_set1_epi8(9), k20 = _mm_set1_epi8(0x20),
                ka = _mm_set1_epi8('a'), k5 = _mm_set1_epi8(5);
  for (; i + 16 <= hex.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hex.data() + i));
    const __m128i d = _mm_sub_epi8(v, k0);
    const __m128i l = _mm_sub_epi8(_mm_or_si128(v, k20), ka);
    const __m128i ok = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d, k9), d),
                                    _mm_cmpeq_epi8(_mm_min_epu8(l, k5), l));
    if (_mm_movemask_epi8(ok) != 0xFFFF) return std::nullopt;
  }
#endif
  for (; i < hex.size(); ++i)
    if (!is_hex(hex[i])) return std::nullopt;
  return t;
}

namespace {

bool base58check_address(std::string_view s) {
  static constexpr std::string_view kAlphabet =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  if (s.size() < 26 || s.size() > 35 || (s[0] != '1' && s[0] != '3')) return false;
  std::array<std::uint8_t, 25> num{};  // big-endian 200-bit number
  for (char c : s) {
    const std::size_t digit = kAlphabet.find(c);
    if (digit == std::string_view::npos) return false;
    unsigned carry = static_cast<unsigned>(digit);
    for (std::size_t i = num.size(); i-- > 0;) {
      carry += 58u * num[i];
      num[i] = static_cast<std::uint8_t>(carry & 0xFF);
      carry >>= 8;
    }
    if (carry != 0) return false;  // more than 25 bytes
  }
  // Leading '1's stand for leading zero bytes; the version byte is 0x00 or 0x05.
  if ((s[0] == '1') != (num[0] == 0x00) || (s[0] == '3' && num[0] != 0x05)) return false;
  unsigned char once[SHA256_DIGEST_LENGTH];
  unsigned char twice[SHA256_DIGEST_LENGTH];
  SHA256(num.data(), 21, once);
  SHA256(once, sizeof once, twice);
  return std::memcmp(twice, num.data() + 21, 4) == 0;
}

// BIP-173 / BIP-350 checksum over the human-readable part "bc" and the data.
bool bech32_address(std::string_view s) {
  static constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  if (s.size() < 14 || s.size() > 74 || s.substr(0, 3) != "bc1") return false;
  std::vector<std::uint8_t> values = {3, 3, 0, 2, 3};  // hrp "bc" expanded
  for (char c : s.substr(3)) {
    const std::size_t v = kCharset.find(c);
    if (v == std::string_view::npos) return false;
    values.push_back(static_cast<std::uint8_t>(v));
  }
  std::uint32_t chk = 1;
  for (std::uint8_t v : values) {
    const std::uint32_t top = chk >> 25;
    chk = (chk & 0x1ffffff) << 5 ^ v;
    static constexpr std::uint32_t kGen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                              0x2a1462b3};
    for (int i = 0; i < 5; ++i)
      if ((top >> i) & 1) chk ^= kGen[i];
  }
  return chk == 1 || chk == 0x2bc830a3;
}

}  // namespace

bool is_btc_address(std::string_view s) {
  if (s.size() >= 3 && s.substr(0, 3) == "bc1") return bech32_address(s);
  return base58check_address(s);
}

}  // namespace ioc::scan
