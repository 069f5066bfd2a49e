#include "ioc/ioc/scanner.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#if defined(__SSE2__)
#include <emmintrin.h>
#include <immintrin.h>
#endif
#include <array>
#include <cstring>
#include <iterator>
#include <limits>

#include "ioc/core/cpu.hpp"
#include "ioc/core/limits.hpp"
#include "ioc/io/file.hpp"
#include "ioc/ioc/refang.hpp"
#include "ioc/ioc/validate.hpp"
#include "ioc/text/ascii.hpp"
#include "ioc/text/regex.hpp"

namespace ioc::scan {

struct CustomPatterns::Pattern {
  std::string name;
  text::Regex re;
};

CustomPatterns::~CustomPatterns() = default;

Result<std::shared_ptr<const CustomPatterns>> CustomPatterns::parse(std::string_view text,
                                                                    std::string_view source) {
  auto out = std::make_shared<CustomPatterns>();
  // One "NAME REGEX" line; the regex keeps any trailing blanks.
  const auto add = [&](std::size_t line_no, std::string_view line) -> Result<void> {
    line.remove_prefix(std::min(line.find_first_not_of(" \t"), line.size()));
    if (line.empty() || line.front() == '#') return {};
    const std::size_t sp = line.find_first_of(" \t");
    const std::string where = std::string(source) + ":" + std::to_string(line_no) + ": ";
    if (sp == std::string_view::npos)
      return make_error(ErrorCode::kInvalidInput, where + "expected 'NAME REGEX'");
    std::string name(line.substr(0, sp));
    std::string_view pattern = line.substr(sp);
    pattern.remove_prefix(std::min(pattern.find_first_not_of(" \t"), pattern.size()));
    for (char c : name)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'))
        return make_error(ErrorCode::kInvalidInput,
                          where + "pattern names are letters, digits, '_' and '-': '" + name + "'");
    if (type_from_name(name))
      return make_error(ErrorCode::kInvalidInput,
                        where + "'" + name + "' is a built-in type; choose another name");
    auto re = text::Regex::compile(pattern);
    if (!re) return make_error(ErrorCode::kInvalidInput, where + re.error().message);
    out->patterns_.push_back({std::move(name), std::move(*re)});
    return {};
  };
  Result<void> status;
  text::for_each_line(text, [&](std::size_t n, std::string_view line) {
    status = add(n, line);
    return bool(status);
  });
  if (!status) return status.error();
  if (out->patterns_.empty())
    return make_error(ErrorCode::kInvalidInput, std::string(source) + ": no patterns");
  return std::shared_ptr<const CustomPatterns>(std::move(out));
}

Result<std::shared_ptr<const CustomPatterns>> CustomPatterns::load(const std::string& path) {
  IOC_ASSIGN_OR_RETURN(std::string text, io::read_file(path, 16 * kMiB));
  return parse(text, path);
}

namespace {

enum : std::uint16_t {
  kAlpha = 1,
  kDigit = 2,
  kHexLetter = 4,
  kRun = 8,  // letters, digits, '.', '-', ':' and UTF-8 bytes
  kHigh = 16,
  kLocal = 32,  // e-mail local part
  kUrlStop = 64,
  kDot = 128,
  kColon = 256,
  kUrlTrail = 512,  // punctuation trimmed off the end of a URL
};

constexpr std::array<std::uint16_t, 256> make_classes() {
  std::array<std::uint16_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = t[c - 32] = kAlpha | kRun | kLocal;
  for (int c = 'a'; c <= 'f'; ++c) t[c] |= kHexLetter, t[c - 32] |= kHexLetter;
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit | kRun | kLocal;
  t['.'] = kRun | kLocal | kDot;
  t['-'] = kRun | kLocal;
  t[':'] = kRun | kColon;
  for (unsigned char c : {'_', '%', '+'}) t[c] |= kLocal;
  for (int c = 0x80; c < 0x100; ++c) t[c] = kRun | kHigh;
  for (int c = 0; c <= 0x20; ++c) t[c] |= kUrlStop;
  for (unsigned char c : {'\x7f', '"', '\'', '<', '>', '`', '\\', '^', '{', '}', '|'})
    t[c] |= kUrlStop;
  for (unsigned char c : {'.', ',', ';', ':', '!', '?', '*', '\''}) t[c] |= kUrlTrail;
  return t;
}
constexpr auto kClass = make_classes();

inline std::uint16_t cls(char c) noexcept {
  return kClass[static_cast<unsigned char>(c)];
}
// Set bits of a sparse word (dots, dashes in a token). The build targets
// baseline x86-64, where __builtin_popcountll is a library call: the POPCNT
// instruction where the CPU has it (one well-predicted test), else a loop.
inline std::size_t count_bits(std::uint64_t x) noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
  if (cpu::popcnt()) {
    std::uint64_t n;
    asm("popcnt %1, %0" : "=r"(n) : "rm"(x) : "cc");
    return static_cast<std::size_t>(n);
  }
#endif
  std::size_t n = 0;
  for (; x != 0; x &= x - 1) ++n;
  return n;
}
// The lengths of MD5, SHA-1, SHA-256 and SHA-512 in hex digits; the shortest
// is the shortest run that can be a hash (min_plain_run with hashes wanted).
constexpr std::size_t kHashRun = 32;
constexpr bool hash_length(std::size_t n) noexcept {
  return n == kHashRun || n == 40 || n == 64 || n == 128;
}
inline bool is_alnum(char c) noexcept {
  return (cls(c) & (kAlpha | kDigit)) != 0;
}
inline bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
inline bool is_hex(char c) noexcept {
  return (cls(c) & (kDigit | kHexLetter)) != 0;
}

// File extensions that are also TLDs: after a path separator they name files.
bool ambiguous_tld(std::string_view tld) {
  static constexpr std::string_view kExt[] = {"zip", "mov", "sh", "py", "md", "ps", "com", "pl",
                                              "rs",  "cs",  "so", "pm", "cc", "sc", "bz",  "js"};
  for (std::string_view e : kExt)
    if (text::iequals(tld, e)) return true;
  return false;
}

bool known_scheme(std::string_view s) {
  static constexpr std::string_view kSchemes[] = {"http",  "https", "ftp",  "ftps",   "sftp",
                                                  "ws",    "wss",   "tftp", "smb",    "ldap",
                                                  "ldaps", "rtsp",  "ssh",  "telnet", "irc"};
  for (std::string_view k : kSchemes)
    if (text::iequals(s, k)) return true;
  return false;
}

// The compiled patterns of the RE2-backed types, shared by every Scanner (RE2
// objects are safe to use from many threads).
struct Patterns {
  text::Regex ua_header, ua_quoted, ua_bare, uri_request, uri_field, uri_quoted, session_bytes,
      session_cookie, registry, win_path, unix_path, ssdeep;
};

text::Regex must(std::string_view pattern, bool icase = false) {
  auto re = text::Regex::compile(pattern, {.case_insensitive = icase});
  if (!re) throw std::logic_error("built-in pattern: " + re.error().message);
  return std::move(*re);
}

const Patterns& patterns() {
  static const Patterns p{
      must(R"(user[-_ ]?agent["']?\s*[:=]\s*["']?([A-Za-z][^"'\r\n\t]{2,510}))", true),
      must(
          R"(["']((?:Mozilla|Opera|curl|Wget|python-requests|Python-urllib|Go-http-client|)"
          R"(Java|okhttp|WindowsPowerShell|PowerShell|Microsoft[- ][A-Za-z-]+|)"
          R"(Microsoft-CryptoAPI|BITS|Dalvik|Apache-HttpClient|libwww-perl)/[^"'\r\n]{1,500})["'])"),
      must(R"(Mozilla/[0-9.]+ \([^)\r\n]{1,200}\)(?: [A-Za-z]+/[0-9][^ \t\r\n"']*)"
           R"((?: \([^)\r\n]{1,100}\))?)*)"),
      must(R"(\b(?:GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH|PROPFIND|CONNECT)\s+(/[^\s"']*))"),
      must(
          R"(\b(?:uri|uri_path|uri_stem|cs-uri-stem|url_path|request_uri|path)[=:]\s*"?(/[^\s"&]*))",
          true),
      must(R"(['"](/[A-Za-z0-9_.~%!$&()*+,;=:@/-]+(?:\?[^'"\s]*)?)['"])"),
      must(R"(GetBytes\(\s*['"]([^'"\r\n]{8,128})['"]\s*\))", true),
      must(R"(\bsession=([A-Za-z0-9+/=%_-]{8,}))", true),
      must(R"(\b(?:HKEY_LOCAL_MACHINE|HKEY_CURRENT_USER|HKEY_CLASSES_ROOT|HKEY_USERS|)"
           R"(HKEY_CURRENT_CONFIG|HKLM|HKCU|HKCR|HKU|HKCC):?\\[^\s"'<>|*?();,]+)"
           R"((?: [A-Za-z0-9_.-]+\\[^\s"'<>|*?();,]*)*)",
           true),
      must(R"((?:\b[A-Za-z]:\\|\\\\[A-Za-z0-9._$-]+\\|%[A-Za-z_]+%\\)[^\s"'<>|*?;,]+)"
           R"((?: [A-Za-z0-9_.-]+\\[^\s"'<>|*?;,]*)*)"),
      must(R"((?:^|[\s"'=(,])(/(?:bin|boot|dev|etc|home|lib|lib64|opt|proc|root|run|sbin|srv|)"
           R"(sys|tmp|usr|var|Users|Library|Applications|private|System|Volumes)/[^\s"'<>|;]*))"),
      must(R"(\b[0-9]{1,10}:[A-Za-z0-9/+]{3,}:[A-Za-z0-9/+]{3,}(?:,"[^"\r\n]*")?)"),
  };
  return p;
}

std::string_view trim_punct(std::string_view v) {
  while (!v.empty() && std::strchr(".,;:!?)]}", v.back()) != nullptr) v.remove_suffix(1);
  return v;
}

struct Span {
  std::size_t b, e;
};

// A hit while scanning; its value is the scanner's values[value, value + size).
struct Found {
  std::size_t begin = 0, end = 0;
  std::size_t value = 0;
  std::uint32_t size = 0;
  std::uint32_t pattern = 0;  // kCustom: the index of the custom pattern
  Type type = Type::kIpv4;
  bool derived = false;
  bool defanged = false;
};

bool by_begin(const Found& a, const Found& b) noexcept {
  return a.begin < b.begin;
}

// v[0, mid) and v[mid, end), each in order, merged (stable) through `scratch`.
template <typename T, typename Less>
void merge_runs(std::vector<T>& v, std::size_t mid, std::vector<T>& scratch, Less less) {
  if (mid == 0 || mid >= v.size()) return;
  scratch.clear();
  const auto m = v.begin() + static_cast<std::ptrdiff_t>(mid);
  std::merge(v.begin(), m, m, v.end(), std::back_inserter(scratch), less);
  v.swap(scratch);
}

// A stable sort by begin: insertion for the usual few hits of a record, mostly
// in order already (no buffer to allocate); a merge sort for many.
inline void sort_by_begin(std::vector<Found>& v, std::size_t first = 0) {
  if (v.size() <= first + 1) return;
  const auto b = v.begin() + static_cast<std::ptrdiff_t>(first);
  if (std::is_sorted(b, v.end(), by_begin)) return;
  if (v.size() - first > 32) {
    std::stable_sort(b, v.end(), by_begin);
    return;
  }
  for (std::size_t i = first + 1; i < v.size(); ++i) {
    const Found h = v[i];
    std::size_t j = i;
    for (; j > first && v[j - 1].begin > h.begin; --j) v[j] = v[j - 1];
    v[j] = h;
  }
}

}  // namespace

struct Scanner::Impl {
  ScanOptions opt;
  Refanged rf;
  std::string_view t;  // the text scanned: refanged, or the raw text itself
  bool refanged = false;
  std::vector<Span> covered;
  std::vector<Span> spans_merged;  // scan(): scratch for merging `covered`
  // The values of all hits of a text, one after another: no string per hit.
  std::string values;
  std::vector<Found> hits;    // this window's, in `t` coordinates until mapped
  std::vector<Found> result;  // the whole text's, in its coordinates
  std::vector<HitView> views;

  bool want(Type type) const { return has(opt.types, type); }

  // t.substr without the bounds exception (which kept it from being inlined).
  std::string_view sub(std::size_t pos, std::size_t n) const noexcept {
    return std::string_view(t.data() + pos, std::min(n, t.size() - pos));
  }

  // URL and e-mail hits are found first, kept aside in `early` (by begin), and
  // put into `hits` as the token pass reaches their place: then the hits of a
  // record are usually in order already and are handed over without a move.
  std::vector<Found> early;
  std::vector<Found> merged;  // scratch for merging early's two runs
  std::size_t early_next = 0;

  void flush_early(std::size_t upto) {
    while (early_next < early.size() && early[early_next].begin <= upto)
      hits.push_back(early[early_next++]);
  }

  // A hit whose value is values[at, values.size()): written there by the caller.
  void add_from(Type type, std::size_t at, std::size_t b, std::size_t e, bool derived = false) {
    if (early_next < early.size()) flush_early(b);
    hits.push_back(
        Found{b, e, at, static_cast<std::uint32_t>(values.size() - at), 0, type, derived, false});
  }

  void add(Type type, std::string_view value, std::size_t b, std::size_t e, bool derived = false) {
    const std::size_t at = values.size();
    values.append(value);
    add_from(type, at, b, e, derived);
  }

  // The lower-cased ASCII of [b, e) as a hit's value (hashes).
  void add_lower(Type type, std::size_t b, std::size_t e) {
    const std::size_t at = values.size();
    values.append(t.data() + b, e - b);  // appended, then lower-cased in place: no zero fill
    text::lower_ascii_copy(values.data() + at, values.data() + at, e - b);
    add_from(type, at, b, e);
  }

  // For the tokens, which come in order (a text of many lines holds many changes).
  Refanged::Cursor token_changes{rf};
  bool defanged(std::size_t b, std::size_t e) { return refanged && token_changes.changed(b, e); }

  // is_icann_tld, remembered per scanner (most text names few TLDs). Labels of
  // up to 8 bytes (nearly all TLDs in text) are packed into a word and kept in
  // a small open-addressing table; longer ones are looked up each time.
  struct TldSlot {
    std::uint64_t key = 0;  // 0: empty (a TLD is never empty)
    bool ok = false;
  };
  std::array<TldSlot, 1024> tld_table{};
  std::size_t tld_table_used = 0;

  bool icann_tld(std::string_view lower) {
    if (lower.empty() || lower.size() > 8) return is_icann_tld(lower);
    std::uint64_t key = 0;
    for (std::size_t i = 0; i < lower.size(); ++i)
      key |= std::uint64_t{static_cast<unsigned char>(lower[i])} << (8 * i);
    std::size_t h = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 54);
    for (std::size_t probes = 0; probes < 16; ++probes, h = (h + 1) % tld_table.size()) {
      TldSlot& slot = tld_table[h];
      if (slot.key == key) return slot.ok;
      if (slot.key == 0) {
        const bool ok = is_icann_tld(lower);
        if (tld_table_used < tld_table.size() / 2) {
          slot = {key, ok};
          ++tld_table_used;
        }
        return ok;
      }
    }
    return is_icann_tld(lower);
  }

  // canonical_domain(host, {.tld_check = opt.tld_check, .unicode = unicode}),
  // with the TLD looked up in the cache: the A-label form is built without the
  // TLD check, then its last label checked (the same test canonical_domain makes).
  // Appended to `values`; false (and `values` as it was) when host is not a domain.
  bool domain_value(std::string_view host, bool unicode) {
    if (unicode || !opt.tld_check)
      return canonical_domain_into(host, {.tld_check = opt.tld_check, .unicode = unicode}, values);
    const std::size_t at = values.size();
    if (!canonical_domain_into(host, {.tld_check = false, .unicode = false}, values)) return false;
    const std::string_view d(values.data() + at, values.size() - at);
    if (!icann_tld(d.substr(d.rfind('.') + 1))) {
      values.resize(at);
      return false;
    }
    return true;
  }

  // The hits of raw, the text's window at `base`, appended to `result`.
  void scan(std::string_view raw, std::size_t base) {
    hits.clear();
    covered.clear();
    refanged = opt.refang && refang(raw, {.loose = opt.loose}, rf);
    token_changes = Refanged::Cursor(rf);
    t = refanged ? std::string_view(rf.text) : raw;
    build_bits();
    early.clear();
    early_next = 0;
    if (want(Type::kUrl)) urls();
    const std::size_t url_hits = hits.size();
    const std::size_t url_spans = covered.size();
    if (want(Type::kEmail)) emails();
    // The URL spans and the e-mail spans are each in order: merged, not sorted.
    merge_runs(covered, url_spans, spans_merged, [](Span a, Span b) { return a.b < b.b; });
    if (!hits.empty()) {
      early.swap(hits);  // `hits` takes early's empty buffer
      // URLs (each with its host after it) and e-mail addresses come each in
      // order: merged (stable, URLs first), not sorted.
      merge_runs(early, url_hits, merged, by_begin);
      sort_by_begin(early);
    }
    tokens();
    flush_early(std::numeric_limits<std::size_t>::max());
    regex_types();
    // Out of order when URLs and e-mail addresses were found before the
    // tokens around them, or by the RE2 patterns.
    sort_by_begin(hits);
    if (want(Type::kSessionKey)) drop_hashes_of_session_keys();
    // Hits by begin: their begins in order, their ends nearly so.
    if (refanged) {
      Refanged::Cursor cursor(rf);
      for (Found& h : hits) {
        std::size_t b = h.begin, e = h.end;
        h.defanged = cursor.map(b, e);
        h.begin = b + base;
        h.end = e + base;
      }
    } else if (base != 0) {
      for (Found& h : hits) {
        h.begin += base;
        h.end += base;
      }
    }
    if (result.empty())
      result.swap(hits);  // `hits` takes result's (empty) buffer for next time
    else
      result.insert(result.end(), hits.begin(), hits.end());
  }

  // Every hit of `text` into `result` (and `values`).
  void scan_all(std::string_view text) {
    values.clear();
    result.clear();
    // Offsets into the refanged text are 32-bit: longer texts go in windows cut
    // at whitespace (an indicator is never longer than the 64 KiB of slack).
    constexpr std::size_t kWindow = std::size_t{1} << 30;
    std::size_t base = 0;
    while (text.size() - base > kWindow) {
      std::size_t cut = base + kWindow;
      for (std::size_t i = cut; i > cut - 65536; --i)
        if (static_cast<unsigned char>(text[i - 1]) <= ' ') {
          cut = i;
          break;
        }
      scan(text.substr(base, cut - base), base);
      base = cut;
    }
    scan(text.substr(base), base);
  }

  std::string_view value_of(const Found& f) const {
    return std::string_view(values.data() + f.value, f.size);
  }
  std::string_view name_of(const Found& f) const {
    return f.type == Type::kCustom ? std::string_view(opt.custom->patterns()[f.pattern].name)
                                   : std::string_view();
  }

  // A staging key of 32 hex digits is a session key, not an MD5: the context
  // that found it is the more specific one. `hits` is sorted by begin.
  void drop_hashes_of_session_keys() {
    std::vector<std::pair<std::size_t, std::size_t>> keys;
    for (const Found& h : hits)
      if (h.type == Type::kSessionKey) keys.emplace_back(h.begin, h.end);
    if (keys.empty()) return;
    std::sort(keys.begin(), keys.end());
    std::erase_if(hits, [&](const Found& h) {
      return is_hash_type(h.type) &&
             std::binary_search(keys.begin(), keys.end(), std::pair(h.begin, h.end));
    });
  }

  // ---- URLs -------------------------------------------------------------
  // The first "://" at or after pos, found from the colon bitmap; npos if none.
  // (From the colon and slash bitmaps: logs are full of colons that start no
  // "://", and testing each one mispredicted.)
  std::size_t next_scheme_sep(std::size_t pos) const {
    const std::size_t at = next_bit(pos, words, [&](std::size_t w) {
      const std::uint64_t next = w + 1 < words ? bits[w + 1].slash : 0;
      const std::uint64_t slash = bits[w].slash;
      return bits[w].colon & ((slash >> 1) | (next << 63)) & ((slash >> 2) | (next << 62));
    });
    return at < t.size() ? at : std::string_view::npos;
  }

  std::string host_scratch;  // urls(): the canonical host of the URL at hand

  void urls() {
    std::size_t pos = 0;
    while (true) {
      const std::size_t k = next_scheme_sep(pos);
      if (k == std::string_view::npos) return;
      pos = k + 3;
      std::size_t s = k;
      while (s > 0 && k - s < 8 && (cls(t[s - 1]) & kAlpha)) --s;
      if (s == k || (s > 0 && (is_alnum(t[s - 1]) || t[s - 1] == '_'))) continue;
      const std::string_view scheme = sub(s, k - s);
      if (!known_scheme(scheme)) continue;
      // Authority: up to the first '/', '?', '#' or stop byte, at most 512 bytes.
      const std::size_t a = k + 3;
      std::size_t i = url_stop<true>(a, std::min(t.size(), a + 513));
      if (i - a > 512 || i == a) continue;
      std::string_view auth = sub(a, i - a);
      std::size_t host_b = a;
      if (const std::size_t at = auth.rfind('@'); at != std::string_view::npos) host_b = a + at + 1;
      std::size_t host_e = i;
      std::string& host_value = host_scratch;
      host_value.clear();
      Type host_type = Type::kDomain;
      if (host_b < i && t[host_b] == '[') {
        const std::size_t close = t.find(']', host_b);
        if (close == std::string_view::npos || close >= i) continue;
        auto v6 = canonical_ipv6(sub(host_b + 1, close - host_b - 1));
        if (!v6) continue;
        host_value = *v6;
        host_type = Type::kIpv6;
        host_e = close + 1;
      } else {
        host_e = std::min(i, next_bit(host_b, words, [&](std::size_t w) { return bits[w].colon; }));
        std::string_view host = sub(host_b, host_e - host_b);
        while (!host.empty() && host.back() == '.') host.remove_suffix(1);
        if (host.empty()) continue;
        if (auto v4 = parse_ipv4(host)) {
          host_value = format_ipv4(*v4);
          host_type = Type::kIpv4;
        } else if (!canonical_domain_into(host, {.tld_check = false, .min_two_labels = false},
                                          host_value)) {
          continue;
        }
      }
      // A port, if any, is digits.
      std::size_t p = host_e;
      if (p < i && t[p] == ':') {
        ++p;
        while (p < i && is_digit(t[p])) ++p;
      }
      if (p != i) i = p;  // junk after the host: the URL ends there
      std::size_t end = i;
      if (end < t.size() && (t[end] == '/' || t[end] == '?' || t[end] == '#'))
        end = url_stop<false>(end, t.size());
      end = trim_url_end(s, host_e, end);
      // Scheme and host lower-cased (in place); userinfo and the rest as written.
      const std::size_t at = values.size();
      values.append(t.data() + s, end - s);
      char* out = values.data() + at;
      text::lower_ascii_copy(out, out, a - s);  // scheme://
      char* host = out + (host_b - s);
      text::lower_ascii_copy(host, host, host_e - host_b);
      add_from(Type::kUrl, at, s, end);
      covered.push_back({s, end});
      if (opt.derived) derived_host(host_type, host_value, host_b, host_e);
      pos = end;
    }
  }

  // The first URL stop byte (kUrlStop; with `authority` also '/', '?', '#') in
  // [i, limit), or limit. 16 bytes at a time where SSE2 is there.
  template <bool authority>
  std::size_t url_stop(std::size_t i, std::size_t limit) const {
#if defined(__SSE2__)
    const auto eq = [](__m128i v, char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
    for (; i + 16 <= limit; i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.data() + i));
      const __m128i braces = _mm_sub_epi8(v, _mm_set1_epi8('{'));  // "{|}"
      __m128i stop =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x20)), v),
                                    _mm_cmpeq_epi8(_mm_min_epu8(braces, _mm_set1_epi8(2)), braces)),
                       _mm_or_si128(_mm_or_si128(eq(v, '\x7f'), eq(v, '"')),
                                    _mm_or_si128(eq(v, '\''), eq(v, '<'))));
      stop = _mm_or_si128(stop, _mm_or_si128(_mm_or_si128(eq(v, '>'), eq(v, '`')),
                                             _mm_or_si128(eq(v, '\\'), eq(v, '^'))));
      if constexpr (authority)
        stop = _mm_or_si128(stop, _mm_or_si128(eq(v, '/'), _mm_or_si128(eq(v, '?'), eq(v, '#'))));
      if (const int m = _mm_movemask_epi8(stop); m != 0)
        return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(m)));
    }
#endif
    for (; i < limit; ++i)
      if ((cls(t[i]) & kUrlStop) || (authority && (t[i] == '/' || t[i] == '?' || t[i] == '#')))
        return i;
    return limit;
  }

  std::size_t trim_url_end(std::size_t s, std::size_t host_e, std::size_t end) const {
    // Brackets are counted only when one could be trimmed: the URL ends in
    // ')' or ']', possibly before trailing punctuation.
    std::size_t last = end;
    while (last > host_e && (cls(t[last - 1]) & kUrlTrail)) --last;
    long round = 0, square = 0;
    if (last > host_e && (t[last - 1] == ')' || t[last - 1] == ']')) {
      for (std::size_t i = s; i < end; ++i) {
        if (t[i] == '(') ++round;
        if (t[i] == ')') --round;
        if (t[i] == '[') ++square;
        if (t[i] == ']') --square;
      }
    }
    while (end > host_e) {
      const char c = t[end - 1];
      if (cls(c) & kUrlTrail) {
        --end;
      } else if (c == ')' && round < 0) {
        ++round;
        --end;
      } else if (c == ']' && square < 0) {
        ++square;
        --end;
      } else {
        break;
      }
    }
    return end;
  }

  void derived_host(Type type, const std::string& value, std::size_t b, std::size_t e) {
    if (type == Type::kIpv4 || type == Type::kIpv6) {
      if (want(type)) add(type, value, b, e, true);
      return;
    }
    if (!want(Type::kDomain)) return;
    std::string_view host = sub(b, e - b);
    while (!host.empty() && host.back() == '.') host.remove_suffix(1);
    if (!opt.unicode) {
      // `value`: urls()'s canonical_domain of this host, made without the TLD
      // and two-label checks; the same name with them when it passes both.
      if (value.find('.') == std::string::npos) return;
      if (opt.tld_check && !icann_tld(std::string_view(value).substr(value.rfind('.') + 1))) return;
      add(Type::kDomain, value, b, b + host.size(), true);
      return;
    }
    if (auto d = canonical_domain(host, {.tld_check = opt.tld_check, .unicode = opt.unicode}))
      add(Type::kDomain, std::move(*d), b, b + host.size(), true);
  }

  // ---- e-mail addresses ---------------------------------------------------
  void emails() {
    const std::size_t url_spans = covered.size();
    std::size_t url_cursor = 0;
    std::size_t pos = 0;
    while (true) {
      const std::size_t k = t.find('@', pos);
      if (k == std::string_view::npos) return;
      pos = k + 1;
      // URL spans are in order and disjoint, and '@'s come in order: one cursor.
      while (url_cursor < url_spans && covered[url_cursor].e <= k) ++url_cursor;
      if (url_cursor < url_spans && covered[url_cursor].b <= k) continue;
      std::size_t lb = k;
      while (lb > 0 && k - lb < 64 && (cls(t[lb - 1]) & kLocal)) --lb;
      if (lb > 0 && (cls(t[lb - 1]) & kLocal)) continue;  // local part over 64 bytes
      while (lb < k && (t[lb] == '.' || t[lb] == '-' || t[lb] == '+')) ++lb;
      if (lb == k || t[k - 1] == '.') continue;
      // The domain: run bytes but ':', at most 256 of them.
      std::size_t de = std::min(k + 257, next_bit(k + 1, words, [&](std::size_t w) {
                                  return ~bits[w].run | bits[w].colon;
                                }));
      while (de > k + 1 && (t[de - 1] == '.' || t[de - 1] == '-')) --de;
      if (de == k + 1) continue;
      const std::size_t at = values.size();
      values.append(t.data() + lb, k - lb + 1);  // the local part and its '@'
      text::lower_ascii_copy(values.data() + at, values.data() + at, k - lb);
      if (!domain_value(sub(k + 1, de - k - 1), opt.unicode)) {
        values.resize(at);
        continue;
      }
      add_from(Type::kEmail, at, lb, de);
      covered.push_back({lb, de});
      pos = de;
    }
  }

  // ---- runs of host characters ------------------------------------------
  // Length of the UTF-8 letter, digit or mark at i; 0 when it is another
  // character (then *skip is its length).
  std::size_t letter_at(std::size_t i, std::size_t* skip) const {
    std::int32_t j = 0;
    UChar32 c;
    const auto len = static_cast<std::int32_t>(std::min<std::size_t>(t.size() - i, 4));
    U8_NEXT(reinterpret_cast<const std::uint8_t*>(t.data() + i), j, len, c);
    *skip = static_cast<std::size_t>(j);
    if (c < 0) return 0;
    const auto type = u_charType(c);
    const bool ok = u_isalnum(c) || type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK;
    return ok ? static_cast<std::size_t>(j) : 0;
  }

  // Bitmaps of the text, one bit per byte: run bytes (letters, digits, '.', '-',
  // ':', bytes >= 0x80), dots, colons, bytes >= 0x80, letters (and bytes >=
  // 0x80), dashes and slashes. Built 16 bytes at a time; runs are then found
  // with bit scans instead of a branch per byte.
  struct Bits {
    std::uint64_t run = 0, dot = 0, colon = 0, high = 0, alpha = 0, dash = 0, slash = 0;
  };
  std::vector<Bits> bits;  // words of them in use (the vector only grows)
  std::size_t words = 0;

  // The bitmaps of 64 bytes at p, built in registers (16 bytes per step).
  static Bits classify64(const char* p) {
    Bits w;
#if defined(__SSE2__)
    const __m128i k20 = _mm_set1_epi8(0x20), ka = _mm_set1_epi8('a'), k25 = _mm_set1_epi8(25),
                  k0 = _mm_set1_epi8('0'), k9 = _mm_set1_epi8(9), kdot = _mm_set1_epi8('.'),
                  kdash = _mm_set1_epi8('-'), kcolon = _mm_set1_epi8(':'),
                  kslash = _mm_set1_epi8('/');
    const auto mask = [](__m128i m) {
      return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(m)));
    };
    for (unsigned k = 0; k < 4; ++k) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
      const __m128i la = _mm_sub_epi8(_mm_or_si128(v, k20), ka);
      const __m128i letter = _mm_cmpeq_epi8(_mm_min_epu8(la, k25), la);
      const __m128i dd = _mm_sub_epi8(v, k0);
      const __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(dd, k9), dd);
      const __m128i dot = _mm_cmpeq_epi8(v, kdot);
      const __m128i colon = _mm_cmpeq_epi8(v, kcolon);
      const __m128i dash = _mm_cmpeq_epi8(v, kdash);
      const __m128i any =
          _mm_or_si128(_mm_or_si128(letter, digit), _mm_or_si128(_mm_or_si128(dot, colon), dash));
      const std::uint64_t high = mask(v);
      const unsigned shift = 16 * k;
      w.run |= (mask(any) | high) << shift;
      w.high |= high << shift;
      w.dot |= mask(dot) << shift;
      w.colon |= mask(colon) << shift;
      w.alpha |= (mask(letter) | high) << shift;
      w.dash |= mask(dash) << shift;
      w.slash |= mask(_mm_cmpeq_epi8(v, kslash)) << shift;
    }
