#include "ioc/ioc/refang.hpp"

#include <algorithm>
#if defined(__SSE2__)
#include <emmintrin.h>
#include <immintrin.h>
#endif
#include <array>
#include <limits>

#include "ioc/core/cpu.hpp"
#include "ioc/text/ascii.hpp"

namespace ioc::scan {
namespace {

constexpr bool is_alnum(unsigned char c) noexcept {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}
// A byte that can be part of a host name or address: ASCII letters, digits, '-'
// and any byte of a multi-byte UTF-8 sequence (IDN).
constexpr bool is_host(unsigned char c) noexcept {
  return is_alnum(c) || c == '-' || c >= 0x80;
}

// The triggers that can start no marker, told from the bytes around them
// (asked before Matcher::marker): logs are full of "23:21:02", "[10.0.0.1]",
// "(Windows NT" and "C:\\Windows". Each trigger byte has a kind; a kind is
// live when the byte after it, or the one before, is one it needs. Tables,
// not branches: most triggers are idle, and which ones is hard to predict.
enum : unsigned char {
  kLiveColon = 1,    // ':' before '/' or '\\' (a scheme: "hxxp://", "http:\\\\")
  kLiveEscape = 2,   // '\\' before '.'
  kLiveClose = 4,    // ']' after '.' ("evil.]com")
  kLiveBracket = 8,  // '[' '(' '{' before ". : / @ space d a h f", or after a scheme word
  kLiveAlways = 16,  // any other byte (UTF-8 lead bytes, ' ' with `loose`): the matcher decides
};

struct IdleTables {
  std::array<unsigned char, 256> kind{}, after{}, before{};
};

constexpr IdleTables make_idle_tables() {
  IdleTables t;
  for (int c = 0; c < 0x100; ++c) t.kind[c] = kLiveAlways;
  t.kind['|'] = t.kind['}'] = 0;  // never live
  t.kind[':'] = kLiveColon;
  t.kind['\\'] = kLiveEscape;
  t.kind[']'] = kLiveClose;
  t.kind['['] = t.kind['('] = t.kind['{'] = kLiveBracket;
  for (int c = 0; c < 0x100; ++c) t.after[c] = kLiveAlways;
  t.after['/'] |= kLiveColon;
  t.after['\\'] |= kLiveColon;
  t.after['.'] |= kLiveEscape;
  for (unsigned char c : {'.', ':', '/', '@', ' ', 'd', 'D', 'a', 'A', 'h', 'H', 'f', 'F'})
    t.after[c] |= kLiveBracket;
  t.before['.'] |= kLiveClose;
  for (int c = 0; c < 0x100; ++c)
    if (is_alnum(static_cast<unsigned char>(c)) || c == '*' || c == '_')
      t.before[c] |= kLiveBracket;
  return t;
}
constexpr IdleTables kIdle = make_idle_tables();

bool idle_trigger(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const unsigned char after = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
  const unsigned char before = i > 0 ? static_cast<unsigned char>(s[i - 1]) : 0;
  return (kIdle.kind[c] & (kIdle.after[after] | kIdle.before[before])) == 0;
}

enum : unsigned char { kPlain = 0, kCheck = 1, kLooseCheck = 2 };

constexpr std::array<unsigned char, 256> make_table() {
  std::array<unsigned char, 256> t{};
  // Defang markers show up at these bytes: brackets, ':' (after a defanged
  // scheme), '\\' ("\\."), ']' (".]") and the lead bytes of full-width dots.
  for (unsigned char c : {'[', '(', '{', ']', ':', '\\'}) t[c] = kCheck;
  t[0xE3] = kCheck;  // U+3002 ideographic full stop
  t[0xEF] = kCheck;  // U+FF0E full-width full stop, U+FF61 halfwidth ideographic full stop
  t[' '] = kLooseCheck;
  return t;
}
constexpr auto kTable = make_table();

struct Match {
  std::size_t consumed = 0;  ///< bytes replaced, from `start`
  std::string_view replacement;
  std::size_t start = 0;  ///< where the replaced bytes begin (<= the trigger byte)
};

class Matcher {
 public:
  Matcher(std::string_view raw, bool loose) : s_(raw), loose_(loose) {}

