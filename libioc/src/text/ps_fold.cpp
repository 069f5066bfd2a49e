// ps_fold.cpp — constant folding of PowerShell string obfuscation.
//
// Each round has three stages:
//  1. a one-pass lexer: string literals (with their values), here-strings,
//     comments, numbers, type literals such as [char], operators and
//     brackets (matched in a second, linear pass);
//  2. an error-tolerant recursive-descent parser that follows PowerShell's
//     operator precedence, evaluates constant sub-expressions bottom-up and
//     records the outermost constant string expressions (a node that is not
//     constant hands its constant children on as replacements);
//  3. an output pass that writes those replacements and rewrites the tokens
//     that need no parse: double-quoted literals with backtick escapes, bare
//     words with backticks, line continuations.
//
// Choices (see also the header):
//  - A parenthesised expression keeps its parentheses: ('a'+'b') -> ('ab'), so
//    IEX(('...')) stays valid; only the expression inside is replaced.
//  - Double-quoted literals whose backticks resolve to ordinary characters or
//    control characters are rewritten as single-quoted literals, member names
//    too: ."GEtFie`LD"( -> .'GEtFieLD'(.
//  - Command arguments are not folded as expressions (`Write-Host 'a'+'b'`
//    passes three arguments); parenthesised arguments are: IEX ('a'+'b').
//  - [char]N on its own stays (a char is not a string); it is folded as part
//    of a string expression. char + char and char + string concatenate.
//  - Numbers are folded only inside string expressions ('a'+1, [char](80+3));
//    arithmetic on its own and 'a' * 3 stay as they are.
//  - `e and `u{...} are read as PowerShell 7 reads them (ESC, the code point),
//    as the header documents; Windows PowerShell 5.1 reads `e as e. An
//    invalid `u{...} makes the literal non-constant.
//  - FoldResult::folds counts every replacement: folded expressions and
//    rewritten literals, words and line continuations, over all rounds.
//  - An input longer than max_output comes back cut to max_output (at a UTF-8
//    boundary), unfolded, with `truncated` set.
//  - find_powershell_strings reports top-level, terminated literals: not the
//    ones inside "$( )" of another literal, not an unterminated one.
//  - Recursion is bounded by kMaxDepth nested brackets; deeper groups are left
//    as they are. Work is bounded by a budget proportional to the input, so a
//    long chain of .Replace() calls on a large string cannot go quadratic.
//    Arrays hold at most kMaxItems elements.
#include "ioc/text/ps_fold.hpp"

#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ioc::text {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
constexpr int kMaxDepth = 64;                            // nested brackets parsed
constexpr std::size_t kMaxItems = std::size_t{1} << 16;  // elements of one array value
constexpr std::int64_t kIntMin = -2147483648LL;
constexpr std::int64_t kIntMax = 2147483647LL;

// ---------------------------------------------------------------------------
// Kinds of obfuscation, in the header's spelling.

enum Kind : std::uint8_t {
  kKindBacktick,
  kKindConcat,
  kKindFormat,
  kKindChar,
  kKindJoin,
  kKindReplace,
  kKindReverse,
  kKindEscape,
  kKindCount
};
constexpr std::array<const char*, kKindCount> kKindNames = {
    "backtick", "concat", "format", "char", "join", "replace", "reverse", "escape"};

struct KindList {
  std::array<std::uint8_t, kKindCount> ids{};
  std::uint8_t size = 0;
  void add(std::uint8_t id) {
    for (std::uint8_t i = 0; i < size; ++i)
      if (ids[i] == id) return;
    if (size < kKindCount) ids[size++] = id;
  }
  void merge(const KindList& other) {
    for (std::uint8_t i = 0; i < other.size; ++i) add(other.ids[i]);
  }
};

// ---------------------------------------------------------------------------
// Characters.

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}
bool is_ident(char c) {
  return is_alpha(c) || is_digit(c) || c == '_';
}
bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}
bool is_newline(char c) {
  return c == '\r' || c == '\n';
}
bool is_high(char c) {
  return static_cast<unsigned char>(c) >= 0x80;
}
char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

// The code point at s[i] and its length; a negative value for an ill-formed
// sequence (length 1 then).
UChar32 code_point_at(std::string_view s, std::size_t i, std::size_t* len) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data()) + i;
  const auto length = static_cast<std::int32_t>(std::min<std::size_t>(4, s.size() - i));
  std::int32_t k = 0;
  UChar32 c = 0;
  U8_NEXT(p, k, length, c);
  *len = k > 0 ? static_cast<std::size_t>(k) : 1;
  return c;
}

void append_code_point(std::string* out, UChar32 c) {
  std::uint8_t buf[4];
  std::int32_t k = 0;
  UBool error = false;
  U8_APPEND(buf, k, 4, c, error);
  if (!error) out->append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(k));
}

// E2 80 xx with lo <= xx <= hi: the typographic quotes and dashes PowerShell
// accepts in place of ' " and -.
bool e280_at(std::string_view s, std::size_t i, unsigned char lo, unsigned char hi) {
  if (i + 2 >= s.size()) return false;
  const auto b2 = static_cast<unsigned char>(s[i + 2]);
  return static_cast<unsigned char>(s[i]) == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
         b2 >= lo && b2 <= hi;
}
// Length of a single-quote character at s[i] (' and U+2018..U+201B), or 0.
std::size_t single_quote_len(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  if (s[i] == '\'') return 1;
  return e280_at(s, i, 0x98, 0x9B) ? 3 : 0;
}
// Length of a double-quote character at s[i] (" and U+201C..U+201E), or 0.
std::size_t double_quote_len(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  if (s[i] == '"') return 1;
  return e280_at(s, i, 0x9C, 0x9E) ? 3 : 0;
}
// Length of a typographic dash (U+2013..U+2015), or 0.
std::size_t dash_len(std::string_view s, std::size_t i) {
  return e280_at(s, i, 0x93, 0x95) ? 3 : 0;
}

// Length of a word character at s[i] (letters, digits, _, most non-ASCII), or 0.
std::size_t word_char_len(std::string_view s, std::size_t i) {
  const char c = s[i];
  if (is_ident(c)) return 1;
  if (!is_high(c)) return 0;
  if (single_quote_len(s, i) || double_quote_len(s, i) || dash_len(s, i)) return 0;
  std::size_t len = 1;
  const UChar32 cp = code_point_at(s, i, &len);
  if (cp == 0x85 || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 ||
      cp == 0x3000 || cp == 0xFEFF)
    return 0;  // whitespace
  return len;
}

// A backtick before one of these in a bare word or a double-quoted string is
// an escape of an ordinary character, i.e. a no-op. `0 `a `b `f `n `r `t `v
// are special (case-sensitive), so those backticks stay. `e and `u{...} are
// escapes only in PowerShell 7; obfuscated scripts target Windows PowerShell
// 5.1, where they are plain 'e' and 'u' — we read them as 5.1 does.
bool removable_tick(char c) {
  if (!(is_ident(c) || c == '-')) return false;
  switch (c) {
    case '0':
    case 'a':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
    case 'v': return false;
    default: return true;
  }
}

std::string remove_ticks(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word[i] == '`' && i + 1 < word.size() && removable_tick(word[i + 1])) continue;
    out.push_back(word[i]);
  }
  return out;
}

// 'value' with every single-quote character doubled: PowerShell's escape.
std::string quote_literal(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  out.push_back('\'');
  for (std::size_t i = 0; i < value.size();) {
    if (const std::size_t q = single_quote_len(value, i)) {
      out.append(value.substr(i, q));
      out.append(value.substr(i, q));
      i += q;
      continue;
    }
    out.push_back(value[i]);
    ++i;
  }
  out.push_back('\'');
  return out;
}

// ---------------------------------------------------------------------------
// Tokens.

enum class Tk : std::uint8_t {
  kSpace,     // blanks
  kNewline,   // blanks with at least one line break
  kLineCont,  // backtick + line break
  kComment,
  kString,
  kNumber,
  kVariable,  // $x ${x} $env:x @splat
  kType,      // [char] [char[]] [string] [System.Text.Encoding] ...
  kWord,      // bare word: command names, arguments, member names, keywords
  kDashOp,    // -f -join -replace ... (and command parameters)
  kPunct,
  kOpen,
  kClose,
  kOther,
  kEnd  // sentinel
};

// String flags.
constexpr std::uint8_t kStrTerminated = 1;
constexpr std::uint8_t kStrDouble = 2;
constexpr std::uint8_t kStrHere = 4;
constexpr std::uint8_t kStrBacktick = 8;  // `X with X ordinary
constexpr std::uint8_t kStrEscape = 16;   // `n `t `0 `u{...} ...
constexpr std::uint8_t kStrExpand = 32;   // $var $(...) ${...}
constexpr std::uint8_t kStrInvalid = 64;  // `u without a valid {code point}
// Number flag.
constexpr std::uint8_t kNumValid = 1;  // an integer 0..2^31-1 without suffix
// Word flag.
constexpr std::uint8_t kWordTicks = 1;  // has removable backticks

// Punctuation ids: the character itself, or one of these.
enum : std::uint32_t {
  kPDollarParen = 256,  // $(
  kPAtParen,            // @(
  kPAtBrace,            // @{
  kPRange,              // ..
  kPStatic,             // ::
  kPAndAnd,             // &&
  kPOrOr,               // ||
};