#else
    for (unsigned i = 0; i < 64; ++i) {
      const std::uint16_t c = cls(p[i]);
      const std::uint64_t bit = std::uint64_t{1} << i;
      if (c & kRun) w.run |= bit;
      if (c & kHigh) w.high |= bit;
      if (c & kDot) w.dot |= bit;
      if (c & kColon) w.colon |= bit;
      if (c & (kAlpha | kHigh)) w.alpha |= bit;
      if (p[i] == '-') w.dash |= bit;
      if (p[i] == '/') w.slash |= bit;
    }
#endif
    return w;
  }

  void build_bits() {
    const std::size_t n = t.size();
    words = (n + 63) / 64;
    if (bits.size() < words) bits.resize(words);  // never shrunk: no call per line
#if defined(__x86_64__) && defined(__GNUC__)
    if (cpu::avx2()) {
      classify_avx2(t.data(), n, bits.data());
      return;
    }
#endif
    std::size_t w = 0;
    for (; (w + 1) * 64 <= n; ++w) bits[w] = classify64(t.data() + w * 64);
    if (w * 64 < n) {
      // The tail, padded with NULs (no class): its bits past n stay clear.
      char tail[64] = {};
      std::memcpy(tail, t.data() + w * 64, n - w * 64);
      bits[w] = classify64(tail);
    }
  }

