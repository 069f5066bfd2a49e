// PowerShell Empire launchers: a small lexer (string literals, backticks,
// constant '+' concatenation), a table of variable assignments, and a few
// evaluators that follow the WebClient's calls back to the values they use.
//
// Speed: the script is normalized in one pass (runs of plain code are copied
// whole, literal values go to one buffer), then one more pass over its lower
// case finds every call, marker and case token the parser looks at (a hash of
// their first four bytes keeps that pass cheap). A script without a download
// call, or with too few markers to ever reach the threshold, is rejected
// before any assignment is indexed or any value evaluated.
#include "ioc/stager/empire.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ioc/codec/base64.hpp"
#include "ioc/codec/utf16.hpp"
#include "ioc/core/limits.hpp"

namespace ioc::stager {
namespace {

// How far an argument list or an expression may reach from where it starts,
// and how many calls of one kind are looked at: bounded work on any input.
constexpr std::size_t kWindow = 16 * kKiB;
constexpr std::size_t kMaxCalls = 256;
constexpr int kMaxDepth = 8;

using ByteTable = std::array<bool, 256>;

constexpr ByteTable byte_table(std::string_view chars) {
  ByteTable t{};
  for (char c : chars) t[static_cast<unsigned char>(c)] = true;
  return t;
}

constexpr ByteTable kNameChars =
    byte_table("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:");

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

bool is_name_char(char c) {
  return kNameChars[static_cast<unsigned char>(c)];
}

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// PowerShell's escapes in double-quoted strings (`n, `t, ...); any other
// escaped character stands for itself ("GetFie`ld" is "GetField").
char ps_escape(char c) {
  switch (c) {
    case '0': return '\0';
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    default: return c;
  }
}

/// Characters where normalize() may do something other than copy.
constexpr std::string_view kCodeSpecialChars = "`<#'\"@";
constexpr ByteTable kCodeSpecial = byte_table(kCodeSpecialChars);
/// Characters a double-quoted literal treats specially.
constexpr ByteTable kDoubleQuotedSpecial = byte_table("`\"$");

/// A string literal of the normalized script: its text [begin, end) with the
/// quotes, and its value (at value_begin in Normalized::values).
struct Literal {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t value_begin = 0;
  std::size_t value_size = 0;
  bool constant = true;  ///< false for "...$var..." strings
};

/// The first `c` in [from, to) of `s`, or `to`: a short distance is looked
/// at without a call to memchr.
std::size_t find_byte(std::string_view s, char c, std::size_t from, std::size_t to) {
  const std::size_t near = std::min(to, from + 16);
  for (; from < near; ++from) {
    if (s[from] == c) return from;
  }
  if (from >= to) return to;
  const void* hit = std::memchr(s.data() + from, c, to - from);
  return hit == nullptr ? to : static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
}

bool starts_here_string(std::string_view in, std::size_t i) {
  if (i + 2 >= in.size() || in[i] != '@' || (in[i + 1] != '\'' && in[i + 1] != '"')) return false;
  std::size_t j = i + 2;
  while (j < in.size() && (in[j] == ' ' || in[j] == '\t')) ++j;
  return j < in.size() && (in[j] == '\n' || in[j] == '\r');
}

bool starts_literal(std::string_view in, std::size_t i) {
  return in[i] == '\'' || in[i] == '"' || starts_here_string(in, i);
}

/// Reads the literal that starts at `i`, appends its value to `value`, sets
/// `*end` one past the closing quote (the input's end if unterminated) and
/// returns whether it is constant.
bool read_literal(std::string_view in, std::size_t i, std::string& value, std::size_t* end) {
  const std::size_t n = in.size();
  if (in[i] == '@') {  // here-string: @'<line break> ... <line break>'@
    const char q = in[i + 1];
    std::size_t j = i + 2;
    while (in[j] == ' ' || in[j] == '\t') ++j;  // starts_here_string: a line break follows
    const std::size_t body = (in[j] == '\r' && j + 1 < n && in[j + 1] == '\n') ? j + 2 : j + 1;
    const std::string_view close = q == '\'' ? std::string_view("\n'@") : std::string_view("\n\"@");
    const std::size_t stop = in.find(close, body - 1);
    std::string_view v;
    if (stop == std::string_view::npos) {
      v = in.substr(std::min(body, n));
      *end = n;
    } else {
      std::size_t vend = stop;
      if (vend > body && in[vend - 1] == '\r') --vend;
      v = in.substr(body, vend > body ? vend - body : 0);
      *end = stop + close.size();
    }
    value.append(v);
    return q == '\'' || v.find('$') == std::string_view::npos;
  }
  if (in[i] == '\'') {
    std::size_t j = i + 1;
    for (;;) {
      const std::size_t q = find_byte(in, '\'', j, n);
      if (q == n) {
        value.append(in.substr(j));
        *end = n;
        return true;
      }
      value.append(in.substr(j, q - j));
      if (q + 1 < n && in[q + 1] == '\'') {
        value += '\'';
        j = q + 2;
        continue;
      }
      *end = q + 1;
      return true;
    }
  }
  bool constant = true;
  std::size_t j = i + 1;  // double-quoted
  while (j < n) {
    std::size_t k = j;
    while (k < n && !kDoubleQuotedSpecial[static_cast<unsigned char>(in[k])]) ++k;
    value.append(in.substr(j, k - j));
    j = k;
    if (j >= n) break;
    const char c = in[j];
    if (c == '`' && j + 1 < n) {
      value += ps_escape(in[j + 1]);
      j += 2;
      continue;
    }
    if (c == '"') {
      if (j + 1 < n && in[j + 1] == '"') {
        value += '"';
        j += 2;
        continue;
      }
      *end = j + 1;
      return constant;
    }
    if (c == '$' && j + 1 < n &&
        (is_name_char(in[j + 1]) || in[j + 1] == '(' || in[j + 1] == '{')) {
      constant = false;
    }
    value += c;
    ++j;
  }
  *end = n;
  return constant;
}

std::size_t skip_spaces(std::string_view in, std::size_t i) {
  while (i < in.size() && is_space(in[i])) ++i;
  return i;
}

/// The script with backticks removed from code, comments dropped and chains of
/// constant literals joined by '+' folded into one single-quoted literal.
struct Normalized {
  std::string text;
  std::string lower;   ///< ASCII lower case of text, same offsets
  std::string values;  ///< the literals' values, back to back
  std::vector<Literal> literals;