// Type ids.
enum : std::uint32_t { kTypeOther, kTypeChar, kTypeCharArray, kTypeString, kTypeStringArray };

// Dash operator ids.
enum : std::uint32_t {
  kOpOther,
  kOpF,
  kOpJoin,
  kOpReplace,
  kOpIReplace,
  kOpCReplace,
  kOpLogical,  // -and -or -xor
  kOpBand,
  kOpBor,
  kOpBxor,
  kOpBitwise,    // -shl -shr
  kOpUnaryOnly,  // -not -bnot
};

struct Token {
  std::size_t begin = 0;
  std::size_t data = 0;   // kOpen: index of the matching kClose or kNone; kNumber: value
  std::uint32_t sub = 0;  // kString: index of its value; kType, kDashOp, kPunct, kOpen, kClose: id
  Tk type = Tk::kOther;
  std::uint8_t flags = 0;
};

bool string_constant(const Token& t) {
  return (t.flags & kStrTerminated) && !(t.flags & (kStrExpand | kStrInvalid));
}

struct Lexed {
  std::vector<Token> toks;  // ends with a kEnd sentinel at the end of the input
  std::vector<std::string> values;
  std::size_t end_of(std::size_t t) const { return toks[t + 1].begin; }
  std::size_t count() const { return toks.size() - 1; }
};

std::uint32_t closer_of(std::uint32_t open) {
  switch (open) {
    case '(':
    case kPDollarParen:
    case kPAtParen: return ')';
    case '{':
    case kPAtBrace: return '}';
    default: return ']';
  }
}