  unsigned char at(std::size_t i) const noexcept {
    return i < s_.size() ? static_cast<unsigned char>(s_[i]) : 0;
  }
  bool host_before(std::size_t i) const noexcept { return i > 0 && is_host(at(i - 1)); }

  // The marker at trigger byte i, which idle_trigger let through. `copied`:
  // bytes before it are already written out and cannot be replaced.
  bool marker(std::size_t i, std::size_t copied, Match& m) const {
    const unsigned char c = at(i);
    m.start = i;
    switch (c) {
      case '[':
        if (const int r = short_bracket(i, m); r >= 0) return r == 1;
        // "hxxp[:]//": the scheme word before the bracket first.
        if (scheme_before(i, copied, m)) return true;
        m.start = i;
        return bracket(i, m);
      case '(':
      case '{':
        if (const int r = short_bracket(i, m); r >= 0) return r == 1;
        return bracket(i, m);
      case ':': return scheme_before(i, copied, m);
      case ']':
        // "evil.]com": the half bracket after a dot.
        if (i >= 1 && i - 1 >= copied && at(i - 1) == '.' && host_before(i - 1) &&
            is_host(at(i + 1))) {
          m = {2, ".", i - 1};
          return true;
        }
        return false;
      case '\\':
        if (at(i + 1) == '.' && i > 0 && is_alnum(at(i - 1)) && is_alnum(at(i + 2))) {
          m = {2, ".", i};
          return true;
        }
        return false;
      case 0xE3:
      case 0xEF: {
        const bool dot = (c == 0xE3 && at(i + 1) == 0x80 && at(i + 2) == 0x82) ||
                         (c == 0xEF && at(i + 1) == 0xBC && at(i + 2) == 0x8E) ||
                         (c == 0xEF && at(i + 1) == 0xBD && at(i + 2) == 0xA1);
        if (dot && host_before(i) && is_host(at(i + 3))) {
          m = {3, ".", i};
          return true;
        }
        return false;
      }
      case ' ': return loose_ && loose_word(i, m);
      default: return false;
    }
  }

 private:
  // "[.]", "(@)" and the like, the markers reports are full of, decided
  // without the general search: 1 a match, 0 none, -1 for bracket() (and for
  // scheme_before first, after a word that may be a scheme: "hxxp[.]").
  // Decides as bracket() does: "." between host bytes; "@" after a local-part
  // byte and before a host byte.
  int short_bracket(std::size_t i, Match& m) const {
    const unsigned char open = at(i), inner = at(i + 1);
    const unsigned char close = open == '[' ? ']' : open == '(' ? ')' : '}';
    if ((inner != '.' && inner != '@') || at(i + 2) != close || i == 0) return -1;
    const unsigned char before = at(i - 1), after = at(i + 3);
    if (open == '[' && ((before | 0x20) == 'p' || (before | 0x20) == 's')) return -1;
    const bool ok = inner == '.'
                        ? is_host(before) && is_host(after)
                        : (is_alnum(before) || before == '_' || before == '-' || before == '.') &&
                              is_host(after);
    if (!ok) return 0;
    m = {3, inner == '.' ? "." : "@", i};
    return 1;
  }