  std::string_view value(const Literal& l) const {
    return std::string_view(values).substr(l.value_begin, l.value_size);
  }
};

// Sixteen bytes at a time (GCC/Clang vector extensions: SSE2 on x86-64,
// plain integer code where there is no vector unit).
using Bytes16 = unsigned char __attribute__((vector_size(16)));

Bytes16 load16(const char* p) {
  Bytes16 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

/// The index of the first non-zero byte of `m` (a comparison result), or 16.
std::size_t first_set_byte(Bytes16 m) {
  std::uint64_t half[2];
  std::memcpy(half, &m, sizeof half);
  for (std::size_t h = 0; h < 2; ++h) {
    if (half[h] == 0) continue;
    const int bit = std::endian::native == std::endian::little ? std::countr_zero(half[h])
                                                               : std::countl_zero(half[h]);
    return h * 8 + static_cast<std::size_t>(bit) / 8;
  }
  return 16;
}

/// The first position at or after `i` of a byte of kCodeSpecial, or in.size().
std::size_t find_code_special(std::string_view in, std::size_t i) {
  const std::size_t n = in.size();
  for (; i + 16 <= n; i += 16) {
    const Bytes16 x = load16(in.data() + i);
    const auto m = (x == '`') | (x == '<') | (x == '#') | (x == '\'') | (x == '"') | (x == '@');
    static_assert(kCodeSpecialChars == "`<#'\"@");
    if (const std::size_t k = first_set_byte(std::bit_cast<Bytes16>(m)); k < 16) {
      return i + k;
    }
  }
  while (i < n && !kCodeSpecial[static_cast<unsigned char>(in[i])]) ++i;
  return i;
}

/// `out` = ASCII lower case of `in`.
void lower_into(std::string_view in, std::string& out) {
  out.resize(in.size());
  const std::size_t n = in.size();
  std::size_t k = 0;
  for (; k + 16 <= n; k += 16) {
    Bytes16 x = load16(in.data() + k);
    const auto upper = (x >= 'A') & (x <= 'Z');
    x |= std::bit_cast<Bytes16>(upper) & 0x20;
    std::memcpy(out.data() + k, &x, sizeof x);
  }
  for (; k < n; ++k) out[k] = lower_ascii(in[k]);
}

void normalize(std::string_view in, Normalized& out) {
  std::string& text = out.text;
  std::string& values = out.values;
  const std::size_t n = in.size();
  text.reserve(n + 2);
  out.literals.reserve(64);
  std::size_t i = 0;
  while (i < n) {
    // Plain code is copied as it is.
    const std::size_t run =
        kCodeSpecial[static_cast<unsigned char>(in[i])] ? i : find_code_special(in, i + 1);
    if (run > i) {
      text.append(in.substr(i, run - i));
      i = run;
      if (i >= n) break;
    }
    const char c = in[i];
    if (c == '`') {  // escape in code: the next character stands for itself
      if (i + 1 < n && in[i + 1] != '\n' && in[i + 1] != '\r') text += in[i + 1];
      i += 2;
      continue;
    }
    if (c == '<') {
      if (i + 1 < n && in[i + 1] == '#') {
        const std::size_t close = in.find("#>", i + 2);
        i = close == std::string_view::npos ? n : close + 2;
        text += ' ';
      } else {
        text += c;
        ++i;
      }
      continue;
    }
    if (c == '#') {
      if (i == 0 || is_space(in[i - 1]) || in[i - 1] == ';' || in[i - 1] == '{' ||
          in[i - 1] == '}') {
        const std::size_t nl = in.find('\n', i);
        i = nl == std::string_view::npos ? n : nl;
      } else {
        text += c;
        ++i;
      }
      continue;
    }
    if (c == '@' && !starts_here_string(in, i)) {
      text += c;
      ++i;
      continue;
    }
    const std::size_t value_begin = values.size();
    std::size_t end = 0;
    const bool constant = read_literal(in, i, values, &end);
    while (constant) {
      std::size_t p = skip_spaces(in, end);
      if (p >= n || in[p] != '+') break;
      p = skip_spaces(in, p + 1);
      if (p >= n || !starts_literal(in, p)) break;
      const std::size_t mark = values.size();
      std::size_t next_end = 0;
      if (!read_literal(in, p, values, &next_end)) {
        values.resize(mark);
        break;
      }
      end = next_end;
    }
    Literal lit;
    lit.begin = text.size();
    lit.value_begin = value_begin;
    lit.value_size = values.size() - value_begin;
    if (constant) {
      text += '\'';
      std::string_view v = std::string_view(values).substr(value_begin);
      for (std::size_t q = v.find('\''); q != std::string_view::npos; q = v.find('\'')) {
        text.append(v.substr(0, q + 1));
        text += '\'';
        v.remove_prefix(q + 1);
      }
      text.append(v);
      text += '\'';
    } else {
      text.append(in.substr(i, end - i));
    }
    lit.end = text.size();
    lit.constant = constant;
    out.literals.push_back(lit);
    i = end;
  }
  lower_into(text, out.lower);
}

struct Value {
  std::string text;
  bool base64_utf16 =
      false;  ///< came from [Text.Encoding]::Unicode.GetString(FromBase64String(...))
};

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

/// The calls (and member assignments) the parser follows: for each, the
/// positions just after its occurrences outside literals.
enum Call : int {
  kHeadersAdd,
  kDownloadData,
  kDownloadString,
  kOpenRead,
  kAsciiGetBytes,
  kGetBytes,
  kProxyMember,
  kCredentialsMember,
  kCertCallbackMember,
  kCallCount,
};

/// Markers whose presence anywhere in the script (literals included) counts.
enum Marker : int {
  kAmsiUtils,
  kAmsiInitFailed,
  kCachedGroupPolicySettings,
  kEnableScriptBlockLogging,
  kPsEtwLogProvider,
  kEtwProvider,
  kByteRange,
  kBxor,
  kUtf8Stage,
  kNetWebClient,
  kExpect100Continue,
  kIvSlice,
  kMarkerCount,
};

/// Code tokens whose capitalisation tells Empire's randomized case
/// (case_randomized()).
enum CaseToken : int {
  kNewObjectToken,
  kWebClientToken,
  kHeadersAddToken,
  kDownloadDataToken,
  kGetBytesToken,
  kExpect100ContinueToken,
  kServicePointManagerToken,
  kDefaultWebProxyToken,
  kCaseTokenCount,
};

/// What the needle pass looks for, in lower case: a call (or member), a
/// marker, or a case token (`usual` is how Empire writes it).
struct Needle {
  std::string_view text;
  int call = -1;
  int marker = -1;
  int token = -1;
  std::string_view usual = {};
};

constexpr std::array<Needle, 29> kNeedles = {{
    {".headers.add(", kHeadersAdd},
    {".downloaddata(", kDownloadData},
    {".downloadstring(", kDownloadString},
    {".openread(", kOpenRead},
    {"ascii.getbytes(", kAsciiGetBytes},
    {".getbytes(", kGetBytes},
    {".proxy", kProxyMember},
    {".credentials", kCredentialsMember},
    {"servercertificatevalidationcallback", kCertCallbackMember},
    {"amsiutils", -1, kAmsiUtils},
    {"amsiinitfailed", -1, kAmsiInitFailed},
    {"cachedgrouppolicysettings", -1, kCachedGroupPolicySettings},
    {"enablescriptblocklogging", -1, kEnableScriptBlockLogging},
    {"psetwlogprovider", -1, kPsEtwLogProvider},
    {"etwprovider", -1, kEtwProvider},
    {"0..255", -1, kByteRange},
    {"-bxor", -1, kBxor},
    {"utf8.getstring($", -1, kUtf8Stage},
    {"net.webclient", -1, kNetWebClient},
    {"expect100continue", -1, kExpect100Continue},
    {"[0..3]", -1, kIvSlice},
    {"new-object", -1, -1, kNewObjectToken, "New-Object"},
    {"webclient", -1, -1, kWebClientToken, "WebClient"},
    {"headers.add", -1, -1, kHeadersAddToken, "Headers.Add"},
    {"downloaddata", -1, -1, kDownloadDataToken, "DownloadData"},
    {"getbytes", -1, -1, kGetBytesToken, "GetBytes"},
    {"expect100continue", -1, -1, kExpect100ContinueToken, "Expect100Continue"},
    {"servicepointmanager", -1, -1, kServicePointManagerToken, "ServicePointManager"},
    {"defaultwebproxy", -1, -1, kDefaultWebProxyToken, "DefaultWebProxy"},
}};

/// Every needle is at least this long: its first four bytes filter the pass.
constexpr std::size_t kNeedlePrefix = 4;

constexpr std::uint32_t prefix_of(const char* p) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(p[0])) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(p[1])) << 8) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(p[2])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(p[3])) << 24);
}