#if defined(__x86_64__) && defined(__GNUC__)
  // The same bitmaps as classify64, 32 bytes a step, where the CPU has AVX2.
  [[gnu::target("avx2")]] static Bits classify64_avx2(const char* p) {
    const __m256i k20 = _mm256_set1_epi8(0x20), ka = _mm256_set1_epi8('a'),
                  k25 = _mm256_set1_epi8(25), k0 = _mm256_set1_epi8('0'), k9 = _mm256_set1_epi8(9),
                  kdot = _mm256_set1_epi8('.'), kdash = _mm256_set1_epi8('-'),
                  kcolon = _mm256_set1_epi8(':'), kslash = _mm256_set1_epi8('/');
    Bits w;
    for (unsigned k = 0; k < 2; ++k) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * k));
      const __m256i la = _mm256_sub_epi8(_mm256_or_si256(v, k20), ka);
      const __m256i letter = _mm256_cmpeq_epi8(_mm256_min_epu8(la, k25), la);
      const __m256i dd = _mm256_sub_epi8(v, k0);
      const __m256i digit = _mm256_cmpeq_epi8(_mm256_min_epu8(dd, k9), dd);
      const __m256i dot = _mm256_cmpeq_epi8(v, kdot);
      const __m256i colon = _mm256_cmpeq_epi8(v, kcolon);
      const __m256i dash = _mm256_cmpeq_epi8(v, kdash);
      const __m256i any = _mm256_or_si256(_mm256_or_si256(letter, digit),
                                          _mm256_or_si256(_mm256_or_si256(dot, colon), dash));
      const unsigned shift = 32 * k;
      const auto bits32 = [](int m) { return std::uint64_t{static_cast<std::uint32_t>(m)}; };
      const std::uint64_t high = bits32(_mm256_movemask_epi8(v));
      w.run |= (bits32(_mm256_movemask_epi8(any)) | high) << shift;
      w.high |= high << shift;
      w.dot |= bits32(_mm256_movemask_epi8(dot)) << shift;
      w.colon |= bits32(_mm256_movemask_epi8(colon)) << shift;
      w.alpha |= (bits32(_mm256_movemask_epi8(letter)) | high) << shift;
      w.dash |= bits32(_mm256_movemask_epi8(dash)) << shift;
      w.slash |= bits32(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, kslash))) << shift;
    }
    return w;
  }

  [[gnu::target("avx2")]] static void classify_avx2(const char* p, std::size_t n, Bits* out) {
    std::size_t w = 0;
    for (; (w + 1) * 64 <= n; ++w) out[w] = classify64_avx2(p + w * 64);
    if (w * 64 < n) {
      char tail[64] = {};
      std::memcpy(tail, p + w * 64, n - w * 64);
      out[w] = classify64_avx2(tail);
    }
  }