  bool bracket(std::size_t i, Match& m) const {
    const unsigned char open = at(i);
    const char close = open == '[' ? ']' : open == '(' ? ')' : '}';
    std::size_t end = i + 1;
    while (end < s_.size() && end - i <= 9 && s_[end] != close) ++end;
    if (end < s_.size() && s_[end] == close && end - i <= 9) {
      std::string_view inner = s_.substr(i + 1, end - i - 1);
      while (!inner.empty() && inner.front() == ' ') inner.remove_prefix(1);
      while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
      const std::size_t consumed = end + 1 - i;
      const bool around = host_before(i) && is_host(at(end + 1));
      if ((inner == "." || text::iequals(inner, "dot")) && around) {
        m = {consumed, ".", i};
        return true;
      }
      if ((inner == "@" || text::iequals(inner, "at")) && i > 0 &&
          (is_alnum(at(i - 1)) || at(i - 1) == '_' || at(i - 1) == '-' || at(i - 1) == '.') &&
          is_host(at(end + 1))) {
        m = {consumed, "@", i};
        return true;
      }
      if (open != '[') return false;
      if (inner == "." || inner == "dot") return false;  // "[.]" not between host characters
      if (inner == ":") {
        m = {consumed, ":", i};
        return true;
      }
      if (inner == "://") {
        m = {consumed, "://", i};
        return true;
      }
      if (inner == "/" || inner == "//") {
        m = {consumed, inner == "/" ? "/" : "//", i};
        return true;
      }
      const unsigned char next = at(end + 1);
      if (next == ':' || next == '[') {
        for (std::string_view scheme : {"http", "https", "ftp", "hxxp", "hxxps", "fxp"}) {
          if (text::iequals(inner, scheme)) {
            const bool tls = inner.size() == 5;
            const bool ftp = text::lower_ascii(inner[0]) == 'f';
            m = {consumed, ftp ? "ftp" : tls ? "https" : "http", i};
            return true;
          }
        }
      }
    }
    // "1.1.1[.1": an opening bracket before a dot, never closed.
    if (open == '[' && at(i + 1) == '.' && host_before(i) && is_host(at(i + 2))) {
      m = {2, ".", i};
      return true;
    }
    return false;
  }

  // hxxp hXXp h**p h__p hxxps fxp fxps before the ':' or '[' at i; also a plain
  // scheme followed by ":\\".
  bool scheme_before(std::size_t i, std::size_t copied, Match& m) const {
    std::size_t s = i;
    while (s > 0 && i - s < 5 && (is_alnum(at(s - 1)) || at(s - 1) == '*' || at(s - 1) == '_')) --s;
    if (s < copied || i - s < 3 || (s > 0 && (is_alnum(at(s - 1)) || at(s - 1) == '_')))
      return false;
    const std::string_view word = s_.substr(s, i - s);
    const bool ftp = (word[0] | 0x20) == 'f';
    if (!ftp && (word[0] | 0x20) != 'h') return false;
    const std::size_t middles = ftp ? 1 : 2;
    const auto middle = [](unsigned char c) {
      return c == 'x' || c == 'X' || c == 't' || c == 'T' || c == '*' || c == '_';
    };
    if (word.size() != middles + 2 && word.size() != middles + 3) return false;
    bool defanged = false;
    for (std::size_t k = 1; k <= middles; ++k) {
      if (!middle(static_cast<unsigned char>(word[k]))) return false;
      if ((word[k] | 0x20) != 't') defanged = true;
    }
    if ((word[middles + 1] | 0x20) != 'p') return false;
    const bool tls = word.size() == middles + 3;
    if (tls && (word.back() | 0x20) != 's') return false;
    const bool backslashes = at(i) == ':' && at(i + 1) == '\\' && at(i + 2) == '\\';
    if (!defanged && !backslashes) return false;
    static constexpr std::string_view kOut[] = {"http",    "https",    "ftp",    "ftps",
                                                "http://", "https://", "ftp://", "ftps://"};
    m = {word.size() + (backslashes ? 3 : 0),
         kOut[(backslashes ? 4 : 0) + (ftp ? 2 : 0) + (tls ? 1 : 0)], s};
    return true;
  }

  bool loose_word(std::size_t i, Match& m) const {
    if (i == 0 || !is_alnum(at(i - 1))) return false;
    for (auto [word, out] :
         {std::pair<std::string_view, std::string_view>{" at ", "@"}, {" dot ", "."}}) {
      if (s_.size() - i > word.size() && text::iequals(s_.substr(i, word.size()), word) &&
          is_alnum(at(i + word.size()))) {
        m = {word.size(), out, i};
        return true;
      }
    }
    return false;
  }