constexpr unsigned kPrefixHashBits = 13;

constexpr std::uint32_t prefix_hash(std::uint32_t prefix) {
  return (prefix * 2654435761U) >> (32 - kPrefixHashBits);
}

/// Needles grouped by the hash of their first four bytes: slot[hash] is 0
/// when no needle has that hash, else an index into needles (bit i:
/// kNeedles[i]).
struct PrefixTable {
  std::array<std::uint8_t, std::size_t{1} << kPrefixHashBits> slot{};
  std::array<std::uint32_t, kNeedles.size() + 1> needles{};
};

constexpr PrefixTable kPrefixTable = [] {
  PrefixTable t;
  std::uint8_t slots = 0;
  for (std::size_t i = 0; i < kNeedles.size(); ++i) {
    const std::uint32_t h = prefix_hash(prefix_of(kNeedles[i].text.data()));
    if (t.slot[h] == 0) t.slot[h] = ++slots;
    t.needles[t.slot[h]] |= std::uint32_t{1} << i;
  }
  return t;
}();

static_assert([] {
  for (const Needle& nd : kNeedles) {
    if (nd.text.size() < kNeedlePrefix) return false;
  }
  return kNeedles.size() <= 32 && kMarkerCount <= 32;
}());

class Script {
 public:
  explicit Script(std::string_view script) {
    normalize(script, n_);
    find_needles();
  }

  const std::string& text() const { return n_.text; }
  const std::string& lower() const { return n_.lower; }
  std::size_t size() const { return n_.text.size(); }

  /// The marker occurs somewhere in the script (case-insensitively).
  bool contains(Marker m) const { return (markers_ >> m) & 1U; }

  /// Positions just after each occurrence of the call's needle outside
  /// literals (at most kMaxCalls), in script order.
  std::span<const std::size_t> calls(Call c) const {
    return std::span<const std::size_t>(call_positions_)
        .subspan(call_begin_[c], call_begin_[c + 1] - call_begin_[c]);
  }

  /// Empire's randomized capitalisation shows: one of the first 64
  /// occurrences of a code token (outside literals) is not in its usual case.
  bool case_randomized() const { return case_randomized_; }

  std::size_t skip_ws(std::size_t i) const { return skip_spaces(n_.text, i); }

  bool starts_with(std::size_t pos, std::string_view lower_prefix) const {
    return pos <= n_.lower.size() && n_.lower.compare(pos, lower_prefix.size(), lower_prefix) == 0;
  }

  const Literal* literal_at(std::size_t pos) const {
    auto it = first_literal_from(pos);
    return (it != n_.literals.end() && it->begin == pos) ? &*it : nullptr;
  }