#endif

  // The first position >= i (below n) whose bit is set in the bitmap whose
  // word w is word(w), over `words` words; n when there is none.
  template <typename Word>
  [[gnu::always_inline]] std::size_t next_bit(std::size_t i, std::size_t words, Word word) const {
    const std::size_t n = t.size();
    if (i >= n) return n;
    std::size_t w = i / 64;
    std::uint64_t x = word(w) & (~std::uint64_t{0} << (i % 64));
    while (x == 0) {
      if (++w >= words) return n;
      x = word(w);
    }
    return std::min(n, w * 64 + static_cast<std::size_t>(__builtin_ctzll(x)));
  }

  // The first position >= i whose run bit is `set`, or n.
  template <bool set>
  [[gnu::always_inline]] std::size_t next_run_bit(std::size_t i) const {
    return next_bit(i, words, [&](std::size_t w) { return set ? bits[w].run : ~bits[w].run; });
  }

  // interesting[w]: the dots of word w, its colons when an IPv6 address may
  // be there (below), and a byte of each run at least min_plain_run long
  // (mark_interesting).
  std::vector<std::uint64_t> interesting;

  // The colons of word w, when a run through them may hold an IPv6 address;
  // else 0. A run without a dot and shorter than min_plain_run matters only
  // for its colons, and only when it has "::" or six colons (maybe_ipv6); its
  // colon-free pieces are too short for any wanted type. An address without
  // "::" has six colons at most five bytes apart (groups of up to four hex
  // digits; a dotted tail has dots): such a chain, or a "::", starting in
  // word w marks its colons. Any longer run is a long run anyway.
  [[gnu::always_inline]] std::uint64_t ipv6_colons(std::size_t w) const {
    using U128 = unsigned __int128;
    const std::uint64_t c = bits[w].colon;
    if (c == 0) return 0;
    const std::uint64_t after = w + 1 < words ? bits[w + 1].colon : 0;
    const U128 r = static_cast<U128>(after) << 64 | c;
    if (static_cast<std::uint64_t>(r & (r >> 1)) != 0) return c;  // "::"
    if (count_bits(c) + count_bits(after) < 6) return 0;
    U128 chain = r;  // bit p: a chain of k colons starts at p
    for (int k = 1; k < 6; ++k)
      chain = r & ((chain >> 1) | (chain >> 2) | (chain >> 3) | (chain >> 4) | (chain >> 5));
    return static_cast<std::uint64_t>(chain) != 0 ? c : 0;
  }

  void mark_interesting(std::size_t len) {
    using U128 = unsigned __int128;
    if (len == kHashRun) {
      // A run of 32 or more bytes holds a whole 16-byte lane of its word:
      // mark the lanes that are all run bytes (runs of 16 to 31 bytes may be
      // marked too; tokens() drops them).
      mark_interesting_by([&](std::size_t w) {
        std::uint64_t r = bits[w].run;
        r &= r >> 1;
        r &= r >> 2;
        r &= r >> 4;
        r &= r >> 8;  // bit i: bits i..i+15 are all run bytes
        return r & 0x0001000100010001u;
      });
    } else if (len == 14) {
      // The bytes that start 14 run bytes in a row, from a 128-bit window
      // over two words: the shifts double the length each bit stands for,
      // 1+1+2+4+6 = 14.
      mark_interesting_by([&](std::size_t w) {
        U128 r = bits[w].run;
        if (w + 1 < words) r |= static_cast<U128>(bits[w + 1].run) << 64;
        r &= r >> 1;
        r &= r >> 2;
        r &= r >> 4;
        r &= r >> 6;
        return static_cast<std::uint64_t>(r);
      });
    } else {
      mark_interesting_by([](std::size_t) { return std::uint64_t{0}; });  // no plain type wanted
    }
  }

  template <typename LongRuns>
  void mark_interesting_by(LongRuns long_runs) {
    if (interesting.size() < words) interesting.resize(words);
    const bool ipv6_wanted = want(Type::kIpv6) || want(Type::kIpv6Cidr);
    for (std::size_t w = 0; w < words; ++w)
      interesting[w] = bits[w].dot | (ipv6_wanted ? ipv6_colons(w) : 0) | long_runs(w);
  }

  std::size_t next_interesting(std::size_t i) const {
    return next_bit(i, words, [&](std::size_t w) { return interesting[w]; });
  }

  // The first byte of the run holding position i (a run byte).
  std::size_t run_start(std::size_t i) const {
    std::size_t w = i / 64;
    // Bits below i that are not run bytes.
    std::uint64_t gaps = ~bits[w].run & ((std::uint64_t{1} << (i % 64)) - 1);
    while (gaps == 0) {
      if (w == 0) return 0;
      --w;
      gaps = ~bits[w].run;
    }
    return w * 64 + 64 - static_cast<std::size_t>(__builtin_clzll(gaps));
  }

  // Calls f(word index, mask of the word's bits inside [b, e)) for each word
  // [b, e) touches (b < e); most runs lie in one word.
  template <typename F>
  [[gnu::always_inline]] static void for_words(std::size_t b, std::size_t e, F&& f) {
    const std::size_t first = b / 64, last = (e - 1) / 64;
    const std::uint64_t lo = ~std::uint64_t{0} << (b % 64);
    const std::uint64_t hi = ~std::uint64_t{0} >> (63 - (e - 1) % 64);
    if (first == last) {
      f(first, lo & hi);
      return;
    }
    f(first, lo);
    for (std::size_t w = first + 1; w < last; ++w) f(w, ~std::uint64_t{0});
    f(last, hi);
  }

  struct Counts {
    std::size_t dots = 0, dashes = 0;
    bool letters = false;  ///< a letter or a UTF-8 byte
    bool high = false;     ///< a UTF-8 byte
    bool colon = false;
  };
  // Dots and dashes in [b, e), and whether a letter (or UTF-8 byte), a UTF-8
  // byte and a colon are there: one pass over the words of a run.
  [[gnu::always_inline]] Counts range_counts(std::size_t b, std::size_t e) const {
    Counts k;
    std::uint64_t alpha = 0, high = 0, colon = 0;
    for_words(
        b, e, [&](std::size_t w, std::uint64_t mask) __attribute__((always_inline)) {
          k.dots += count_bits(bits[w].dot & mask);
          k.dashes += count_bits(bits[w].dash & mask);
          alpha |= bits[w].alpha & mask;
          high |= bits[w].high & mask;
          colon |= bits[w].colon & mask;
        });
    k.letters = alpha != 0;
    k.high = high != 0;
    k.colon = colon != 0;
    return k;
  }

  // The shortest dot-free run that can be an indicator of a wanted type: 14
  // (Bitcoin), 32 (hashes), 0 when every run must be looked at (CVE, ATT&CK,
  // ASN, MAC), or none. Set once from the options (see the constructor).
  std::size_t min_plain_run = 0;

  std::size_t plain_run_for_types() const {
    std::size_t len = std::numeric_limits<std::size_t>::max();
    if (want(Type::kBtc)) len = 14;
    if (want(Type::kMd5) || want(Type::kSha1) || want(Type::kSha256) || want(Type::kSha512))
      len = std::min(len, kHashRun);
    if (want(Type::kCve) || want(Type::kAttack) || want(Type::kAsn) || want(Type::kMac)) len = 0;
    return len;
  }

  void tokens() {
    if (min_plain_run > 0) mark_interesting(min_plain_run);
    const std::size_t n = t.size();
    std::size_t ci = 0;
    std::size_t i = 0;
    while (true) {
      std::size_t b0, e0;
      if (min_plain_run == 0) {
        b0 = next_run_bit<true>(i);
        if (b0 >= n) break;
      } else {
        // Only runs with a '.', with colons that may make an IPv6 address, or
        // at least min_plain_run long can hold an indicator: jump to the next
        // one, then back to its start.
        const std::size_t hit = next_interesting(i);
        if (hit >= n) break;
        b0 = run_start(hit);
      }
      e0 = next_run_bit<false>(b0);
      i = e0;
      const Counts counts = range_counts(b0, e0);
      const bool colon = counts.colon;
      if (counts.dots == 0 && e0 - b0 < min_plain_run && (!colon || !maybe_ipv6(b0, e0))) {
        // Too short for the plain types, and a colon run that cannot hold an
        // IPv6 address ("23:21:02", the ':' of "key":value): its colon-free
        // pieces are shorter still (min_plain_run > 0 means no MAC is wanted).
        continue;
      }
      if (min_plain_run == kHashRun && !counts.high && !colon && counts.dots == 0 &&
          counts.dashes == 0) {
        // Hashes are the only plain types wanted, and a run of letters and
        // digits alone is one only at their lengths (base64 is full of such runs).
        const std::size_t len = e0 - b0;
        if (!hash_length(len)) continue;
      }
      if (!counts.high && !counts.letters && !colon && counts.dots < 3) {
        // Digits, dashes and one or two dots ("HTTP/1.1", "Mozilla/5.0"): in
        // numbers piece() looks only for four of them, on either side of a
        // dash, and trimming and splitting only drop dots.
        continue;
      }
      if (!counts.high) {
        // Most runs: no colon and outside URLs and e-mail addresses, one piece
        // whose counts are taken here (piece() would take them again).
        while (ci < covered.size() && covered[ci].e <= b0) ++ci;
        if (!colon && !(ci < covered.size() && covered[ci].b < e0)) {
          piece(b0, e0, &counts);
        } else {
          region(b0, e0, colon, ci);
        }
        continue;
      }
      // UTF-8 inside: only letters, digits and marks belong to a run.
      std::size_t k = b0;
      while (k < e0) {
        std::size_t skip = 1;
        if ((cls(t[k]) & kHigh) && letter_at(k, &skip) == 0) {
          k += std::max<std::size_t>(skip, 1);
          continue;
        }
        const std::size_t b = k;
        while (k < e0) {
          if (cls(t[k]) & kHigh) {
            const std::size_t len = letter_at(k, &skip);
            if (len == 0) break;
            k += len;
          } else {
            ++k;
          }
        }
        region(b, std::min(k, e0), colon, ci);
      }
    }
  }

  // Whether the colons of [b, e) allow an IPv6 address: "::", or six of them.
  bool maybe_ipv6(std::size_t b, std::size_t e) const {
    std::size_t colons = 0;
    std::uint64_t pairs = 0;
    for_words(b, e, [&](std::size_t w, std::uint64_t m) {
      const std::uint64_t c = bits[w].colon & m;
      colons += count_bits(c);
      pairs |= c & (c >> 1);
      // A "::" across the word edge.
      if ((c >> 63) != 0 && (w + 1) * 64 < e) pairs |= bits[w + 1].colon & 1;
    });
    return colons >= 6 || (colons >= 2 && pairs != 0);
  }

  // A run [b, e): the parts outside URLs and e-mail addresses (handled there).
  void region(std::size_t b, std::size_t e, bool colon, std::size_t& ci) {
    while (ci < covered.size() && covered[ci].e <= b) ++ci;
    if (ci < covered.size() && covered[ci].b < e) {
      std::size_t from = b;
      for (std::size_t k = ci; k < covered.size() && covered[k].b < e; ++k) {
        if (covered[k].b > from) run(from, covered[k].b, colon);
        from = std::max(from, covered[k].e);
      }
      if (from < e) run(from, e, colon);
      return;
    }
    run(b, e, colon);
  }

  void run(std::size_t b, std::size_t e, bool colon) {
    std::uint64_t colons = 0;
    if (colon)
      for_words(b, e, [&](std::size_t w, std::uint64_t m) { colons |= bits[w].colon & m; });
    if (colons != 0) {
      colon_run(b, e);
      return;
    }
    piece(b, e);
  }

  void colon_run(std::size_t b, std::size_t e) {
    while (e > b && (t[e - 1] == '.' || t[e - 1] == '-')) --e;
    while (b < e && (t[b] == '.' || t[b] == '-')) ++b;
    if (b >= e) return;
    if (e - b == 17 && want(Type::kMac)) {
      if (auto mac = canonical_mac(sub(b, 17))) {
        add(Type::kMac, std::move(*mac), b, e);
        return;
      }
    }
    // An IPv6 address (or a suffix holding one) needs "::" or six colons:
    // times ("23:21:02"), "http:" and "key:value" have neither.
    std::size_t colons = 0;
    bool double_colon = false;
    for_words(b, e, [&](std::size_t w, std::uint64_t m) {
      for (std::uint64_t c = bits[w].colon & m; c != 0; c &= c - 1) {
        const std::size_t k = w * 64 + static_cast<std::size_t>(__builtin_ctzll(c));
        ++colons;
        double_colon |= k + 1 < e && t[k + 1] == ':';
      }
    });
    const bool maybe_v6 = colons >= 6 || (colons >= 2 && double_colon);
    if (maybe_v6 && (want(Type::kIpv6) || want(Type::kIpv6Cidr))) {
      std::size_t tail_e = e;
      while (tail_e > b && t[tail_e - 1] == ':' && !(tail_e - b >= 2 && t[tail_e - 2] == ':'))
        --tail_e;
      // The whole run, else the longest suffix after a ':' ("src:2001:db8::1").
      std::size_t tries = 0;
      for (std::size_t s = b; s < tail_e && tries < 8; ++s) {
        // A suffix only after a one-word label and a single colon ("src:").
        if (s != b && !(t[s - 1] == ':' && t[s] != ':' && label_prefix(b, s - 1))) continue;
        ++tries;
        if (ipv6_at(s, tail_e)) {
          if (s > b) split_colons(b, s - 1);
          return;
        }
      }
    }
    split_colons(b, e);
  }

  // "src", "dst", "ip6": letters and digits with a letter that is not a hex digit.
  bool label_prefix(std::size_t b, std::size_t e) const {
    bool non_hex = false;
    for (std::size_t i = b; i < e; ++i) {
      if (!is_alnum(t[i])) return false;
      non_hex |= (cls(t[i]) & kAlpha) && !is_hex(t[i]);
    }
    return non_hex;
  }

  bool ipv6_at(std::size_t b, std::size_t e) {
    const std::string_view cand = sub(b, e - b);
    // Eight groups have seven colons (six before a dotted IPv4 tail); fewer
    // groups need "::". Times ("23:21:02") have neither.
    const auto colons = std::count(cand.begin(), cand.end(), ':');
    if (colons < 2 || (colons < 6 && cand.find("::") == std::string_view::npos)) return false;
    auto addr = parse_ipv6(cand);
    if (!addr) return false;
    std::size_t end = e;
    if (end < t.size() && t[end] == '%') {  // zone id: dropped from the value
      std::size_t z = end + 1;
      while (z < t.size() && z - end < 32 && (is_alnum(t[z]) || t[z] == '_' || t[z] == '.')) ++z;
      if (z > end + 1) end = z;
    }
    std::string value = format_ipv6(*addr);
    if (end < t.size() && t[end] == '/' && want(Type::kIpv6Cidr)) {
      std::size_t d = end + 1;
      while (d < t.size() && d - end <= 4 && is_digit(t[d])) ++d;
      if (d > end + 1 && d - end <= 4 && (d == t.size() || !is_alnum(t[d]))) {
        if (is_ipv6_cidr(std::string(value) + std::string(sub(end, d - end)))) {
          add(Type::kIpv6Cidr, value + std::string(sub(end, d - end)), b, d);
          return true;
        }
      }
    }
    if (want(Type::kIpv6)) add(Type::kIpv6, std::move(value), b, end);
    return true;
  }

  void split_colons(std::size_t b, std::size_t e) {
    std::size_t s = b;
    for (std::size_t i = b; i <= e; ++i) {
      if (i == e || t[i] == ':') {
        if (i > s) piece(s, i);
        s = i + 1;
      }
    }
  }

  // A colon-free run: IPv4, domain, hash, CVE, ATT&CK, ASN, MAC, BTC.
  // `known`: the counts of [b, e), taken by the caller.
  void piece(std::size_t b, std::size_t e, const Counts* known = nullptr) {
    Counts k;
    if (known != nullptr) {
      k = *known;
      if (k.dots == 0 && e - b < min_plain_run) return;
      // Trimmed '.' and '-' change no other count.
      for (; b < e && (t[b] == '.' || t[b] == '-'); ++b) --(t[b] == '.' ? k.dots : k.dashes);
      for (; e > b && (t[e - 1] == '.' || t[e - 1] == '-'); --e)
        --(t[e - 1] == '.' ? k.dots : k.dashes);
      if (b >= e) return;
    } else {
      // Without a dot, only a plain run of min_plain_run bytes can hold one of
      // the wanted types ("http" of "http:", "21" of "23:21:02" hold none).
      if (e - b < min_plain_run && b < e) {
        std::uint64_t dot = 0;
        for_words(b, e, [&](std::size_t w, std::uint64_t m) { dot |= bits[w].dot & m; });
        if (dot == 0) return;
      }
      while (b < e && (t[b] == '.' || t[b] == '-')) ++b;
      while (e > b && (t[e - 1] == '.' || t[e - 1] == '-')) --e;
      if (b >= e) return;
      k = range_counts(b, e);
    }
    const std::size_t dots = k.dots, dashes = k.dashes;
    const bool letters = k.letters;
    const std::string_view p = sub(b, e - b);
    if (!letters) {
      if (dots == 0) return;
      if (dashes > 0) {  // "1.2.3.4-1.2.3.9": each side on its own
        std::size_t s = b;
        for (std::size_t i = b; i <= e; ++i)
          if (i == e || t[i] == '-') {
            if (i > s) piece(s, i);
            s = i + 1;
          }
        return;
      }
      if (dots == 3) ipv4(b, e);
      return;  // five or more dotted numbers (OIDs, versions) are never an address
    }
    if (dots == 0) {
      if (want(Type::kCve) && dashes >= 2 && p.size() >= 13 &&
          text::iequals(p.substr(0, 4), "cve-"))
        cve(p, b, e);
      if (want(Type::kMac) && p.size() == 17 && dashes == 5) {
        if (auto mac = canonical_mac(p)) return add(Type::kMac, std::move(*mac), b, e);
      }
      if (want(Type::kAsn) && dashes == 0) asn(p, b, e);
      if (want(Type::kAttack) && dashes == 0) attack(p, b, e);
    } else {
      if (want(Type::kAttack) && dots == 1 && dashes == 0) attack(p, b, e);
      if (want(Type::kMac) && p.size() == 14 && dots == 2) {
        if (auto mac = canonical_mac(p)) return add(Type::kMac, std::move(*mac), b, e);
      }
    }
    // Alphanumeric sub-runs: hashes ("<md5>.exe") and Bitcoin addresses.
    const bool hashes =
        (want(Type::kMd5) || want(Type::kSha1) || want(Type::kSha256) || want(Type::kSha512)) &&
        p.size() >= 32;
    if ((hashes || want(Type::kBtc)) && dots == 0 && dashes == 0) {
      // One alphanumeric run: check it whole.
      const std::size_t len = p.size();
      if (hashes && hash_length(len)) {
        if (auto type = hash_type_of(p); type && want(*type)) add_lower(*type, b, e);
      } else if (want(Type::kBtc) && len >= 14 && len <= 74 && is_btc_address(p)) {
        add(Type::kBtc, p, b, e);
      }
    } else if (hashes || (want(Type::kBtc) && p.size() >= 14)) {
      std::size_t s = b;
      for (std::size_t i = b; i <= e; ++i) {
        if (i < e && t[i] != '.' && t[i] != '-') continue;
        const std::size_t len = i - s;
        if (hashes && hash_length(len)) {
          if (auto type = hash_type_of(sub(s, len)); type && want(*type)) add_lower(*type, s, i);
        } else if (want(Type::kBtc) && len >= 14 && len <= 74 && is_btc_address(sub(s, len))) {
          add(Type::kBtc, sub(s, len), s, i);
        }
        s = i + 1;
      }
    }
    if (dots > 0 && want(Type::kDomain)) domain(b, e, !k.high);
  }

  void ipv4(std::size_t b, std::size_t e) {
    bool canonical = true;
    const auto addr = parse_ipv4(sub(b, e - b), &canonical);
    if (!addr) return;
    if (browser_version(b)) return;
    if (opt.context_filter && version_context(b)) return;
    if (e < t.size() && t[e] == '/' && want(Type::kIpv4Cidr)) {
      std::size_t d = e + 1;
      while (d < t.size() && d - e <= 3 && is_digit(t[d])) ++d;
      if (d > e + 1 && d - e <= 3 && (d == t.size() || !is_alnum(t[d]))) {
        const std::string cidr(sub(b, d - b));
        if (is_ipv4_cidr(cidr)) {
          add(Type::kIpv4Cidr, format_ipv4(*addr) + std::string(sub(e, d - e)), b, d);
          return;
        }
      }
    }
    if (!want(Type::kIpv4)) return;
    // Written without leading zeros already (nearly always): the value is the text.
    if (canonical)
      add(Type::kIpv4, sub(b, e - b), b, e);
    else
      add(Type::kIpv4, format_ipv4(*addr), b, e);
  }

  // "Chrome/118.0.0.0" in a user agent is a browser version, never an address
  // (unlike "HIER_DIRECT/45.77.65.211" in a proxy log).
  bool browser_version(std::size_t b) const {
    if (b < 2 || t[b - 1] != '/') return false;
    std::size_t w = b - 1;
    while (w > 0 && b - 1 - w < 16 && (cls(t[w - 1]) & kAlpha)) --w;
    const std::string_view word = sub(w, b - 1 - w);
    static constexpr std::string_view kBrowsers[] = {
        "Chrome", "Chromium", "Safari", "Firefox",     "Version",        "Edg",
        "Edge",   "OPR",      "Opera",  "AppleWebKit", "Gecko",          "Trident",
        "Mobile", "CriOS",    "FxiOS",  "YaBrowser",   "SamsungBrowser", "Vivaldi"};
    for (std::string_view k : kBrowsers)
      if (word == k) return true;
    return false;
  }

  // "version 1.2.3.4", "build: 10.0.19041.1", "v 1.2.3.4".
  bool version_context(std::size_t b) const {
    std::size_t i = b;
    while (i > 0 && b - i < 4 && (t[i - 1] == ' ' || t[i - 1] == ':' || t[i - 1] == '=')) --i;
    std::size_t w = i;
    while (w > 0 && i - w < 12 && (cls(t[w - 1]) & kAlpha)) --w;
    const std::string_view word = sub(w, i - w);
    for (std::string_view k : {"version", "ver", "v", "build", "release", "rev", "revision",
                               "firmware", "fw", "product", "file"})
      if (text::iequals(word, k)) return true;
    return false;
  }

  void cve(std::string_view p, std::size_t b, std::size_t e) {
    // CVE-YYYY-NNNN+ (4 to 7 digits)
    if (p.size() < 13 || p.size() > 16 || p[8] != '-') return;
    for (std::size_t i = 4; i < p.size(); ++i)
      if (i != 8 && !is_digit(p[i])) return;
    add(Type::kCve, "CVE" + std::string(p.substr(3)), b, e);
  }

  void asn(std::string_view p, std::size_t b, std::size_t e) {
    std::size_t prefix = 0;
    if (p.size() > 3 && p.substr(0, 3) == "ASN" && is_digit(p[3]))
      prefix = 3;
    else if (p.size() > 2 && p.substr(0, 2) == "AS" && is_digit(p[2]))
      prefix = 2;
    else
      return;
    const std::string_view digits = p.substr(prefix);
    if (digits.size() > 10) return;
    std::uint64_t n = 0;
    for (char c : digits) {
      if (!is_digit(c)) return;
      n = n * 10 + static_cast<unsigned>(c - '0');
    }
    if (n > 4294967295ULL) return;
    add(Type::kAsn, "AS" + std::to_string(n), b, e);
  }

  void attack(std::string_view p, std::size_t b, std::size_t e) {
    // T1059, T1059.001, TA0002, S0154, G0016, M1036
    std::size_t letters = p.size() >= 2 && p.substr(0, 2) == "TA" ? 2 : 1;
    if (letters == 1 && (p.empty() || std::strchr("TSGM", p[0]) == nullptr)) return;
    std::string_view rest = p.substr(letters);
    if (rest.size() != 4 && !(rest.size() == 8 && letters == 1 && p[0] == 'T' && rest[4] == '.'))
      return;
    for (std::size_t i = 0; i < rest.size(); ++i)
      if (i != 4 && !is_digit(rest[i])) return;
    add(Type::kAttack, p, b, e);
  }

  // A quick look at the last label before the full check: most dotted tokens
  // in logs are file names and numbers ("cmd.exe", "0.339s"), rejected here
  // without a copy. ASCII TLDs are looked up once per scanner and remembered.
  enum class TldLook { kNo, kYes, kMaybe };  // kMaybe: IDN or A-label, the full check decides
  TldLook plausible_tld(std::size_t b, std::size_t e) {
    std::size_t dot = e;
    while (dot > b && t[dot - 1] != '.') --dot;
    const std::string_view tld = sub(dot, e - dot);
    if (tld.size() < 2 || tld.size() > 63) return TldLook::kNo;
    char buf[64];
    for (std::size_t i = 0; i < tld.size(); ++i) {
      const char c = tld[i];
      if (static_cast<unsigned char>(c) >= 0x80) return TldLook::kMaybe;
      if (!(cls(c) & kAlpha) && !(i >= 2 && (c == '-' || is_digit(c)))) return TldLook::kNo;
      buf[i] = text::lower_ascii(c);
    }
    const std::string_view lower(buf, tld.size());
    if (lower.substr(0, 4) == "xn--") return TldLook::kMaybe;
    return icann_tld(lower) ? TldLook::kYes : TldLook::kNo;
  }

  void domain(std::size_t b, std::size_t e, bool ascii) {
    const bool defang = defanged(b, e);
    if (!defang) {
      if (b > 0 && t[b - 1] == '$') return;     // a PowerShell variable: $wc.Download
      if (e < t.size() && t[e] == '(') return;  // a method call: $shell.Run(
    }
    const std::size_t at = values.size();
    const std::string_view host = sub(b, e - b);
    bool ok;
    if (opt.tld_check) {
      const TldLook look = plausible_tld(b, e);
      if (look == TldLook::kNo) return;
      // An all-ASCII name whose last label is a known TLD: canonical_domain's
      // own TLD test would look up the same label again.
      if (look == TldLook::kYes && ascii)
        ok = canonical_domain_into(host, {.tld_check = false}, values);
      else
        ok = domain_value(host, false);
    } else {
      ok = domain_value(host, false);
    }
    if (!ok) return;
    const std::string_view d(values.data() + at, values.size() - at);
    // After one path separator a file-extension TLD names a file; after two
    // ("//evil.com", UNC "\\\\evil.com") it names a host.
    if (!defang && b > 0 && (t[b - 1] == '/' || t[b - 1] == '\\') &&
        !(b > 1 && t[b - 2] == t[b - 1])) {
      if (ambiguous_tld(d.substr(d.rfind('.') + 1))) {  // ./run.sh, C:\x\a.com
        values.resize(at);
        return;
      }
    }
    if (opt.unicode) {
      if (auto u = canonical_domain(d, {.tld_check = false, .unicode = true})) {
        values.resize(at);
        values += *u;
      }
    }
    add_from(Type::kDomain, at, b, e);
  }

  // ---- RE2-backed types -----------------------------------------------------
  // Whether a type found by the built-in RE2 patterns is wanted.
  bool builtin_regex_types() const {
    return want(Type::kUserAgent) || want(Type::kUri) || want(Type::kSessionKey) ||
           want(Type::kRegistry) || want(Type::kFilepath) || want(Type::kSsdeep);
  }

  bool any_regex = false;  // builtin_regex_types() or custom patterns, set once

  void regex_types() {
    if (!any_regex) return;
    const std::size_t first = hits.size();
    if (builtin_regex_types()) builtin_regex_hits();
    custom_and_overlaps(first);
  }

  void builtin_regex_hits() {
    const Patterns& p = patterns();
    if (want(Type::kUserAgent)) {
      if (text::ifind(t, "agent") != std::string_view::npos)
        regex_hits(p.ua_header, 1, Type::kUserAgent);
      if (t.find('/') != std::string_view::npos) {
        regex_hits(p.ua_quoted, 1, Type::kUserAgent);
        if (t.find("Mozilla/") != std::string_view::npos)
          regex_hits(p.ua_bare, 0, Type::kUserAgent);
      }
    }
    if (want(Type::kUri) && t.find('/') != std::string_view::npos) {
      if (t.find(" /") != std::string_view::npos) regex_hits(p.uri_request, 1, Type::kUri);
      regex_hits(p.uri_field, 1, Type::kUri);
      regex_hits(p.uri_quoted, 1, Type::kUri, /*literal_uri=*/true);
    }
    if (want(Type::kSessionKey)) {
      if (text::ifind(t, "getbytes") != std::string_view::npos)
        regex_hits(p.session_bytes, 1, Type::kSessionKey);
      if (text::ifind(t, "session=") != std::string_view::npos)
        regex_hits(p.session_cookie, 1, Type::kSessionKey);
    }
    if (want(Type::kRegistry) && text::ifind(t, "hk") != std::string_view::npos)
      regex_hits(p.registry, 0, Type::kRegistry);
    if (want(Type::kFilepath)) {
      if (t.find('\\') != std::string_view::npos) regex_hits(p.win_path, 0, Type::kFilepath);
      if (t.find('/') != std::string_view::npos) regex_hits(p.unix_path, 1, Type::kFilepath);
    }
    if (want(Type::kSsdeep) && t.find(':') != std::string_view::npos)
      regex_hits(p.ssdeep, 0, Type::kSsdeep);
  }

  void custom_and_overlaps(std::size_t first) {
    if (opt.custom) {
      for (const auto& pat : opt.custom->patterns()) {
        const int group = pat.re.groups() >= 1 ? 1 : 0;
        for (const auto& m : pat.re.match_all(t, 100000)) {
          const std::string_view v = m.groups[static_cast<std::size_t>(group)];
          if (v.data() == nullptr || v.empty()) continue;
          const std::size_t b = static_cast<std::size_t>(v.data() - t.data());
          add(Type::kCustom, v, b, b + v.size());
          hits.back().pattern = static_cast<std::uint32_t>(&pat - opt.custom->patterns().data());
        }
      }
    }
    // Two patterns of one type can find the same text (a quoted user agent
    // after "User-Agent:"): keep the first of overlapping hits of a type.
    if (hits.size() - first > 1) {
      sort_by_begin(hits, first);
      // Sorted by begin: a hit overlaps an earlier kept one of its type exactly
      // when it begins before the furthest end kept so far for that type.
      std::array<std::size_t, kTypeCount> kept_end{};
      std::size_t kept = first;
      for (std::size_t i = first; i < hits.size(); ++i) {
        const auto type = static_cast<std::size_t>(hits[i].type);
        if (hits[i].type != Type::kCustom && hits[i].begin < kept_end[type]) continue;
        kept_end[type] = std::max(kept_end[type], hits[i].end);
        hits[kept++] = hits[i];
      }
      hits.resize(kept);
    }
  }

  void regex_hits(const text::Regex& re, int group, Type type, bool literal_uri = false) {
    for (const auto& m : re.match_all(t, 100000)) {
      std::string_view v = m.groups[static_cast<std::size_t>(group)];
      if (v.data() == nullptr) continue;
      if (type == Type::kUserAgent) {
        while (!v.empty() && (v.back() == ' ' || v.back() == ';' || v.back() == ','))
          v.remove_suffix(1);
      } else if (type != Type::kSessionKey && type != Type::kSsdeep) {
        v = trim_punct(v);
        if (type == Type::kRegistry || type == Type::kFilepath)
          while (v.size() > 3 && v.back() == '\\') v.remove_suffix(1);
      }
      if (v.size() < 2) continue;
      if (literal_uri && !plausible_uri(v)) continue;
      if (type == Type::kSsdeep && !ssdeep_block_size(v)) continue;
      const std::size_t b = static_cast<std::size_t>(v.data() - t.data());
      add(type, v, b, b + v.size());
    }
  }

  // ssdeep block sizes are 3 * 2^n ("96:...", "3072:..."); other numbers before
  // two colons are times, ports or IPv6 groups.
  bool ssdeep_block_size(std::string_view v) const {
    const std::size_t b = static_cast<std::size_t>(v.data() - t.data());
    if (b > 0 && (t[b - 1] == ':' || is_alnum(t[b - 1]))) return false;
    std::uint64_t n = 0;
    for (char c : v.substr(0, v.find(':'))) n = n * 10 + static_cast<unsigned>(c - '0');
    if (n < 3 || n % 3 != 0) return false;
    n /= 3;
    return (n & (n - 1)) == 0;
  }

  // A quoted "/x" is a URI when it has a file extension or two path segments:
  // '/admin/get.php', '/news.php', not '/c' or '/'.
  static bool plausible_uri(std::string_view v) {
    const std::string_view path = v.substr(0, v.find('?'));
    const std::size_t last = path.rfind('/');
    const std::string_view leaf = path.substr(last + 1);
    const std::size_t dot = leaf.rfind('.');
    if (dot != std::string_view::npos && dot + 1 < leaf.size() && leaf.size() - dot <= 6)
      return true;
    return std::count(path.begin(), path.end(), '/') >= 2 && path.size() >= 4 &&
           path.find("//") == std::string_view::npos;
  }
};