  std::string_view s_;
  bool loose_;
};

// Bit k set when byte i + k can start a defang marker (kCheck in kTable), for
// the up to 64 bytes at i: four SSE2 steps (two with AVX2) where they are
// there. Most text has few such bytes, and a 64-bit mask is one test for them.
// Fewer compares for a few more candidates (the matcher drops them): c | 0x20
// in '{'..'}' is one of "[\\]{|}", c | 0x0C == 0xEF one of the lead bytes E3 E7
// EB EF.
std::uint64_t trigger_mask(std::string_view s, std::size_t i) {
#if defined(__SSE2__)
  if (i + 64 <= s.size()) {
    const __m128i k20 = _mm_set1_epi8(0x20), kbrace = _mm_set1_epi8('{'), k2 = _mm_set1_epi8(2),
                  k0c = _mm_set1_epi8(0x0C), kef = _mm_set1_epi8(static_cast<char>(0xEF)),
                  kparen = _mm_set1_epi8('('), kcolon = _mm_set1_epi8(':');
    std::uint64_t mask = 0;
    for (unsigned k = 0; k < 4; ++k) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i + 16 * k));
      const __m128i brackets = _mm_sub_epi8(_mm_or_si128(v, k20), kbrace);
      const __m128i hit =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(brackets, k2), brackets),
                                    _mm_cmpeq_epi8(_mm_or_si128(v, k0c), kef)),
                       _mm_or_si128(_mm_cmpeq_epi8(v, kparen), _mm_cmpeq_epi8(v, kcolon)));
      mask |= std::uint64_t{static_cast<unsigned>(_mm_movemask_epi8(hit))} << (16 * k);
    }
    return mask;
  }
#endif
  std::uint64_t mask = 0;
  for (std::size_t k = 0; k < 64 && i + k < s.size(); ++k)
    if ((kTable[static_cast<unsigned char>(s[i + k])] & kCheck) != 0) mask |= std::uint64_t{1} << k;
  return mask;
}

#if defined(__x86_64__) && defined(__GNUC__)
// trigger_mask, 32 bytes a step, where the CPU has AVX2 (for whole 64 bytes).
[[gnu::target("avx2")]] std::uint64_t trigger_mask_avx2(std::string_view s, std::size_t i) {
  const __m256i k20 = _mm256_set1_epi8(0x20), kbrace = _mm256_set1_epi8('{'),
                k2 = _mm256_set1_epi8(2), k0c = _mm256_set1_epi8(0x0C),
                kef = _mm256_set1_epi8(static_cast<char>(0xEF)), kparen = _mm256_set1_epi8('('),
                kcolon = _mm256_set1_epi8(':');
  std::uint64_t mask = 0;
  for (unsigned k = 0; k < 2; ++k) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.data() + i + 32 * k));
    const __m256i brackets = _mm256_sub_epi8(_mm256_or_si256(v, k20), kbrace);
    const __m256i hit = _mm256_or_si256(
        _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_min_epu8(brackets, k2), brackets),
                        _mm256_cmpeq_epi8(_mm256_or_si256(v, k0c), kef)),
        _mm256_or_si256(_mm256_cmpeq_epi8(v, kparen), _mm256_cmpeq_epi8(v, kcolon)));
    mask |= std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(hit))} << (32 * k);
  }
  return mask;
}

[[gnu::target("avx2")]] void trigger_masks_avx2(std::string_view s, std::size_t i,
                                                std::size_t count, std::uint64_t* out) {
  for (std::size_t k = 0; k < count; ++k, i += 64)
    out[k] = i + 64 <= s.size() ? trigger_mask_avx2(s, i) : trigger_mask(s, i);
}
#endif

// The masks of `count` steps of 64 bytes from i.
void trigger_masks(std::string_view s, std::size_t i, std::size_t count, std::uint64_t* out) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (cpu::avx2()) return trigger_masks_avx2(s, i, count, out);
#endif
  for (std::size_t k = 0; k < count; ++k, i += 64) out[k] = trigger_mask(s, i);
}

}  // namespace

bool Refanged::changed(std::size_t begin, std::size_t end) const {
  auto it = std::lower_bound(changes.begin(), changes.end(), begin,
                             [](const Change& c, std::size_t b) { return c.end <= b; });
  return it != changes.end() && it->begin < end;
}

std::size_t Refanged::raw_offset(std::size_t i) const {
  // The last change that begins at or before i; before the first, the texts agree.
  auto it = std::upper_bound(changes.begin(), changes.end(), i,
                             [](std::size_t v, const Change& c) { return v < c.begin; });
  if (it == changes.begin()) return i;
  const Change& c = *(it - 1);
  if (i < c.end)
    return c.raw_begin + std::min<std::size_t>(i - c.begin, c.raw_end - c.raw_begin - 1);
  return c.raw_end + (i - c.end);
}