  /// Top-level pieces of the bracketed list that starts just after `open`:
  /// split at `sep` (',' for arguments, '+' for concatenation) until the
  /// closing bracket; nothing when it is not closed within kWindow.
  std::vector<Span> split(std::size_t open, char sep) const {
    std::vector<Span> parts;
    const std::size_t limit = std::min(n_.text.size(), open + kWindow);
    auto li = first_literal_from(open);
    int depth = 0;
    std::size_t start = open;
    std::size_t i = open;
    while (i < limit) {
      if (li != n_.literals.end() && li->begin == i) {
        i = li->end;
        ++li;
        continue;
      }
      const char c = n_.text[i];
      if (c == '(' || c == '[' || c == '{') {
        ++depth;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) {
          parts.push_back({start, i});
          return parts;
        }
        --depth;
      } else if (c == sep && depth == 0) {
        parts.push_back({start, i});
        start = i + 1;
      }
      ++i;
    }
    return {};
  }

  /// Where the expression starting at `pos` ends: a top-level ';' or line
  /// break, or a closing bracket it did not open.
  std::size_t expr_end(std::size_t pos) const {
    const std::size_t limit = std::min(n_.text.size(), pos + kWindow);
    auto li = first_literal_from(pos);
    int depth = 0;
    std::size_t i = pos;
    while (i < limit) {
      if (li != n_.literals.end() && li->begin == i) {
        i = li->end;
        ++li;
        continue;
      }
      const char c = n_.text[i];
      if (c == '(' || c == '[' || c == '{') {
        ++depth;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) return i;
        --depth;
      } else if ((c == ';' || c == '\n') && depth == 0) {
        return i;
      }
      ++i;
    }
    return std::min(i, n_.text.size());
  }

  /// Indexes the variable assignments; assignment() needs it.
  void index_assignments() {
    const std::string& t = n_.text;
    const std::string_view lower(n_.lower);
    std::vector<std::pair<std::uint32_t, Assign>> found;  // (name id, assignment), script order
    slots_.assign(16, NameSlot{});
    std::uint32_t names = 0;
    // Every '$name =' (not '==') of the code: the gaps between literals.
    std::size_t gap = 0;
    for (std::size_t l = 0; l <= n_.literals.size(); ++l) {
      const std::size_t gap_end = l < n_.literals.size() ? n_.literals[l].begin : t.size();
      for (std::size_t i = gap; i < gap_end;) {
        i = find_byte(t, '$', i, gap_end);
        if (i == gap_end) break;
        std::size_t j = i + 1;
        while (j < t.size() && is_name_char(t[j])) ++j;
        if (j > i + 1) {
          std::size_t p = j;
          while (p < t.size() && (t[p] == ' ' || t[p] == '\t')) ++p;
          if (p < t.size() && t[p] == '=' && (p + 1 >= t.size() || t[p + 1] != '=')) {
            const std::string_view name = strip_scope(lower.substr(i + 1, j - i - 1));
            found.emplace_back(intern(name, names), Assign{i, skip_ws(p + 1)});
          }
        }
        i = j;
      }
      if (l < n_.literals.size()) gap = n_.literals[l].end;
    }
    // The assignments grouped by name, each group in script order.
    group_begin_.assign(std::size_t{names} + 1, 0);
    for (const auto& f : found) ++group_begin_[f.first + 1];
    for (std::size_t g = 0; g < names; ++g) group_begin_[g + 1] += group_begin_[g];
    std::vector<std::size_t> next(group_begin_.begin(), group_begin_.end() - 1);
    assigns_.resize(found.size());
    for (const auto& [id, a] : found) assigns_[next[id]++] = a;
  }

  /// The value position of the assignment to `$name` that a use at `use`
  /// sees: the last one before it, else the first one after.
  std::optional<std::size_t> assignment(std::string_view name_lower, std::size_t use) const {
    if (slots_.empty()) return std::nullopt;
    const std::string_view name = strip_scope(name_lower);
    const NameSlot& slot = slots_[slot_of(name, name_hash(name))];
    if (slot.id == NameSlot::kEmpty) return std::nullopt;
    // The assignments to `name`, in script order.
    const auto first = assigns_.begin() + static_cast<std::ptrdiff_t>(group_begin_[slot.id]);
    const auto last = assigns_.begin() + static_cast<std::ptrdiff_t>(group_begin_[slot.id + 1]);
    auto after = std::lower_bound(first, last, use,
                                  [](const Assign& a, std::size_t u) { return a.dollar < u; });
    return after == first ? first->value : std::prev(after)->value;
  }

  /// The variable name at `pos` ("$name" -> "name", lower case), or empty.
  std::string_view variable_at(std::size_t pos, std::size_t* end = nullptr) const {
    if (pos >= size() || n_.text[pos] != '$') return {};
    std::size_t j = pos + 1;
    while (j < size() && is_name_char(n_.text[j])) ++j;
    if (end) *end = j;
    return std::string_view(n_.lower).substr(pos + 1, j - pos - 1);
  }

  /// The string value of the expression at `pos`: a literal, a variable
  /// (followed to its assignment), or a base64 decoding expression.
  std::optional<Value> eval(std::size_t pos, int depth = 0) const {
    if (depth > kMaxDepth) return std::nullopt;
    pos = unwrap(pos);
    if (pos >= size()) return std::nullopt;
    if (const Literal* lit = literal_at(pos)) {
      if (!lit->constant) return std::nullopt;
      return Value{std::string(n_.value(*lit)), false};
    }
    if (auto decoded = eval_decode(pos)) return decoded;
    std::size_t var_end = 0;
    const std::string_view name = variable_at(pos, &var_end);
    if (!name.empty()) {
      const std::size_t after = skip_ws(var_end);
      // $x.Property or $x[..] is not the variable's value.
      if (after < size() && (n_.text[after] == '.' || n_.text[after] == '[')) return std::nullopt;
      if (auto at = assignment(name, pos); at && *at != pos) return eval(*at, depth + 1);
    }
    return std::nullopt;
  }

  /// Every string the expression at `pos` may be: a list of literals
  /// (@('/a','/b'), '/a','/b'), or one value.
  std::vector<std::string> eval_list(std::size_t pos, int depth = 0) const {
    if (depth > kMaxDepth) return {};
    pos = skip_ws(pos);
    std::size_t var_end = 0;
    const std::string_view name = variable_at(pos, &var_end);
    if (!name.empty()) {
      const std::size_t after = skip_ws(var_end);
      if (after < size() && (n_.text[after] == '.' || n_.text[after] == '[')) return {};
      if (auto at = assignment(name, pos)) return eval_list(*at, depth + 1);
      return {};
    }
    const Literal* lit = literal_at(pos);
    const bool array = starts_with(pos, "@(");
    if (array || (lit && text_at(skip_ws(lit->end)) == ',')) {
      const std::size_t end = expr_end(array ? pos + 2 : pos);
      std::vector<std::string> out;
      for (auto it = first_literal_from(pos); it != n_.literals.end() && it->begin < end; ++it) {
        if (it->constant) out.emplace_back(n_.value(*it));
      }
      return out;
    }
    if (auto v = eval(pos, depth)) return {std::move(v->text)};
    return {};
  }

  char text_at(std::size_t pos) const { return pos < size() ? n_.text[pos] : '\0'; }

 private:
  struct Assign {
    std::size_t dollar = 0;  ///< position of '$'
    std::size_t value = 0;   ///< position of the value
  };

  /// A variable name (lower case, without scope) and its id: its group of
  /// assignments is assigns_[group_begin_[id], group_begin_[id + 1]).
  struct NameSlot {
    static constexpr std::uint32_t kEmpty = UINT32_MAX;
    std::string_view name;
    std::uint64_t hash = 0;
    std::uint32_t id = kEmpty;
  };

  static std::string_view strip_scope(std::string_view name) {
    static constexpr std::array<std::string_view, 4> kScopes = {
        "script:", "global:", "local:", "private:"};
    if (name.size() < 6) return name;  // shorter than any scope
    for (std::string_view scope : kScopes) {
      if (name.substr(0, scope.size()) == scope) return name.substr(scope.size());
    }
    return name;
  }

  /// FNV-1a of the name.
  static std::uint64_t name_hash(std::string_view name) {
    std::uint64_t h = 14695981039346656037ULL;
    for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return h;
  }

  /// The index of the slot of `name`, or of the empty slot where it would go
  /// (the table is never more than half full).
  std::size_t slot_of(std::string_view name, std::uint64_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t k = hash & mask;; k = (k + 1) & mask) {
      const NameSlot& slot = slots_[k];
      if (slot.id == NameSlot::kEmpty || (slot.hash == hash && slot.name == name)) return k;
    }
  }

  /// The id of `name`, a new one (`names` counts them) the first time.
  std::uint32_t intern(std::string_view name, std::uint32_t& names) {
    const std::uint64_t hash = name_hash(name);
    std::size_t k = slot_of(name, hash);
    if (slots_[k].id != NameSlot::kEmpty) return slots_[k].id;
    if (2 * (std::size_t{names} + 1) > slots_.size()) {  // keep it at most half full
      std::vector<NameSlot> old(2 * slots_.size(), NameSlot{});
      old.swap(slots_);
      for (const NameSlot& o : old) {
        if (o.id != NameSlot::kEmpty) slots_[slot_of(o.name, o.hash)] = o;
      }
      k = slot_of(name, hash);
    }
    slots_[k] = {name, hash, names};
    return names++;
  }

  std::vector<Literal>::const_iterator first_literal_from(std::size_t pos) const {
    return std::lower_bound(n_.literals.begin(), n_.literals.end(), pos,
                            [](const Literal& l, std::size_t p) { return l.begin < p; });
  }

  /// One pass over the lower-case text for every needle of kNeedles.
  void find_needles() {
    const char* t = n_.lower.data();
    const std::size_t n = n_.lower.size();
    NeedleState st{n_.literals.begin(), {}, {}, {}};
    const auto slot_at = [t](std::size_t i) {
      return kPrefixTable.slot[prefix_hash(prefix_of(t + i))];
    };
    const std::size_t starts = n >= kNeedlePrefix ? n - kNeedlePrefix + 1 : 0;
    std::size_t i = 0;
    for (; i + 4 <= starts; i += 4) {  // four positions at a time: needles are rare
      const std::uint8_t s0 = slot_at(i);
      const std::uint8_t s1 = slot_at(i + 1);
      const std::uint8_t s2 = slot_at(i + 2);
      const std::uint8_t s3 = slot_at(i + 3);
      if ((s0 | s1 | s2 | s3) == 0) continue;
      if (s0 != 0) match_needles(i, s0, st);
      if (s1 != 0) match_needles(i + 1, s1, st);
      if (s2 != 0) match_needles(i + 2, s2, st);
      if (s3 != 0) match_needles(i + 3, s3, st);
    }
    for (; i < starts; ++i) {
      if (const std::uint8_t s0 = slot_at(i); s0 != 0) match_needles(i, s0, st);
    }
    // Group the hits by call, each in script order.
    for (std::size_t c = 0; c < kCallCount; ++c) {
      call_begin_[c + 1] = call_begin_[c] + st.call_count[c];
    }
    call_positions_.resize(st.hits.size());
    std::array<std::size_t, kCallCount> next{};
    std::copy_n(call_begin_.begin(), kCallCount, next.begin());
    for (const auto& [call, pos] : st.hits) call_positions_[next[call]++] = pos;
  }

  struct NeedleState {
    std::vector<Literal>::const_iterator literal;  ///< the first that ends after the position
    std::array<int, kCaseTokenCount> token_seen;
    std::array<std::size_t, kCallCount> call_count;
    std::vector<std::pair<Call, std::size_t>> hits;  ///< calls, in script order
  };

  /// The needles of prefix slot `slot` that occur at `i` (positions only grow).
  void match_needles(std::size_t i, std::uint8_t slot, NeedleState& st) {
    const std::string_view t(n_.lower);
    // Strictly inside a literal?
    const auto inside = [&] {
      while (st.literal != n_.literals.end() && st.literal->end <= i) ++st.literal;
      return st.literal != n_.literals.end() && st.literal->begin < i;
    };
    const std::uint32_t prefix = prefix_of(t.data() + i);
    for (std::uint32_t set = kPrefixTable.needles[slot]; set != 0; set &= set - 1) {
      const Needle& nd = kNeedles[static_cast<std::size_t>(std::countr_zero(set))];
      if (prefix != prefix_of(nd.text.data()) || t.size() - i < nd.text.size() ||
          t.compare(i + kNeedlePrefix, nd.text.size() - kNeedlePrefix,
                    nd.text.substr(kNeedlePrefix)) != 0) {
        continue;
      }
      if (nd.marker >= 0) {
        markers_ |= 1U << nd.marker;
      } else if (nd.call >= 0) {
        const auto call = static_cast<Call>(nd.call);
        if (st.call_count[call] < kMaxCalls && !inside()) {
          ++st.call_count[call];
          st.hits.emplace_back(call, i + nd.text.size());
        }
      } else if (st.token_seen[static_cast<std::size_t>(nd.token)] < 64) {
        // The first 64 occurrences of each token are looked at.
        ++st.token_seen[static_cast<std::size_t>(nd.token)];
        if (!inside() && n_.text.compare(i, nd.usual.size(), nd.usual) != 0) {
          case_randomized_ = true;
        }
      }
    }
  }

  std::size_t unwrap(std::size_t pos) const {
    pos = skip_ws(pos);
    for (int guard = 0; guard < 16 && pos < size(); ++guard) {
      if (n_.text[pos] == '$' && pos + 1 < size() && n_.text[pos + 1] == '(') {
        pos = skip_ws(pos + 2);
      } else if (n_.text[pos] == '(') {
        pos = skip_ws(pos + 1);
      } else {
        break;
      }
    }
    return pos;
  }

  bool consume(std::size_t& pos, std::initializer_list<std::string_view> options) const {
    for (std::string_view o : options) {
      if (starts_with(pos, o)) {
        pos = skip_ws(pos + o.size());
        return true;
      }
    }
    return false;
  }

  /// [Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('...'))
  /// (or UTF8/ASCII) -> the decoded text.
  std::optional<Value> eval_decode(std::size_t pos) const {
    if (!consume(pos, {"[system.text.encoding]::", "[text.encoding]::"})) return std::nullopt;
    bool utf16 = false;
    if (consume(pos, {"unicode.getstring("})) {
      utf16 = true;
    } else if (!consume(pos, {"utf8.getstring(", "ascii.getstring("})) {
      return std::nullopt;
    }
    pos = unwrap(pos);
    if (!consume(pos, {"[system.convert]::frombase64string(", "[convert]::frombase64string("})) {
      return std::nullopt;
    }
    pos = unwrap(pos);
    const Literal* lit = literal_at(pos);
    if (!lit || !lit->constant) return std::nullopt;
    auto bytes = codec::decode_base64(n_.value(*lit));
    if (!bytes) return std::nullopt;
    if (!utf16) return Value{std::move(*bytes), false};
    auto text = codec::decode_utf16(*bytes, codec::Endian::kLittle);
    if (!text) return std::nullopt;
    return Value{std::move(*text), true};
  }

  Normalized n_;
  std::uint32_t markers_ = 0;  ///< bit m: Marker m occurs
  bool case_randomized_ = false;
  /// Per call, its positions (call_begin_[c] to call_begin_[c + 1]).
  std::vector<std::size_t> call_positions_;
  std::array<std::size_t, kCallCount + 1> call_begin_{};
  /// Every `$name = value` of the code, grouped by name (see NameSlot).
  std::vector<Assign> assigns_;
  std::vector<std::size_t> group_begin_;
  std::vector<NameSlot> slots_;  ///< a power of two, at most half full
};