std::uint32_t dash_op_id(std::string_view lname) {
  if (lname == "f") return kOpF;
  if (lname == "join") return kOpJoin;
  if (lname == "replace") return kOpReplace;
  if (lname == "ireplace") return kOpIReplace;
  if (lname == "creplace") return kOpCReplace;
  if (lname == "and" || lname == "or" || lname == "xor") return kOpLogical;
  if (lname == "band") return kOpBand;
  if (lname == "bor") return kOpBor;
  if (lname == "bxor") return kOpBxor;
  if (lname == "shl" || lname == "shr") return kOpBitwise;
  if (lname == "not" || lname == "bnot") return kOpUnaryOnly;
  return kOpOther;
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s), n_(s.size()) {}

  Lexed run() {
    // Scripts run about one token per three bytes: reserve to avoid regrowing.
    out_.toks.reserve(n_ / 3 + 16);
    std::size_t i = 0;
    while (i < n_) i = next(i);
    push(Tk::kEnd, n_);
    match_brackets();
    return std::move(out_);
  }

 private:
  void push(Tk type, std::size_t begin, std::uint32_t sub = 0, std::size_t data = 0,
            std::uint8_t flags = 0) {
    out_.toks.push_back(Token{begin, data, sub, type, flags});
  }

  void push_string(std::size_t begin, std::string value, std::uint8_t flags) {
    out_.values.push_back(std::move(value));
    push(Tk::kString, begin, static_cast<std::uint32_t>(out_.values.size() - 1), 0, flags);
  }

  // Lexes one token at i; returns where the next one starts (> i).
  std::size_t next(std::size_t i) {
    const char c = s_[i];
    if (is_blank(c) || is_newline(c)) {
      bool line = false;
      std::size_t j = i;
      while (j < n_ && (is_blank(s_[j]) || is_newline(s_[j]))) line |= is_newline(s_[j++]);
      push(line ? Tk::kNewline : Tk::kSpace, i);
      return j;
    }
    if (c == '`') {
      if (i + 1 < n_ && is_newline(s_[i + 1])) {
        push(Tk::kLineCont, i);
        return (s_[i + 1] == '\r' && i + 2 < n_ && s_[i + 2] == '\n') ? i + 3 : i + 2;
      }
      if (i + 1 < n_ && !is_blank(s_[i + 1])) return word(i);
      push(Tk::kOther, i);
      return std::min(n_, i + 2);  // `<blank>: an escaped blank
    }
    if (const std::size_t q = single_quote_len(s_, i)) {
      std::string value;
      bool terminated = false;
      const std::size_t end = scan_single(i, q, &value, &terminated);
      push_string(i, std::move(value), terminated ? kStrTerminated : 0);
      return end;
    }
    if (const std::size_t q = double_quote_len(s_, i)) {
      std::string value;
      std::uint8_t flags = kStrDouble;
      const std::size_t end = scan_double(i, q, &value, &flags, 0);
      push_string(i, std::move(value), flags);
      return end;
    }
    if (c == '#') {
      const Tk prev = out_.toks.empty() ? Tk::kNewline : out_.toks.back().type;
      if (prev == Tk::kWord || prev == Tk::kNumber || prev == Tk::kDashOp) {
        push(Tk::kOther, i);  // inside a bare word
        return i + 1;
      }
      std::size_t j = i;
      while (j < n_ && !is_newline(s_[j])) ++j;
      push(Tk::kComment, i);
      return j;
    }
    if (c == '<' && i + 1 < n_ && s_[i + 1] == '#') {
      const std::size_t e = s_.find("#>", i + 2);
      push(Tk::kComment, i);
      return e == std::string_view::npos ? n_ : e + 2;
    }
    if (c == '@') return at_sign(i);
    if (c == '$') return dollar(i);
    if (c == '[') {
      std::uint32_t id = kTypeOther;
      if (const std::size_t e = scan_type(i, &id)) {
        push(Tk::kType, i, id);
        return e;
      }
      push(Tk::kOpen, i, '[', kNone);
      return i + 1;
    }
    if (c == '(' || c == '{') {
      push(Tk::kOpen, i, static_cast<std::uint32_t>(c), kNone);
      return i + 1;
    }
    if (c == ')' || c == ']' || c == '}') {
      push(Tk::kClose, i, static_cast<std::uint32_t>(c));
      return i + 1;
    }
    if (is_digit(c)) return number(i);
    if (c == '-' || dash_len(s_, i)) {
      const std::size_t dl = c == '-' ? 1 : 3;
      if (i + dl < n_ && is_alpha(s_[i + dl])) {
        std::size_t j = i + dl;
        while (j < n_ && is_ident(s_[j])) ++j;
        push(Tk::kDashOp, i, dash_op_id(lower_ascii(s_.substr(i + dl, j - i - dl))));
        return j;
      }
      if (c == '-' && i + 1 < n_ && (s_[i + 1] == '-' || s_[i + 1] == '=')) {
        push(Tk::kOther, i);
        return i + 2;
      }
      if (c == '-') {
        push(Tk::kPunct, i, '-');
        return i + 1;
      }
      push(Tk::kOther, i);
      return i + dl;
    }
    if (c == '+' || c == '*' || c == '/' || c == '%') {
      if (i + 1 < n_ && (s_[i + 1] == '=' || (c == '+' && s_[i + 1] == '+'))) {
        push(Tk::kOther, i);  // += ++ *= /= %=
        return i + 2;
      }
      push(Tk::kPunct, i, static_cast<std::uint32_t>(c));
      return i + 1;
    }
    if (c == '.') {
      if (i + 1 < n_ && s_[i + 1] == '.') {
        push(Tk::kPunct, i, kPRange);
        return i + 2;
      }
      push(Tk::kPunct, i, '.');
      return i + 1;
    }
    if (c == ':') {
      if (i + 1 < n_ && s_[i + 1] == ':') {
        push(Tk::kPunct, i, kPStatic);
        return i + 2;
      }
      push(Tk::kOther, i);
      return i + 1;
    }
    if (c == '&' || c == '|') {
      if (i + 1 < n_ && s_[i + 1] == c) {
        push(Tk::kPunct, i, c == '&' ? kPAndAnd : kPOrOr);
        return i + 2;
      }
      push(Tk::kPunct, i, static_cast<std::uint32_t>(c));
      return i + 1;
    }
    if (c == ',' || c == ';' || c == '!' || c == '=') {
      push(Tk::kPunct, i, static_cast<std::uint32_t>(c));
      return i + 1;
    }
    if (word_char_len(s_, i)) return word(i);
    std::size_t len = 1;
    if (is_high(c)) code_point_at(s_, i, &len);
    push(Tk::kOther, i);
    return i + len;
  }

  std::size_t word(std::size_t i) {
    std::uint8_t flags = 0;
    std::size_t j = i;
    while (j < n_) {
      if (s_[j] == '`') {
        if (j + 1 >= n_ || is_blank(s_[j + 1]) || is_newline(s_[j + 1])) break;
        if (removable_tick(s_[j + 1])) flags |= kWordTicks;
        std::size_t len = 1;
        if (is_high(s_[j + 1])) code_point_at(s_, j + 1, &len);
        j += 1 + len;
        continue;
      }
      if (s_[j] == '-' && j > i) {
        ++j;
        continue;
      }
      const std::size_t len = word_char_len(s_, j);
      if (len == 0) break;
      j += len;
    }
    if (j == i) {  // cannot happen (callers check), but never return without progress
      push(Tk::kOther, i);
      return i + 1;
    }
    push(Tk::kWord, i, 0, 0, flags);
    return j;
  }

  std::size_t number(std::size_t i) {
    std::size_t j = i;
    std::int64_t value = 0;
    bool valid = true;
    if (s_[i] == '0' && i + 2 < n_ && (s_[i + 1] == 'x' || s_[i + 1] == 'X') && is_hex(s_[i + 2])) {
      j = i + 2;
      while (j < n_ && is_hex(s_[j])) {
        if (valid) value = value * 16 + hex_value(s_[j]);
        if (value > kIntMax) valid = false;
        ++j;
      }
    } else {
      while (j < n_ && is_digit(s_[j])) {
        if (valid) value = value * 10 + (s_[j] - '0');
        if (value > kIntMax) valid = false;
        ++j;
      }
      if (j + 1 < n_ && s_[j] == '.' && is_digit(s_[j + 1])) {  // 1.5
        valid = false;
        ++j;
        while (j < n_ && is_digit(s_[j])) ++j;
      }
    }
    if (j < n_ && is_ident(s_[j])) {  // 10kb 1L 1e5 ...
      valid = false;
      while (j < n_ && is_ident(s_[j])) ++j;
    }
    push(Tk::kNumber, i, 0, valid ? static_cast<std::size_t>(value) : 0, valid ? kNumValid : 0);
    return j;
  }

  std::size_t at_sign(std::size_t i) {
    if (i + 1 < n_) {
      const std::size_t sq = single_quote_len(s_, i + 1);
      const std::size_t dq = sq ? 0 : double_quote_len(s_, i + 1);
      std::size_t content = 0;
      if ((sq || dq) && here_header(i + 1 + (sq ? sq : dq), &content))
        return here(i, dq != 0, content);
      if (s_[i + 1] == '(') {
        push(Tk::kOpen, i, kPAtParen, kNone);
        return i + 2;
      }
      if (s_[i + 1] == '{') {
        push(Tk::kOpen, i, kPAtBrace, kNone);
        return i + 2;
      }
      if (is_ident(s_[i + 1])) {  // @splat
        std::size_t j = i + 1;
        while (j < n_ && is_ident(s_[j])) ++j;
        push(Tk::kVariable, i);
        return j;
      }
    }
    push(Tk::kOther, i);
    return i + 1;
  }

  std::size_t dollar(std::size_t i) {
    if (i + 1 < n_) {
      const char d = s_[i + 1];
      if (d == '(') {
        push(Tk::kOpen, i, kPDollarParen, kNone);
        return i + 2;
      }
      if (d == '{') {
        std::size_t j = i + 2;
        while (j < n_ && s_[j] != '}') j += (s_[j] == '`' && j + 1 < n_) ? 2 : 1;
        push(Tk::kVariable, i);
        return std::min(n_, j + 1);
      }
      if (d == '?' || d == '^' || d == '$') {
        push(Tk::kVariable, i);
        return i + 2;
      }
      if (word_char_len(s_, i + 1)) {
        std::size_t j = i + 1;
        while (j < n_) {
          if (s_[j] == ':' && j + 1 < n_ && is_ident(s_[j + 1])) {  // $env:x $script:x
            ++j;
            continue;
          }
          const std::size_t len = word_char_len(s_, j);
          if (len == 0) break;
          j += len;
        }
        push(Tk::kVariable, i);
        return j;
      }
    }
    push(Tk::kOther, i);
    return i + 1;
  }

  // [name] or [name[]] with a letter first: a type literal. Returns its end or 0.
  std::size_t scan_type(std::size_t i, std::uint32_t* id) const {
    std::size_t j = i + 1;
    while (j < n_ && is_blank(s_[j])) ++j;
    if (j >= n_ || !is_alpha(s_[j])) return 0;
    std::size_t k = j;
    while (k < n_ && (is_ident(s_[k]) || s_[k] == '.')) ++k;
    std::string name = lower_ascii(s_.substr(j, k - j));
    while (k < n_ && is_blank(s_[k])) ++k;
    bool array = false;
    if (k + 1 < n_ && s_[k] == '[' && s_[k + 1] == ']') {
      array = true;
      k += 2;
      while (k < n_ && is_blank(s_[k])) ++k;
    }
    if (k >= n_ || s_[k] != ']') return 0;
    if (name.rfind("system.", 0) == 0) name.erase(0, 7);
    if (name == "char")
      *id = array ? kTypeCharArray : kTypeChar;
    else if (name == "string")
      *id = array ? kTypeStringArray : kTypeString;
    else
      *id = kTypeOther;
    return k + 1;
  }

  std::size_t scan_single(std::size_t i, std::size_t qlen, std::string* value,
                          bool* terminated) const {
    std::size_t j = i + qlen;
    while (j < n_) {
      if (const std::size_t q = single_quote_len(s_, j)) {
        if (const std::size_t q2 = single_quote_len(s_, j + q)) {  // '' is one quote
          value->append(s_.substr(j + q, q2));
          j += q + q2;
          continue;
        }
        *terminated = true;
        return j + q;
      }
      std::size_t k = j + 1;
      while (k < n_ && s_[k] != '\'' && !is_high(s_[k])) ++k;  // a run of plain bytes
      value->append(s_.substr(j, k - j));
      j = k;
    }
    *terminated = false;
    return n_;
  }

  // One backtick escape at s[j] (j + 1 < end); returns the index after it.
  std::size_t escape(std::size_t j, std::size_t end, std::string* value,
                     std::uint8_t* flags) const {
    const std::size_t k = j + 1;
    const char c = s_[k];
    char control = 0;
    switch (c) {
      case '0': control = '\0'; break;
      case 'a': control = '\a'; break;
      case 'b': control = '\b'; break;
      case 'f': control = '\f'; break;
      case 'n': control = '\n'; break;
      case 'r': control = '\r'; break;
      case 't': control = '\t'; break;
      case 'v': control = '\v'; break;
      case '\r':
      case '\n': {
        std::size_t m = k + 1;
        if (c == '\r' && m < end && s_[m] == '\n') ++m;
        value->append(s_.substr(k, m - k));
        *flags |= kStrBacktick;
        return m;
      }
      default: {
        std::size_t len = 1;
        if (is_high(c)) code_point_at(s_, k, &len);
        value->append(s_.substr(k, len));
        const bool special = c == '"' || c == '$' || c == '`' || c == '\'' ||
                             single_quote_len(s_, k) || double_quote_len(s_, k);
        if (!special) *flags |= kStrBacktick;
        return k + len;
      }
    }
    value->push_back(control);
    *flags |= kStrEscape;
    return k + 1;
  }

  // Whether the $ at s[j] starts an expansion in a double-quoted string.
  bool expands(std::size_t j, std::size_t end) const {
    if (j + 1 >= end) return false;
    const char d = s_[j + 1];
    return d == '(' || d == '{' || is_ident(d) || d == '?' || d == '^' || d == '$' || d == ':' ||
           is_high(d);
  }

  std::size_t scan_double(std::size_t i, std::size_t qlen, std::string* value, std::uint8_t* flags,
                          int depth) const {
    std::size_t j = i + qlen;
    while (j < n_) {
      const char c = s_[j];
      if (const std::size_t q = double_quote_len(s_, j)) {
        if (const std::size_t q2 = double_quote_len(s_, j + q)) {  // "" is one quote
          value->append(s_.substr(j + q, q2));
          j += q + q2;
          continue;
        }
        *flags |= kStrTerminated;
        return j + q;
      }
      if (c == '`') {
        if (j + 1 >= n_) return n_;
        j = escape(j, n_, value, flags);
        continue;
      }
      if (c == '$' && expands(j, n_)) {
        *flags |= kStrExpand;
        const char d = s_[j + 1];
        std::size_t e = j + 1;
        if (d == '(' && depth < kMaxDepth) {
          e = skip_subexpression(j + 2, depth + 1);
        } else if (d == '{') {
          e = j + 2;
          while (e < n_ && s_[e] != '}') e += (s_[e] == '`' && e + 1 < n_) ? 2 : 1;
          e = std::min(n_, e + 1);
        }
        value->append(s_.substr(j, e - j));
        j = e;
        continue;
      }
      value->push_back(c);
      ++j;
    }
    return n_;
  }

  // Code inside "...$( here )...": returns the index after the closing ')'.
  std::size_t skip_subexpression(std::size_t i, int depth) const {
    std::size_t open = 1;
    std::size_t j = i;
    while (j < n_) {
      const char c = s_[j];
      if (c == '(') {
        ++open;
      } else if (c == ')') {
        if (--open == 0) return j + 1;
      } else if (c == '`') {
        j += 2;
        continue;
      } else if (const std::size_t q = single_quote_len(s_, j)) {
        std::string ignored;
        bool terminated = false;
        j = scan_single(j, q, &ignored, &terminated);
        continue;
      } else if (const std::size_t dq = double_quote_len(s_, j); dq && depth < kMaxDepth) {
        std::string ignored;
        std::uint8_t flags = 0;
        j = scan_double(j, dq, &ignored, &flags, depth + 1);
        continue;
      } else if (c == '#' && (j == i || is_blank(s_[j - 1]) || is_newline(s_[j - 1]) ||
                              s_[j - 1] == ';' || s_[j - 1] == '(')) {
        while (j < n_ && !is_newline(s_[j])) ++j;
        continue;
      } else if (c == '<' && j + 1 < n_ && s_[j + 1] == '#') {
        const std::size_t e = s_.find("#>", j + 2);
        j = e == std::string_view::npos ? n_ : e + 2;
        continue;
      }
      ++j;
    }
    return n_;
  }

  // After @' or @": blanks then a line break. Sets the content's start.
  bool here_header(std::size_t j, std::size_t* content) const {
    while (j < n_ && is_blank(s_[j])) ++j;
    if (j >= n_ || !is_newline(s_[j])) return false;
    if (s_[j] == '\r' && j + 1 < n_ && s_[j + 1] == '\n') ++j;
    *content = j + 1;
    return true;
  }

  std::size_t here(std::size_t i, bool dbl, std::size_t content) {
    // The terminator is a line that starts with the closing quote and '@'.
    std::size_t line = content;
    std::size_t end = kNone;
    std::size_t content_end = n_;
    while (line < n_) {
      const std::size_t q = dbl ? double_quote_len(s_, line) : single_quote_len(s_, line);
      if (q && line + q < n_ && s_[line + q] == '@') {
        content_end = line;
        if (line > content) {
          --content_end;  // the line break before the terminator is not content
          if (s_[content_end] == '\n' && content_end > content && s_[content_end - 1] == '\r')
            --content_end;
        }
        end = line + q + 1;
        break;
      }
      std::size_t j = line;
      while (j < n_ && !is_newline(s_[j])) ++j;
      if (j >= n_) break;
      if (s_[j] == '\r' && j + 1 < n_ && s_[j + 1] == '\n') ++j;
      line = j + 1;
    }
    std::uint8_t flags = kStrHere | (dbl ? kStrDouble : 0);
    if (end != kNone) flags |= kStrTerminated;
    std::string value;
    if (!dbl) {
      value.assign(s_.substr(content, content_end - content));
    } else {
      std::size_t j = content;
      while (j < content_end) {
        if (s_[j] == '`' && j + 1 < content_end) {
          j = escape(j, content_end, &value, &flags);
          continue;
        }
        if (s_[j] == '$' && expands(j, content_end)) flags |= kStrExpand;
        value.push_back(s_[j]);
        ++j;
      }
    }
    push_string(i, std::move(value), flags);
    return end == kNone ? n_ : end;
  }

  void match_brackets() {
    std::vector<std::size_t> stack;
    for (std::size_t t = 0; t < out_.toks.size(); ++t) {
      const Token& tok = out_.toks[t];
      if (tok.type == Tk::kOpen) {
        stack.push_back(t);
      } else if (tok.type == Tk::kClose && !stack.empty() &&
                 closer_of(out_.toks[stack.back()].sub) == tok.sub) {
        out_.toks[stack.back()].data = t;
        stack.pop_back();
      }
    }
  }

  std::string_view s_;
  std::size_t n_;
  Lexed out_;
};