bool refang(std::string_view raw, const RefangOptions& options, Refanged& out) {
  out.text.clear();
  out.changes.clear();
  if (raw.size() >= std::numeric_limits<std::uint32_t>::max()) return false;
  const Matcher matcher(raw, options.loose);
  const unsigned char want = options.loose ? kCheck | kLooseCheck : kCheck;
  std::size_t copied = 0;
  bool started = false;
  const auto copy_to = [&](std::size_t end) {
    out.text.append(raw.data() + copied, end - copied);
    copied = end;
  };
  // Replaces the marker starting at trigger byte i, if one does; returns where
  // the search for the next goes on.
  const auto try_at = [&](std::size_t i) {
    Match m;
    if (!matcher.marker(i, copied, m)) return i + 1;
    if (!started) {
      started = true;
      out.text.reserve(raw.size());
    }
    copy_to(m.start);
    const auto begin = static_cast<std::uint32_t>(out.text.size());
    out.text.append(m.replacement);
    out.changes.push_back({begin, static_cast<std::uint32_t>(out.text.size()),
                           static_cast<std::uint32_t>(m.start),
                           static_cast<std::uint32_t>(m.start + m.consumed)});
    copied = m.start + m.consumed;
    return copied;
  };
  if (options.loose) {
    for (std::size_t i = 0; i < raw.size();)
      i = (kTable[static_cast<unsigned char>(raw[i])] & want) != 0 && !idle_trigger(raw, i)
              ? try_at(i)
              : i + 1;
  } else {
    // Each 64 bytes' triggers from one mask, the masks of 4 KiB at a time.
    std::size_t next = 0;  // triggers before it lie in a replaced marker
    std::uint64_t masks[64];
    for (std::size_t base = 0; base < raw.size(); base += 64 * std::size(masks)) {
      const std::size_t count = std::min(std::size(masks), (raw.size() - base + 63) / 64);
      trigger_masks(raw, base, count, masks);
      for (std::size_t k = 0; k < count; ++k)
        for (std::uint64_t mask = masks[k]; mask != 0; mask &= mask - 1) {
          const std::size_t i = base + 64 * k + static_cast<std::size_t>(__builtin_ctzll(mask));
          if (i < next || idle_trigger(raw, i)) continue;  // before the call to the matcher
          next = try_at(i);
          // A scheme word replaced up to this trigger ("fxp[.]"): the trigger's
          // own marker is tried next, as the byte-by-byte search does.
          if (next == i) next = try_at(i);
        }
    }
  }
  if (!started) return false;
  copy_to(raw.size());
  return true;
}

std::string refang_text(std::string_view raw, const RefangOptions& options) {
  Refanged r;
  return refang(raw, options, r) ? std::move(r.text) : std::string(raw);
}

std::string defang(Type type, std::string_view value) {
  const auto dots = [](std::string_view s, bool colons) {
    std::string out;
    for (char c : s) {
      if (c == '.')
        out += "[.]";
      else if (c == '@')
        out += "[@]";
      else if (c == ':' && colons)
        out += "[:]";
      else
        out += c;
    }
    return out;
  };
  switch (type) {
    case Type::kIpv4:
    case Type::kIpv4Cidr:
    case Type::kDomain:
    case Type::kEmail: return dots(value, false);
    case Type::kIpv6:
    case Type::kIpv6Cidr: return dots(value, true);
    case Type::kUrl: {
      const std::size_t sep = value.find("://");
      if (sep == std::string_view::npos) return std::string(value);
      std::string scheme(value.substr(0, sep));
      if (scheme == "http" || scheme == "https")
        scheme.replace(1, 2, "xx");
      else if (scheme == "ftp" || scheme == "ftps")
        scheme.replace(1, 1, "x");
      std::string_view rest = value.substr(sep + 3);
      const std::size_t host_end = std::min(rest.find_first_of("/?#"), rest.size());
      return scheme + "://" + dots(rest.substr(0, host_end), false) +
             std::string(rest.substr(host_end));
    }
    default: return std::string(value);
  }
}

}  // namespace ioc::scan