struct Header {
  std::string name;
  std::string value;
};

std::vector<Header> headers(const Script& s) {
  std::vector<Header> out;
  for (std::size_t open : s.calls(kHeadersAdd)) {
    auto args = s.split(open, ',');
    if (args.size() < 2) continue;
    auto name = s.eval(args[0].begin);
    auto value = s.eval(args[1].begin);
    if (!name || !value) continue;
    out.push_back({std::string(trim(name->text)), std::move(value->text)});
  }
  return out;
}

std::string classify_proxy(const Script& s, std::size_t pos, std::string* url, int depth = 0) {
  pos = s.skip_ws(pos);
  const std::size_t end = s.expr_end(pos);
  const std::string_view w = std::string_view(s.lower()).substr(pos, end - pos);
  if (w.substr(0, 5) == "$null" || w.find("getemptywebproxy") != std::string_view::npos) {
    return "none";
  }
  if (w.find("defaultwebproxy") != std::string_view::npos ||
      w.find("getsystemwebproxy") != std::string_view::npos ||
      w.find("getdefaultproxy") != std::string_view::npos) {
    return "default";
  }
  const std::size_t wp = w.find("webproxy");
  if (wp != std::string_view::npos) {
    const std::size_t open = s.text().find('(', pos + wp);
    if (open != std::string::npos && open < end) {
      auto args = s.split(open + 1, ',');
      if (!args.empty()) {
        if (auto v = s.eval(args[0].begin)) *url = std::move(v->text);
      }
    }
    return "explicit";
  }
  if (depth < kMaxDepth) {
    const std::string_view name = s.variable_at(pos);
    if (!name.empty()) {
      if (auto at = s.assignment(name, pos); at && *at != pos) {
        return classify_proxy(s, *at, url, depth + 1);
      }
    }
  }
  return {};
}