// ---------------------------------------------------------------------------
// Values and parse nodes.

enum class VK : std::uint8_t { kOpaque, kString, kChar, kInt, kArray, kRange, kType };

struct Value {
  VK k = VK::kOpaque;
  std::int64_t i = 0;    // kInt; kChar: UTF-16 code unit; kRange: from; kType: id
  std::int64_t j = 0;    // kRange: to
  std::string s;         // kString; kChar: UTF-8
  std::vector<Value> a;  // kArray
};

bool is_const(const Value& v) {
  return v.k == VK::kString || v.k == VK::kChar || v.k == VK::kInt || v.k == VK::kArray ||
         v.k == VK::kRange;
}
bool is_text(const Value& v) {
  return v.k == VK::kString || v.k == VK::kChar;
}
// Arrays hold scalars only (a nested array would join with $OFS: not folded).
bool is_scalar(const Value& v) {
  return is_text(v) || v.k == VK::kInt;
}

std::size_t range_count(const Value& v) {
  return static_cast<std::size_t>(v.i <= v.j ? v.j - v.i : v.i - v.j) + 1;
}

// Appends the text of a scalar as -join, -f and + write it.
bool append_text(const Value& v, std::string* out) {
  switch (v.k) {
    case VK::kString:
    case VK::kChar: out->append(v.s); return true;
    case VK::kInt:
      if (v.i < 0) return false;  // the minus sign depends on the culture
      out->append(std::to_string(v.i));
      return true;
    default: return false;
  }
}

// Calls f on every element of an array or range, or on a scalar.
template <typename F>
bool each_item(const Value& v, F&& f) {
  switch (v.k) {
    case VK::kArray:
      for (const Value& x : v.a)
        if (!f(x)) return false;
      return true;
    case VK::kRange: {
      Value x;
      x.k = VK::kInt;
      const std::int64_t step = v.i <= v.j ? 1 : -1;
      for (x.i = v.i;; x.i += step) {
        if (!f(x)) return false;
        if (x.i == v.j) break;
      }
      return true;
    }
    case VK::kString:
    case VK::kChar:
    case VK::kInt: return f(v);
    default: return false;
  }
}

bool make_char(std::int64_t code, Value* out) {
  if (code < 0 || code > 0xFFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
  out->k = VK::kChar;
  out->i = code;
  out->s.clear();
  append_code_point(&out->s, static_cast<UChar32>(code));
  return true;
}

// UTF-16 code units of s when all are BMP characters (PowerShell indexes
// strings by UTF-16 unit; a surrogate pair or a broken sequence is refused).
bool bmp_units(std::string_view s, std::vector<std::uint16_t>* units) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    const UChar32 c = code_point_at(s, i, &len);
    if (c < 0 || c > 0xFFFF) return false;
    units->push_back(static_cast<std::uint16_t>(c));
    i += len;
  }
  return true;
}

// Length in UTF-16 units (ill-formed bytes count one each).
std::size_t utf16_length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    const UChar32 c = code_point_at(s, i, &len);
    n += c > 0xFFFF ? 2 : 1;
    i += len;
  }
  return n;
}

bool to_char(const Value& v, Value* out) {
  switch (v.k) {
    case VK::kInt: return make_char(v.i, out);
    case VK::kChar: *out = v; return true;
    case VK::kString: {
      if (v.s.empty()) return false;
      std::size_t len = 1;
      const UChar32 c = code_point_at(v.s, 0, &len);
      return c >= 0 && len == v.s.size() && make_char(c, out);
    }
    default: return false;
  }
}

bool regex_plain(std::string_view pattern) {
  return pattern.find_first_of("\\^$.|?*+()[]{}") == std::string_view::npos;
}

bool has_high(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return is_high(c); });
}

struct Repl {
  std::size_t first = 0;  // tokens [first, last)
  std::size_t last = 0;
  std::string value;
  KindList kinds;
};

struct Node {
  Value v;
  std::size_t first = 0;  // tokens [first, last); empty when equal
  std::size_t last = 0;
  bool compound = false;  // made by folding: a string one is replaced as a whole
  KindList kinds;
  std::vector<Repl> pending;  // replacements inside a constant non-string node
  bool empty() const { return first == last; }
};

enum Level : int {
  kLvNone = 0,
  kLvLogical = 1,
  kLvBitwise,
  kLvCompare,
  kLvAdd,
  kLvMul,
  kLvFormat,
  kLvRange
};

bool is_keyword(std::string_view lname) {
  static constexpr std::array<std::string_view, 38> kKeywords = {
      "begin",    "break",        "catch",        "class",    "continue", "data",     "define",
      "do",       "dynamicparam", "else",         "elseif",   "end",      "enum",     "exit",
      "filter",   "finally",      "for",          "foreach",  "from",     "function", "hidden",
      "if",       "in",           "inlinescript", "parallel", "param",    "process",  "return",
      "sequence", "static",       "switch",       "throw",    "trap",     "try",      "until",
      "using",    "while",        "workflow"};
  return std::find(kKeywords.begin(), kKeywords.end(), lname) != kKeywords.end();
}

class Folder {
 public:
  Folder(std::string_view src, const Lexed& lx, std::size_t max_value, std::size_t* budget)
      : src_(src), lx_(lx), max_value_(max_value), budget_(budget) {}

  std::vector<Repl> run() {
    parse_statements(0, lx_.count(), 0);
    return std::move(repls_);
  }
  bool truncated() const { return truncated_; }

 private:
  // ---- tokens ----
  const Token& tok(std::size_t p) const { return lx_.toks[p]; }
  bool punct(std::size_t p, std::uint32_t id) const {
    return tok(p).type == Tk::kPunct && tok(p).sub == id;
  }
  bool open(std::size_t p, std::uint32_t id) const {
    return tok(p).type == Tk::kOpen && tok(p).sub == id;
  }
  std::string_view text(std::size_t p) const {
    return src_.substr(tok(p).begin, lx_.end_of(p) - tok(p).begin);
  }
  std::size_t skip_ws(std::size_t p, std::size_t end, bool newlines) const {
    while (p < end) {
      const Tk t = tok(p).type;
      if (t == Tk::kSpace || t == Tk::kLineCont || t == Tk::kComment ||
          (newlines && t == Tk::kNewline))
        ++p;
      else
        break;
    }
    return p;
  }
  // The closing token of the group opened at p, or end when it has none there.
  std::size_t close_of(std::size_t p, std::size_t end) const {
    const std::size_t m = tok(p).data;
    return (m == kNone || m >= end) ? end : m;
  }
  bool starts_command(std::size_t p) const {
    return tok(p).type == Tk::kWord || punct(p, '&') || punct(p, '.');
  }