Scanner::Scanner(ScanOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->opt = std::move(options);
  impl_->min_plain_run = impl_->plain_run_for_types();
  impl_->any_regex = impl_->builtin_regex_types() || impl_->opt.custom != nullptr;
  // Compile the shared patterns before threads use them; not at all when no
  // type needs them (compiling them all takes milliseconds).
  if (impl_->builtin_regex_types()) patterns();
}
Scanner::~Scanner() = default;
Scanner::Scanner(Scanner&&) noexcept = default;
Scanner& Scanner::operator=(Scanner&&) noexcept = default;

const ScanOptions& Scanner::options() const noexcept {
  return impl_->opt;
}

// Runs, URLs and e-mail addresses stop at '\n', no defang marker holds one, and
// every look at a byte before or after a candidate treats a '\n' as it treats
// the edge of the text. Only the RE2 patterns could match across one.
bool Scanner::line_bounded() const noexcept {
  return !impl_->any_regex;
}

void Scanner::scan(std::string_view text, std::vector<Hit>& hits) {
  impl_->scan_all(text);
  for (const Found& f : impl_->result) {
    Hit& h = hits.emplace_back();
    h.type = f.type;
    h.value = impl_->value_of(f);
    h.begin = f.begin;
    h.end = f.end;
    h.defanged = f.defanged;
    h.derived = f.derived;
    h.name = impl_->name_of(f);
  }
}

std::span<const HitView> Scanner::scan_views(std::string_view text) {
  impl_->scan_all(text);
  impl_->views.clear();
  // Every field given: a value-initialised HitView was zeroed with `rep stos`
  // first, a tenth of the time of a scan.
  for (const Found& f : impl_->result)
    impl_->views.push_back(HitView{f.type, impl_->value_of(f), f.begin, f.end, f.defanged,
                                   f.derived, impl_->name_of(f), std::string_view(),
                                   std::string_view()});
  return impl_->views;
}

std::vector<Hit> scan_text(std::string_view text, const ScanOptions& options) {
  Scanner s(options);
  std::vector<Hit> hits;
  s.scan(text, hits);
  return hits;
}

}  // namespace ioc::scan