std::string classify_creds(const Script& s, std::size_t pos, int depth = 0) {
  pos = s.skip_ws(pos);
  const std::size_t end = s.expr_end(pos);
  const std::string_view w = std::string_view(s.lower()).substr(pos, end - pos);
  if (w.substr(0, 5) == "$null") return "none";
  if (w.find("defaultnetworkcredentials") != std::string_view::npos ||
      w.find("defaultcredentials") != std::string_view::npos) {
    return "default";
  }
  if (w.find("networkcredential") != std::string_view::npos) return "explicit";
  if (depth < kMaxDepth) {
    const std::string_view name = s.variable_at(pos);
    if (!name.empty()) {
      if (auto at = s.assignment(name, pos); at && *at != pos) {
        return classify_creds(s, *at, depth + 1);
      }
    }
  }
  return {};
}

/// Positions of the values assigned to `.<member> = ...` (not `==`).
std::vector<std::size_t> member_assignments(const Script& s, Call member) {
  std::vector<std::size_t> out;
  for (std::size_t after : s.calls(member)) {
    const char next = s.text_at(after);
    if (is_name_char(next) || next == '.') continue;
    const std::size_t p = s.skip_ws(after);
    if (s.text_at(p) == '=' && s.text_at(p + 1) != '=') out.push_back(s.skip_ws(p + 1));
  }
  return out;
}