  // ---- limits ----
  // Whether a value of n bytes may be made: within max_output and the budget.
  bool fits(std::size_t n) {
    if (n > max_value_) {
      truncated_ = true;
      return false;
    }
    return n <= *budget_;
  }
  bool spend(std::size_t n) {
    if (n > *budget_) {
      *budget_ = 0;
      return false;
    }
    *budget_ -= n;
    return true;
  }

  // ---- replacements ----
  void finalize(Node&& n) {
    if (n.empty()) return;
    if (n.v.k == VK::kString && n.compound) {
      repls_.push_back(Repl{n.first, n.last, std::move(n.v.s), n.kinds});
      return;
    }
    for (Repl& r : n.pending) repls_.push_back(std::move(r));
  }
  // Keeps a child's replacements in a constant non-string node.
  void absorb(Node* into, Node* child) {
    if (child->v.k == VK::kString && child->compound) {
      spend(child->v.s.size());
      into->pending.push_back(Repl{child->first, child->last, child->v.s, child->kinds});
      return;
    }
    if (into->pending.size() < child->pending.size()) into->pending.swap(child->pending);
    for (Repl& r : child->pending) into->pending.push_back(std::move(r));
    child->pending.clear();
  }

  // ---- statements ----
  void parse_statements(std::size_t p, std::size_t end, int depth) {
    while (p < end) {
      p = skip_ws(p, end, true);
      if (p >= end) break;
      const Token& t = tok(p);
      if (t.type == Tk::kWord) {
        if (is_keyword(lower_ascii(remove_ticks(text(p))))) {
          ++p;
          continue;
        }
        const std::size_t q = skip_ws(p + 1, end, false);
        if (q < end && punct(q, '=')) {  // key = value in a hash table
          p = q + 1;
          continue;
        }
        p = parse_command(p + 1, end, depth);
        continue;
      }
      if (t.type == Tk::kPunct) {
        if (t.sub == '&' || t.sub == '.') {  // call / dot-source
          p = parse_command(p + 1, end, depth);
          continue;
        }
        if (t.sub != '-' && t.sub != '+' && t.sub != '!' && t.sub != ',') {
          ++p;  // ; | = && || and stray operators
          continue;
        }
      }
      if (t.type == Tk::kClose || t.type == Tk::kOther) {
        ++p;
        continue;
      }
      Node e = parse_expr(p, end, depth, kLvLogical, false);
      if (e.empty()) {
        ++p;
        continue;
      }
      p = e.last;
      finalize(std::move(e));
    }
  }

  // Arguments of a command, up to the end of the statement. Only primaries
  // (literals, variables, groups with their member accesses) are parsed.
  std::size_t parse_command(std::size_t p, std::size_t end, int depth) {
    while (p < end) {
      p = skip_ws(p, end, false);
      if (p >= end) break;
      const Token& t = tok(p);
      if (t.type == Tk::kNewline || t.type == Tk::kClose) break;
      if (t.type == Tk::kPunct &&
          (t.sub == ';' || t.sub == '|' || t.sub == kPAndAnd || t.sub == kPOrOr))
        break;
      if (t.type == Tk::kString || t.type == Tk::kNumber || t.type == Tk::kVariable ||
          t.type == Tk::kType || t.type == Tk::kOpen) {
        Node a = parse_postfix(p, end, depth);
        if (!a.empty()) {
          p = a.last;
          finalize(std::move(a));
          continue;
        }
      }
      ++p;
    }
    return p;
  }

  // ---- expressions ----
  // The binary operator at p: its level (kLvNone if none) and id.
  int binary_level(std::size_t p, std::uint32_t* op) const {
    const Token& t = tok(p);
    if (t.type == Tk::kPunct) {
      *op = t.sub;
      switch (t.sub) {
        case '+':
        case '-': return kLvAdd;
        case '*':
        case '/':
        case '%': return kLvMul;
        case kPRange: return kLvRange;
        default: return kLvNone;
      }
    }
    if (t.type == Tk::kDashOp) {
      *op = 1000 + t.sub;
      switch (t.sub) {
        case kOpF: return kLvFormat;
        case kOpLogical: return kLvLogical;
        case kOpBand:
        case kOpBor:
        case kOpBxor:
        case kOpBitwise: return kLvBitwise;
        case kOpUnaryOnly: return kLvNone;
        default: return kLvCompare;  // comparison, -join, -replace, -split, unknown
      }
    }
    return kLvNone;
  }

  Node parse_expr(std::size_t p, std::size_t end, int depth, int min_level, bool no_comma) {
    Node left = parse_array(p, end, depth, no_comma);
    while (!left.empty()) {
      const std::size_t q = skip_ws(left.last, end, false);
      if (q >= end) break;
      std::uint32_t op = 0;
      const int level = binary_level(q, &op);
      if (level == kLvNone || level < min_level) break;
      const std::size_t r = skip_ws(q + 1, end, true);
      Node right = r < end ? parse_expr(r, end, depth, level + 1, no_comma) : Node{};
      if (right.empty()) {  // an operator without an operand
        Node bad;
        bad.first = left.first;
        bad.last = q + 1;
        finalize(std::move(left));
        left = std::move(bad);
        break;
      }
      left = binary(op, std::move(left), std::move(right));
    }
    return left;
  }

  // a, b, c: an array literal (comma binds tighter than the binary operators).
  Node parse_array(std::size_t p, std::size_t end, int depth, bool no_comma) {
    Node first = parse_unary(p, end, depth);
    if (first.empty() || no_comma) return first;
    std::size_t q = skip_ws(first.last, end, false);
    if (q >= end || !punct(q, ',')) return first;
    Node arr;
    arr.first = first.first;
    arr.v.k = VK::kArray;
    arr.compound = true;
    bool constant = true;
    auto add = [&](Node&& item) {
      if (!item.empty()) arr.last = item.last;
      if (constant && is_scalar(item.v) && arr.v.a.size() < kMaxItems && spend(1)) {
        arr.kinds.merge(item.kinds);
        absorb(&arr, &item);
        arr.v.a.push_back(std::move(item.v));
        return;
      }
      if (constant) {  // switch to opaque: hand the constant items' replacements on
        constant = false;
        for (Repl& r : arr.pending) repls_.push_back(std::move(r));
        arr.pending.clear();
        arr.v = Value{};
        arr.compound = false;
      }
      finalize(std::move(item));
    };
    add(std::move(first));
    while (q < end && punct(q, ',')) {
      const std::size_t r = skip_ws(q + 1, end, true);
      Node item = r < end ? parse_unary(r, end, depth) : Node{};
      if (item.empty()) {
        arr.last = q + 1;
        if (constant) add(Node{});  // makes it opaque
        break;
      }
      add(std::move(item));
      q = skip_ws(arr.last, end, false);
    }
    if (!constant) {
      arr.v = Value{};
      arr.compound = false;
    }
    return arr;
  }

  Node parse_unary(std::size_t p, std::size_t end, int depth) {
    std::vector<std::size_t> prefixes;
    std::size_t q = p;
    while (q < end) {
      const Token& t = tok(q);
      bool prefix = false;
      if (t.type == Tk::kDashOp) {
        prefix = true;
      } else if (t.type == Tk::kType) {
        // [type]::Member and [type].Member are primaries, not casts.
        prefix = !(q + 1 < end && (punct(q + 1, kPStatic) || punct(q + 1, '.')));
      } else if (t.type == Tk::kPunct) {
        prefix = t.sub == '-' || t.sub == '+' || t.sub == '!' || t.sub == ',';
      } else if (t.type == Tk::kOther) {
        const std::string_view s = text(q);
        prefix = s == "++" || s == "--";
      }
      if (!prefix) break;
      prefixes.push_back(q);
      q = skip_ws(q + 1, end, false);
    }
    Node operand = q < end ? parse_postfix(q, end, depth) : Node{};
    if (operand.empty()) {
      Node n;
      if (!prefixes.empty()) {
        n.first = p;
        n.last = prefixes.back() + 1;
      }
      return n;
    }
    for (std::size_t k = prefixes.size(); k-- > 0;)
      operand = unary(prefixes[k], std::move(operand));
    return operand;
  }

  Node parse_postfix(std::size_t p, std::size_t end, int depth) {
    Node n = parse_primary(p, end, depth);
    while (!n.empty() && n.last < end) {
      const std::size_t q = n.last;
      if (open(q, '[')) {
        n = parse_index(std::move(n), q, end, depth);
        continue;
      }
      if ((punct(q, '.') || punct(q, kPStatic)) && q + 1 < end) {
        const Tk m = tok(q + 1).type;
        if (m == Tk::kWord || m == Tk::kString || m == Tk::kVariable || open(q + 1, '(')) {
          n = parse_member(std::move(n), q, end, depth);
          continue;
        }
      }
      break;
    }
    return n;
  }