EmpireProxy parse_proxy(const Script& s) {
  EmpireProxy proxy;
  bool creds_seen = false;
  for (std::size_t pos : member_assignments(s, kProxyMember)) {
    std::string url;
    const std::string mode = classify_proxy(s, pos, &url);
    if (mode.empty()) continue;
    proxy.mode = mode;
    proxy.url = mode == "explicit" ? url : std::string();
  }
  for (std::size_t pos : member_assignments(s, kCredentialsMember)) {
    const std::string creds = classify_creds(s, pos);
    if (creds.empty()) continue;
    proxy.creds = creds;
    creds_seen = true;
  }
  if (!creds_seen) proxy.creds = "none";
  return proxy;
}

bool tls_validation_disabled(const Script& s) {
  for (std::size_t pos : member_assignments(s, kCertCallbackMember)) {
    if (s.text_at(pos) != '{') continue;
    std::size_t p = s.skip_ws(pos + 1);
    if (!s.starts_with(p, "$true")) continue;
    p = s.skip_ws(p + 5);
    if (s.text_at(p) == '}') return true;
  }
  return false;
}

struct Download {
  std::string server;
  std::vector<std::string> uris;
  bool server_base64 = false;
  bool found = false;
};

void split_url(std::string_view url, Download& d) {
  const std::size_t scheme = url.find("://");
  const std::size_t path = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (path == std::string_view::npos) {
    d.server.assign(url);
    return;
  }
  d.server.assign(url.substr(0, path));
  d.uris.emplace_back(url.substr(path));
}

Download parse_download(const Script& s) {
  // Prefer a call that joins a server and a URI ($ser+$t); Empire's Host-header
  // variant also fetches $ser alone first.
  Download d;
  std::optional<Download> single;
  for (Call method : {kDownloadData, kDownloadString, kOpenRead}) {
    for (std::size_t open : s.calls(method)) {
      d.found = true;
      auto terms = s.split(open, '+');
      if (terms.empty() || terms.size() > 16) continue;
      auto first = s.eval(terms[0].begin);
      if (!first) continue;
      if (terms.size() == 1) {
        if (!single) {
          single = Download{};
          split_url(first->text, *single);
          single->server_base64 = first->base64_utf16;
        }
        continue;
      }
      d.server = std::move(first->text);
      d.server_base64 = first->base64_utf16;
      if (terms.size() == 2) {
        d.uris = s.eval_list(terms[1].begin);
      } else {
        std::string uri;
        for (std::size_t t = 1; t < terms.size(); ++t) {
          if (auto v = s.eval(terms[t].begin)) uri += v->text;
        }
        if (!uri.empty()) d.uris.push_back(std::move(uri));
      }
      return d;
    }
  }
  if (single) {
    single->found = true;
    return std::move(*single);
  }
  return d;
}

std::string staging_key(const Script& s) {
  for (Call method : {kAsciiGetBytes, kGetBytes}) {
    for (std::size_t open : s.calls(method)) {
      auto args = s.split(open, ',');
      if (args.size() != 1) continue;
      if (auto v = s.eval(args[0].begin); v && !v->text.empty()) return std::move(v->text);
    }
  }
  return {};
}

/// RC4 of `data` (at most 16 bytes) under `key` (1 to 256 bytes): the routing
/// packet header of a cookie.
std::array<std::uint8_t, 16> rc4_header(std::string_view key, std::string_view data) {
  std::array<std::uint8_t, 256> state;
  for (std::size_t i = 0; i < state.size(); ++i) state[i] = static_cast<std::uint8_t>(i);
  std::uint8_t j = 0;
  std::size_t k = 0;
  for (std::size_t i = 0; i < state.size(); ++i) {
    j = static_cast<std::uint8_t>(j + state[i] + static_cast<std::uint8_t>(key[k]));
    std::swap(state[i], state[j]);
    if (++k == key.size()) k = 0;
  }
  std::array<std::uint8_t, 16> out{};
  std::uint8_t a = 0;
  j = 0;
  for (std::size_t n = 0; n < data.size() && n < out.size(); ++n) {
    a = static_cast<std::uint8_t>(a + 1);
    j = static_cast<std::uint8_t>(j + state[a]);
    std::swap(state[a], state[j]);
    out[n] = static_cast<std::uint8_t>(static_cast<std::uint8_t>(data[n]) ^
                                       state[static_cast<std::uint8_t>(state[a] + state[j])]);
  }
  return out;
}

}  // namespace

Result<EmpireCookie> decrypt_empire_cookie(std::string_view cookie_base64,
                                           std::string_view staging_key) {
  auto bytes = codec::decode_base64(trim(cookie_base64), {.strict = true, .max_output = kMiB});
  if (!bytes) {
    return make_error(ErrorCode::kInvalidInput, "cookie is not base64: " + bytes.error().message);
  }
  if (bytes->size() < 20) {
    return make_error(ErrorCode::kInvalidInput,
                      "cookie has " + std::to_string(bytes->size()) +
                          " bytes, an IV and a routing packet header need 20");
  }
  if (staging_key.size() > 252) {
    return make_error(ErrorCode::kInvalidInput, "staging key longer than 252 bytes");
  }
  // The key is IV || staging key: 4 to 256 bytes, always a valid RC4 key.
  std::array<char, 256> key{};
  std::memcpy(key.data(), bytes->data(), 4);
  std::copy(staging_key.begin(), staging_key.end(), key.begin() + 4);
  const auto plain = rc4_header(std::string_view(key.data(), 4 + staging_key.size()),
                                std::string_view(*bytes).substr(4, 16));
  const auto byte = [&](std::size_t i) { return plain[i]; };
  EmpireCookie cookie;
  cookie.session_id.resize(8);
  for (std::size_t i = 0; i < 8; ++i) {
    cookie.session_id[i] =
        (plain[i] >= 0x20 && plain[i] < 0x7f) ? static_cast<char>(plain[i]) : '?';
  }
  cookie.language = byte(8);
  cookie.meta = byte(9);
  cookie.additional = byte(10) | (byte(11) << 8);
  cookie.length =
      static_cast<std::uint32_t>(byte(12)) | (static_cast<std::uint32_t>(byte(13)) << 8) |
      (static_cast<std::uint32_t>(byte(14)) << 16) | (static_cast<std::uint32_t>(byte(15)) << 24);
  cookie.verified = std::memcmp(plain.data(), "00000000", 8) == 0 && cookie.language == 1 &&
                    cookie.meta == 1 && cookie.additional == 0 && cookie.length == 0;
  return cookie;
}

std::optional<EmpireConfig> parse_empire_stager(std::string_view script) {
  Script s(script);

  // Quick reject, before any value is evaluated: without a download call, or
  // when even every marker that is still possible would not reach 6, the
  // result is nullopt whatever the values are.
  const bool has_download = !s.calls(kDownloadData).empty() || !s.calls(kDownloadString).empty() ||
                            !s.calls(kOpenRead).empty();
  if (!has_download) return std::nullopt;
  const bool amsi = s.contains(kAmsiUtils) || s.contains(kAmsiInitFailed);
  const bool sbl = s.contains(kCachedGroupPolicySettings) || s.contains(kEnableScriptBlockLogging);
  const bool etw = s.contains(kPsEtwLogProvider) || s.contains(kEtwProvider);
  const bool rc4_block = s.contains(kByteRange) && s.contains(kBxor);
  const bool utf8_stage = s.contains(kUtf8Stage);
  {
    const bool have_headers = !s.calls(kHeadersAdd).empty();
    const bool have_key = !s.calls(kAsciiGetBytes).empty() || !s.calls(kGetBytes).empty();
    int possible = 2;  // the download call, and the server it may name
    possible += s.contains(kNetWebClient);
    possible += have_headers ? 2 : 0;  // user agent, cookie
    possible += have_key || utf8_stage;
    possible += rc4_block || utf8_stage;
    possible += s.contains(kExpect100Continue);
    possible += amsi || sbl || etw;
    possible += s.contains(kIvSlice) || utf8_stage;
    if (possible < 6) return std::nullopt;
  }
  s.index_assignments();

  EmpireConfig cfg;
  for (Header& h : headers(s)) {
    if (iequals(h.name, "User-Agent")) {
      if (cfg.ua.empty()) cfg.ua = std::move(h.value);
    } else if (iequals(h.name, "Cookie")) {
      if (!cfg.cookie_name.empty()) continue;
      std::string_view v = trim(h.value);
      v = v.substr(0, v.find(';'));
      const std::size_t eq = v.find('=');
      if (eq == std::string_view::npos) continue;
      cfg.cookie_name.assign(trim(v.substr(0, eq)));
      cfg.session_cookie.assign(trim(v.substr(eq + 1)));
    } else {
      cfg.custom_headers.push_back(h.name + ": " + h.value);
    }
  }

  Download d = parse_download(s);
  cfg.server = std::move(d.server);
  cfg.uris = std::move(d.uris);
  if (!cfg.server.empty()) cfg.server_encoding = d.server_base64 ? "base64_utf16le" : "plain";
  cfg.staging_key = staging_key(s);
  cfg.proxy = parse_proxy(s);
  cfg.tls_validation_disabled = tls_validation_disabled(s);

  if (amsi) cfg.bypasses.emplace_back("amsi");
  if (sbl) cfg.bypasses.emplace_back("scriptblock_logging");
  if (etw) cfg.bypasses.emplace_back("etw");

  int markers = 0;
  markers += s.contains(kNetWebClient);
  markers += !cfg.ua.empty();
  markers += !cfg.session_cookie.empty();
  markers += d.found;
  markers += !cfg.server.empty();
  markers += !cfg.staging_key.empty() || utf8_stage;
  markers += rc4_block || utf8_stage;
  markers += s.contains(kExpect100Continue);
  markers += !cfg.bypasses.empty();
  markers += s.contains(kIvSlice) || utf8_stage;
  if (!d.found || markers < 6) return std::nullopt;
  cfg.confidence = markers / 10.0;

  const bool renamed_cookie = !cfg.cookie_name.empty() && cfg.cookie_name != "session";
  if (!rc4_block && utf8_stage) {
    cfg.variant = "6.3+";
  } else if (etw) {
    cfg.variant = "bc-3.x-5.x";
  } else if (d.server_base64 || renamed_cookie) {
    cfg.variant = s.case_randomized() ? "2.5-dev" : "bc-3.x-5.x";
  } else if (sbl) {
    cfg.variant = "2.2-2.4";
  } else {
    cfg.variant = "2.0";
  }

  if (cfg.variant != "6.3+" && !cfg.session_cookie.empty() && !cfg.staging_key.empty()) {
    if (auto cookie = decrypt_empire_cookie(cfg.session_cookie, cfg.staging_key)) {
      cfg.cookie_decoded = std::move(*cookie);
    }
  }
  return cfg;
}

}  // namespace ioc::stager