  Node parse_primary(std::size_t p, std::size_t end, int depth) {
    const Token& t = tok(p);
    Node n;
    n.first = p;
    n.last = p + 1;
    switch (t.type) {
      case Tk::kString:
        if (string_constant(t) && spend(lx_.values[t.sub].size() + 1)) {
          n.v.k = VK::kString;
          n.v.s = lx_.values[t.sub];
        }
        break;
      case Tk::kNumber:
        if (t.flags & kNumValid) {
          n.v.k = VK::kInt;
          n.v.i = static_cast<std::int64_t>(t.data);
        }
        break;
      case Tk::kVariable: break;
      case Tk::kType:
        n.v.k = VK::kType;
        n.v.i = t.sub;
        break;
      case Tk::kOpen: return parse_group(p, end, depth);
      default: n.last = p; break;
    }
    return n;
  }

  Node parse_group(std::size_t p, std::size_t end, int depth) {
    const std::size_t close = close_of(p, end);
    Node n;
    n.first = p;
    n.last = close < end ? close + 1 : end;
    if (depth >= kMaxDepth) return n;  // too deep: left as it is
    const std::uint32_t id = tok(p).sub;
    std::size_t q = skip_ws(p + 1, close, true);
    if (id == '(' || id == kPAtParen) {
      if (q == close) {
        if (id == kPAtParen) n.v.k = VK::kArray;  // @()
        return n;
      }
      if (!starts_command(q)) {
        Node e = parse_expr(q, close, depth + 1, kLvLogical, false);
        if (!e.empty()) {
          const std::size_t r = skip_ws(e.last, close, true);
          if (r == close && is_const(e.v)) {
            n.kinds = e.kinds;
            absorb(&n, &e);
            if (id == '(') {
              n.v = std::move(e.v);
            } else if (!to_array(std::move(e.v), &n.v)) {
              for (Repl& x : n.pending) repls_.push_back(std::move(x));
              n.pending.clear();
              n.v = Value{};
            }
            return n;
          }
          finalize(std::move(e));
          q = r;
        }
      }
    }
    parse_statements(q, close, depth + 1);
    return n;
  }

  bool to_array(Value&& v, Value* out) {
    if (v.k == VK::kArray) {
      *out = std::move(v);
      return true;
    }
    if (v.k == VK::kRange) {
      if (range_count(v) > kMaxItems || !spend(range_count(v))) return false;
      out->k = VK::kArray;
      return each_item(v, [&](const Value& x) {
        out->a.push_back(x);
        return true;
      });
    }
    out->k = VK::kArray;
    out->a.push_back(std::move(v));
    return true;
  }

  Node parse_index(Node&& base, std::size_t q, std::size_t end, int depth) {
    const std::size_t close = close_of(q, end);
    Node r;
    r.first = base.first;
    r.last = close < end ? close + 1 : end;
    if (depth >= kMaxDepth) {
      finalize(std::move(base));
      return r;
    }
    const std::size_t s = skip_ws(q + 1, close, true);
    Node idx = s < close ? parse_expr(s, close, depth + 1, kLvLogical, false) : Node{};
    const std::size_t e = skip_ws(idx.empty() ? s : idx.last, close, true);
    const bool full = !idx.empty() && e == close;
    Value out;
    KindList kinds;
    if (full && is_const(base.v) && is_const(idx.v) && index(base.v, idx.v, &out, &kinds)) {
      r.compound = true;
      r.kinds = base.kinds;
      r.kinds.merge(idx.kinds);
      r.kinds.merge(kinds);
      absorb(&r, &base);
      absorb(&r, &idx);
      r.v = std::move(out);
      return r;
    }
    finalize(std::move(base));
    finalize(std::move(idx));
    if (!full) parse_statements(e, close, depth + 1);
    return r;
  }

  // .Name, .'Name', ."Name", .$name, .(expr), ::Name, each maybe invoked: (args).
  Node parse_member(Node&& base, std::size_t dot, std::size_t end, int depth) {
    const std::size_t m = dot + 1;
    std::string name;
    bool known = false;
    Node name_node;
    std::size_t after = m + 1;
    const Token& mt = tok(m);
    if (mt.type == Tk::kWord) {
      name = lower_ascii(remove_ticks(text(m)));
      known = true;
    } else if (mt.type == Tk::kString) {
      if (string_constant(mt)) {
        name = lower_ascii(lx_.values[mt.sub]);
        known = true;
      }
    } else if (mt.type == Tk::kOpen) {
      name_node = parse_group(m, end, depth);
      after = name_node.last;
      if (name_node.v.k == VK::kString) {
        name = lower_ascii(name_node.v.s);
        known = true;
      }
    }
    Node r;
    r.first = base.first;
    r.last = after;
    std::vector<Node> args;
    bool args_ok = true;
    const bool invoked = after < end && open(after, '(');
    if (invoked) {
      const std::size_t close = close_of(after, end);
      r.last = close < end ? close + 1 : end;
      if (depth >= kMaxDepth) {
        args_ok = false;
      } else {
        std::size_t q = skip_ws(after + 1, close, true);
        while (q < close) {
          Node a = parse_expr(q, close, depth + 1, kLvLogical, true);
          if (a.empty()) {
            args_ok = false;
            break;
          }
          q = skip_ws(a.last, close, true);
          args.push_back(std::move(a));
          if (q == close) break;
          if (!punct(q, ',')) {
            args_ok = false;
            break;
          }
          q = skip_ws(q + 1, close, true);
        }
        if (!args_ok) {
          for (Node& a : args) finalize(std::move(a));
          args.clear();
          parse_statements(q, close, depth + 1);
        }
      }
    }
    Value out;
    KindList kinds;
    bool ok = known && args_ok && (is_const(base.v) || base.v.k == VK::kType);
    for (const Node& a : args) ok = ok && is_const(a.v);
    if (ok) ok = member(base.v, name, invoked, args, &out, &kinds);
    if (ok) {
      r.compound = true;
      r.kinds = base.kinds;
      r.kinds.merge(name_node.kinds);
      for (const Node& a : args) r.kinds.merge(a.kinds);
      r.kinds.merge(kinds);
      if (out.k != VK::kString) {
        absorb(&r, &base);
        absorb(&r, &name_node);
        for (Node& a : args) absorb(&r, &a);
      }
      r.v = std::move(out);
      return r;
    }
    finalize(std::move(base));
    finalize(std::move(name_node));
    for (Node& a : args) finalize(std::move(a));
    return r;
  }

  // ---- operations ----
  Node binary(std::uint32_t op, Node&& left, Node&& right) {
    Node r;
    r.first = left.first;
    r.last = right.last;
    Value out;
    KindList kinds;
    if (is_const(left.v) && is_const(right.v) && binary_value(op, &left.v, right.v, &out, &kinds)) {
      r.compound = true;
      r.kinds = left.kinds;
      r.kinds.merge(right.kinds);
      r.kinds.merge(kinds);
      if (out.k != VK::kString) {
        absorb(&r, &left);
        absorb(&r, &right);
      }
      r.v = std::move(out);
      return r;
    }
    finalize(std::move(left));
    finalize(std::move(right));
    return r;
  }

  Node unary(std::size_t prefix, Node&& operand) {
    Node r;
    r.first = prefix;
    r.last = operand.last;
    Value out;
    KindList kinds;
    if (is_const(operand.v) && unary_value(prefix, operand.v, &out, &kinds)) {
      r.compound = true;
      r.kinds = operand.kinds;
      r.kinds.merge(kinds);
      if (out.k != VK::kString) absorb(&r, &operand);
      r.v = std::move(out);
      return r;
    }
    finalize(std::move(operand));
    return r;
  }

  static bool int_result(std::int64_t v, Value* out) {
    if (v < kIntMin || v > kIntMax) return false;
    out->k = VK::kInt;
    out->i = v;
    return true;
  }

  // *left may be moved from when this succeeds (its replacements are kept by
  // absorb(), which reads the value of compound strings only).
  bool binary_value(std::uint32_t op, Value* left, const Value& right, Value* out,
                    KindList* kinds) {
    if (*budget_ == 0) return false;
    const Value& l = *left;
    switch (op) {
      case '+': {
        if (is_text(l)) {
          // string + string/char/int and char + string/char concatenate;
          // char + int is left alone.
          std::string tail;
          if (l.k == VK::kChar && !is_text(right)) return false;
          if (!append_text(right, &tail)) return false;
          if (!fits(l.s.size() + tail.size()) || !spend(tail.size() + 1)) return false;
          *out = std::move(*left);
          out->k = VK::kString;
          out->s += tail;
          kinds->add(kKindConcat);
          return true;
        }
        if (l.k == VK::kInt && right.k == VK::kInt) return int_result(l.i + right.i, out);
        if (l.k == VK::kArray && (right.k == VK::kArray || is_scalar(right))) {
          const std::size_t n = l.a.size() + (right.k == VK::kArray ? right.a.size() : 1);
          if (n > kMaxItems || !spend(n)) return false;
          *out = std::move(*left);  // an array is never replaced itself: its value is free
          if (right.k == VK::kArray)
            out->a.insert(out->a.end(), right.a.begin(), right.a.end());
          else
            out->a.push_back(right);
          return true;
        }
        return false;
      }
      case '-': return l.k == VK::kInt && right.k == VK::kInt && int_result(l.i - right.i, out);
      case '*': return l.k == VK::kInt && right.k == VK::kInt && int_result(l.i * right.i, out);
      case kPRange: {
        if (l.k != VK::kInt || right.k != VK::kInt) return false;
        out->k = VK::kRange;
        out->i = l.i;
        out->j = right.i;
        return range_count(*out) <= kMaxItems;
      }
      case 1000 + kOpF: {
        if (l.k != VK::kString) return false;
        std::vector<std::string> args;
        const bool ok = each_item(right, [&](const Value& x) {
          std::string s;
          if (!append_text(x, &s) || args.size() >= kMaxItems) return false;
          args.push_back(std::move(s));
          return true;
        });
        if (!ok || !format(l.s, args, &out->s)) return false;
        out->k = VK::kString;
        kinds->add(kKindFormat);
        return true;
      }
      case 1000 + kOpJoin: {
        std::string sep;
        if (right.k == VK::kArray || right.k == VK::kRange || !append_text(right, &sep))
          return false;
        if (!join(l, sep, &out->s)) return false;
        out->k = VK::kString;
        kinds->add(kKindJoin);
        return true;
      }
      case 1000 + kOpReplace:
      case 1000 + kOpIReplace:
      case 1000 + kOpCReplace: {
        if (!is_text(l)) return false;
        const Value* pattern = &right;
        const Value* replacement = nullptr;
        if (right.k == VK::kArray) {
          if (right.a.empty() || right.a.size() > 2) return false;
          pattern = &right.a[0];
          if (right.a.size() == 2) replacement = &right.a[1];
        }
        std::string pat;
        std::string rep;
        if (!is_text(*pattern) || !append_text(*pattern, &pat)) return false;
        if (replacement && !append_text(*replacement, &rep)) return false;
        if (pat.empty() || !regex_plain(pat) || rep.find('$') != std::string::npos) return false;
        const bool ci = op != 1000 + kOpCReplace;
        if (ci &&
            (has_high(pat) || (has_high(l.s) && std::any_of(pat.begin(), pat.end(), is_alpha))))
          return false;  // non-ASCII case folding is culture-dependent
        if (!replace_all(l.s, pat, rep, ci, &out->s)) return false;
        out->k = VK::kString;
        kinds->add(kKindReplace);
        return true;
      }
      case 1000 + kOpBand:
      case 1000 + kOpBor:
      case 1000 + kOpBxor: {
        if (l.k != VK::kInt || right.k != VK::kInt || l.i < 0 || right.i < 0) return false;
        const std::int64_t v = op == 1000 + kOpBand  ? (l.i & right.i)
                               : op == 1000 + kOpBor ? (l.i | right.i)
                                                     : (l.i ^ right.i);
        return int_result(v, out);
      }
      default: return false;
    }
  }

  bool unary_value(std::size_t prefix, const Value& v, Value* out, KindList* kinds) {
    if (*budget_ == 0) return false;
    const Token& t = tok(prefix);
    if (t.type == Tk::kDashOp) {
      if (t.sub != kOpJoin || !join(v, "", &out->s)) return false;
      out->k = VK::kString;
      kinds->add(kKindJoin);
      return true;
    }
    if (t.type == Tk::kType) {
      switch (t.sub) {
        case kTypeChar:
          if (!to_char(v, out)) return false;
          kinds->add(kKindChar);
          return true;
        case kTypeCharArray:
          if (!to_char_array(v, out)) return false;
          kinds->add(kKindChar);
          return true;
        case kTypeString:
          if (v.k == VK::kInt) {
            out->s = std::to_string(v.i);
          } else if (is_text(v) && spend(v.s.size())) {
            out->s = v.s;
          } else {
            return false;
          }
          out->k = VK::kString;
          return true;
        default: return false;
      }
    }
    if (t.type == Tk::kPunct) {
      switch (t.sub) {
        case '-': return v.k == VK::kInt && int_result(-v.i, out);
        case '+': return v.k == VK::kInt && int_result(v.i, out);
        case ',':
          if (!is_scalar(v)) return false;
          out->k = VK::kArray;
          out->a.push_back(v);
          return spend(v.s.size() + 1);
        default: return false;
      }
    }
    return false;
  }

  bool to_char_array(const Value& v, Value* out) {
    out->k = VK::kArray;
    if (v.k == VK::kString) {
      std::vector<std::uint16_t> units;
      if (v.s.size() > kMaxItems * 3 || !spend(v.s.size()) || !bmp_units(v.s, &units) ||
          units.size() > kMaxItems)
        return false;
      for (const std::uint16_t u : units) {
        Value c;
        if (!make_char(u, &c)) return false;
        out->a.push_back(std::move(c));
      }
      return true;
    }
    return each_item(v, [&](const Value& x) {
      Value c;
      if (!to_char(x, &c) || out->a.size() >= kMaxItems || !spend(1)) return false;
      out->a.push_back(std::move(c));
      return true;
    });
  }

  bool join(const Value& v, std::string_view sep, std::string* out) {
    bool first = true;
    const bool ok = each_item(v, [&](const Value& x) {
      if (!first) out->append(sep);
      first = false;
      return append_text(x, out) && fits(out->size());
    });
    return ok && spend(out->size() + 1);
  }

  // .NET composite formatting: {index} and {index,alignment}; {{ and }}.
  // Format strings ({0:X}) are not implemented: such an item is not folded.
  bool format(std::string_view fmt, const std::vector<std::string>& args, std::string* out) {
    std::size_t i = 0;
    while (i < fmt.size()) {
      const char c = fmt[i];
      if (c == '{') {
        if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
          out->push_back('{');
          i += 2;
          continue;
        }
        std::size_t j = i + 1;
        std::size_t index = 0;
        int digits = 0;
        while (j < fmt.size() && is_digit(fmt[j]) && digits < 7) {
          index = index * 10 + static_cast<std::size_t>(fmt[j] - '0');
          ++digits;
          ++j;
        }
        if (digits == 0 || digits > 6) return false;
        std::size_t width = 0;
        bool left = false;
        if (j < fmt.size() && fmt[j] == ',') {
          ++j;
          if (j < fmt.size() && fmt[j] == '-') {
            left = true;
            ++j;
          }
          int wd = 0;
          while (j < fmt.size() && is_digit(fmt[j]) && wd < 7) {
            width = width * 10 + static_cast<std::size_t>(fmt[j] - '0');
            ++wd;
            ++j;
          }
          if (wd == 0 || width >= 1000000) return false;
        }
        if (j >= fmt.size() || fmt[j] != '}' || index >= args.size()) return false;
        const std::string& a = args[index];
        const std::size_t units = utf16_length(a);
        const std::size_t pad = width > units ? width - units : 0;
        if (!fits(out->size() + a.size() + pad)) return false;
        if (!left) out->append(pad, ' ');
        out->append(a);
        if (left) out->append(pad, ' ');
        i = j + 1;
        continue;
      }
      if (c == '}') {
        if (i + 1 < fmt.size() && fmt[i + 1] == '}') {
          out->push_back('}');
          i += 2;
          continue;
        }
        return false;
      }
      out->push_back(c);
      ++i;
    }
    return fits(out->size()) && spend(out->size() + 1);
  }

  // Every non-overlapping occurrence of pat, left to right (KMP, linear).
  bool replace_all(std::string_view subject, std::string_view pat, std::string_view rep, bool ci,
                   std::string* out) {
    if (!spend(subject.size() + pat.size() + 1)) return false;
    auto eq = [ci](char a, char b) { return ci ? to_lower(a) == to_lower(b) : a == b; };
    const std::size_t m = pat.size();
    std::vector<std::size_t> fail(m, 0);
    for (std::size_t q = 1, k = 0; q < m; ++q) {
      while (k > 0 && !eq(pat[q], pat[k])) k = fail[k - 1];
      if (eq(pat[q], pat[k])) ++k;
      fail[q] = k;
    }
    std::size_t k = 0;
    std::size_t copied = 0;
    for (std::size_t i = 0; i < subject.size(); ++i) {
      while (k > 0 && !eq(subject[i], pat[k])) k = fail[k - 1];
      if (eq(subject[i], pat[k])) ++k;
      if (k == m) {
        const std::size_t start = i + 1 - m;
        out->append(subject.substr(copied, start - copied));
        out->append(rep);
        copied = i + 1;
        k = 0;
        if (!fits(out->size())) return false;
      }
    }
    out->append(subject.substr(copied));
    return fits(out->size()) && spend(out->size());
  }

  bool index(const Value& base, const Value& idx, Value* out, KindList* kinds) {
    std::vector<std::int64_t> ids;
    const bool scalar = idx.k == VK::kInt;
    const bool ok = each_item(idx, [&](const Value& x) {
      if (x.k != VK::kInt || ids.size() >= kMaxItems) return false;
      ids.push_back(x.i);
      return true;
    });
    if (!ok || ids.empty() || !spend(ids.size())) return false;
    std::vector<std::uint16_t> units;
    std::size_t length = 0;
    if (base.k == VK::kString) {
      if (!spend(base.s.size()) || !bmp_units(base.s, &units)) return false;
      length = units.size();
    } else if (base.k == VK::kArray) {
      length = base.a.size();
    } else {
      return false;
    }
    const auto len = static_cast<std::int64_t>(length);
    std::vector<Value> items;
    std::size_t bytes = 0;
    std::int64_t first = 0;
    std::int64_t last = 0;
    for (std::size_t n = 0; n < ids.size(); ++n) {
      const std::int64_t e = ids[n] < 0 ? ids[n] + len : ids[n];
      if (e < 0 || e >= len) return false;  // PowerShell gives $null: not folded
      if (n == 0) first = e;
      last = e;
      Value item;
      if (base.k == VK::kString) {
        if (!make_char(units[static_cast<std::size_t>(e)], &item)) return false;
      } else {
        item = base.a[static_cast<std::size_t>(e)];
        bytes += item.s.size();
        if (!fits(bytes) || !spend(item.s.size() + 1)) return false;
      }
      items.push_back(std::move(item));
    }
    if (ids.size() >= 2 && first > last) kinds->add(kKindReverse);
    if (scalar) {
      *out = std::move(items[0]);
    } else {
      out->k = VK::kArray;
      out->a = std::move(items);
    }
    return true;
  }

  bool member(const Value& base, const std::string& name, bool invoked,
              const std::vector<Node>& args, Value* out, KindList* kinds) {
    if (*budget_ == 0) return false;
    if (base.k == VK::kType) {  // [string]::Join(sep, ...), [string]::Concat(...)
      if (base.i != kTypeString || !invoked) return false;
      if (name == "join") {
        std::string sep;
        if (args.empty() || !is_text(args[0].v) || !append_text(args[0].v, &sep)) return false;
        if (args.size() == 2) {
          if (!join(args[1].v, sep, &out->s)) return false;
        } else {
          Value list;
          list.k = VK::kArray;
          for (std::size_t n = 1; n < args.size(); ++n) {
            if (args[n].v.k == VK::kArray || args[n].v.k == VK::kRange) return false;
            list.a.push_back(args[n].v);
          }
          if (!join(list, sep, &out->s)) return false;
        }
        out->k = VK::kString;
        kinds->add(kKindJoin);
        return true;
      }
      if (name == "concat") {
        if (args.size() == 1) {
          if (!join(args[0].v, "", &out->s)) return false;
        } else {
          for (const Node& a : args)
            if (a.v.k == VK::kArray || a.v.k == VK::kRange || !append_text(a.v, &out->s) ||
                !fits(out->s.size()))
              return false;
          if (!spend(out->s.size() + 1)) return false;
        }
        out->k = VK::kString;
        kinds->add(kKindConcat);
        return true;
      }
      return false;
    }
    if (!invoked) {
      if (name != "length") return false;
      if (base.k == VK::kString) {
        if (!spend(base.s.size())) return false;
        std::vector<std::uint16_t> units;
        if (!bmp_units(base.s, &units)) return false;
        return int_result(static_cast<std::int64_t>(units.size()), out);
      }
      if (base.k == VK::kArray) return int_result(static_cast<std::int64_t>(base.a.size()), out);
      return false;
    }
    if (name == "tostring" && args.empty()) {
      if (base.k != VK::kInt && !is_text(base)) return false;
      if (!append_text(base, &out->s) || !spend(out->s.size() + 1)) return false;
      out->k = VK::kString;
      return true;
    }
    if (name == "replace" && args.size() == 2 && base.k == VK::kString) {
      std::string from;
      std::string to;
      if (!is_text(args[0].v) || !append_text(args[0].v, &from) || from.empty()) return false;
      if (!is_text(args[1].v) || !append_text(args[1].v, &to)) return false;
      if (!replace_all(base.s, from, to, false, &out->s)) return false;
      out->k = VK::kString;
      kinds->add(kKindReplace);
      return true;
    }
    return false;
  }

  std::string_view src_;
  const Lexed& lx_;
  std::size_t max_value_;
  std::size_t* budget_;
  bool truncated_ = false;
  std::vector<Repl> repls_;
};

// ---------------------------------------------------------------------------
// Output.

struct Round {
  std::string text;
  std::size_t folds = 0;
  KindList kinds;
  bool overflow = false;
};

void token_kinds(const Token& t, KindList* kinds) {
  if (t.type == Tk::kString && string_constant(t)) {
    if (t.flags & kStrBacktick) kinds->add(kKindBacktick);
    if (t.flags & kStrEscape) kinds->add(kKindEscape);
  } else if (t.type == Tk::kLineCont || (t.type == Tk::kWord && (t.flags & kWordTicks))) {
    kinds->add(kKindBacktick);
  }
}

bool ends_with_quote(const std::string& out) {
  if (out.empty()) return false;
  if (out.back() == '\'' || out.back() == '"') return true;
  return out.size() >= 3 &&
         (single_quote_len(out, out.size() - 3) == 3 || double_quote_len(out, out.size() - 3) == 3);
}

Round emit(std::string_view src, const Lexed& lx, std::vector<Repl>* repls,
           std::size_t max_output) {
  std::sort(repls->begin(), repls->end(),
            [](const Repl& a, const Repl& b) { return a.first < b.first; });
  Round round;
  std::string& out = round.text;
  out.reserve(std::min(src.size(), max_output));
  std::size_t r = 0;
  const std::size_t count = lx.count();
  for (std::size_t t = 0; t < count;) {
    while (r < repls->size() && (*repls)[r].first < t) ++r;  // overlapping: never, but skip
    if (r < repls->size() && (*repls)[r].first == t) {
      const Repl& rp = (*repls)[r++];
      if (!out.empty() && (is_ident(out.back()) || ends_with_quote(out))) out.push_back(' ');
      out += quote_literal(rp.value);
      const std::size_t next = lx.toks[rp.last].begin;
      if (next < src.size() && (is_ident(src[next]) || single_quote_len(src, next)))
        out.push_back(' ');
      round.kinds.merge(rp.kinds);
      for (std::size_t k = rp.first; k < rp.last; ++k) token_kinds(lx.toks[k], &round.kinds);
      ++round.folds;
      t = rp.last;
    } else {
      const Token& tok = lx.toks[t];
      const std::size_t begin = tok.begin;
      const std::size_t end = lx.end_of(t);
      const std::size_t after = end;
      if (tok.type == Tk::kString && string_constant(tok) &&
          (tok.flags & (kStrBacktick | kStrEscape)) && !ends_with_quote(out) &&
          !(after < src.size() && (single_quote_len(src, after) || double_quote_len(src, after)))) {
        out += quote_literal(lx.values[tok.sub]);
        token_kinds(tok, &round.kinds);
        ++round.folds;
      } else if (tok.type == Tk::kWord && (tok.flags & kWordTicks)) {
        out += remove_ticks(src.substr(begin, end - begin));
        token_kinds(tok, &round.kinds);
        ++round.folds;
      } else if (tok.type == Tk::kLineCont) {
        // The continuation separates tokens like a blank does.
        if (!out.empty() && !is_blank(out.back()) && !is_newline(out.back()) &&
            after < src.size() && !is_blank(src[after]) && !is_newline(src[after]))
          out.push_back(' ');
        token_kinds(tok, &round.kinds);
        ++round.folds;
      } else {
        out.append(src.substr(begin, end - begin));
      }
      ++t;
    }
    if (out.size() > max_output) {
      round.overflow = true;
      return round;
    }
  }
  return round;
}

// The longest prefix of s of at most max bytes that does not split a UTF-8 sequence.
std::string cut(std::string_view s, std::size_t max) {
  std::size_t n = std::min(s.size(), max);
  if (n < s.size())
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

}  // namespace

FoldResult fold_powershell(std::string_view script, const FoldOptions& options) {
  FoldResult result;
  if (script.size() > options.max_output) {
    result.script = cut(script, options.max_output);
    result.truncated = true;
    return result;
  }
  std::string current(script);
  // Work allowed for evaluating constants, all rounds together: linear in the input.
  std::size_t budget = 32 * script.size() + 4 * kMiB;
  KindList kinds;
  for (std::size_t round = 0; round < options.max_rounds; ++round) {
    const Lexed lx = Lexer(current).run();
    Folder folder(current, lx, options.max_output, &budget);
    std::vector<Repl> repls = folder.run();
    if (folder.truncated()) result.truncated = true;
    Round r = emit(current, lx, &repls, options.max_output);
    if (r.overflow) {
      result.truncated = true;
      break;
    }
    if (r.folds == 0 || r.text == current) break;
    result.folds += r.folds;
    kinds.merge(r.kinds);
    current = std::move(r.text);
  }
  for (std::uint8_t i = 0; i < kinds.size; ++i) result.kinds.emplace_back(kKindNames[kinds.ids[i]]);
  result.script = std::move(current);
  return result;
}

std::vector<PsString> find_powershell_strings(std::string_view script) {
  std::vector<PsString> strings;
  const Lexed lx = Lexer(script).run();
  for (std::size_t t = 0; t < lx.count(); ++t) {
    const Token& tok = lx.toks[t];
    if (tok.type != Tk::kString || !(tok.flags & kStrTerminated)) continue;
    PsString s;
    s.value = lx.values[tok.sub];
    s.begin = tok.begin;
    s.end = lx.end_of(t);
    s.quote = (tok.flags & kStrDouble) ? '"' : '\'';
    s.constant = string_constant(tok);
    strings.push_back(std::move(s));
  }
  return strings;
}

}  // namespace ioc::text
