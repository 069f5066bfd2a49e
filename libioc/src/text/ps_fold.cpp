// ps_fold.cpp — constant folding of PowerShell string obfuscation.
//
// Each round has three stages:
//  1. a one-pass lexer: string literals (with their values), here-strings,
//     comments, numbers, type literals such as [char], operators and
//     brackets (matched as they come);
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
//  - `e and `u{...} are read as Windows PowerShell 5.1 reads them (plain e and
//    u), as the header documents: obfuscated scripts target 5.1; only
//    PowerShell 7 made them ESC and a code point.
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
//
// Speed (psdecode folds every decoded launcher): the buffers of a round are
// reused by the next; literal values are kept in one pool and referenced,
// not copied, until an operator folds them; parse nodes are built in place
// (the parse functions fill a node given by the caller) and carry nothing on
// the heap unless they are constant; one-token operands without postfixes
// skip the descent through the precedence levels; the output pass jumps from
// one replacement or rewritten token to the next; a round with neither ends
// the folding without writing the output.
#include "ioc/text/ps_fold.hpp"

#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
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

// Character classes, one table lookup each.
constexpr std::uint8_t kCAlpha = 1;
constexpr std::uint8_t kCDigit = 2;
constexpr std::uint8_t kCHex = 4;
constexpr std::uint8_t kCIdent = 8;
constexpr std::uint8_t kCBlank = 16;
constexpr std::uint8_t kCNewline = 32;
constexpr std::uint8_t kCTypeName = 64;  // letters, digits, _ and .
constexpr std::array<std::uint8_t, 256> kClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kCAlpha | kCIdent;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kCAlpha | kCIdent;
  for (int c = '0'; c <= '9'; ++c) t[c] = kCDigit | kCHex | kCIdent;
  for (int c = 'a'; c <= 'f'; ++c) t[c] |= kCHex;
  for (int c = 'A'; c <= 'F'; ++c) t[c] |= kCHex;
  t['_'] = kCIdent;
  for (int c = 0; c < 256; ++c)
    if (t[c] & kCIdent) t[c] |= kCTypeName;
  t['.'] = kCTypeName;
  t[' '] = t['\t'] = t['\f'] = t['\v'] = kCBlank;
  t['\r'] = t['\n'] = kCNewline;
  return t;
}();
bool char_is(char c, std::uint8_t cls) {
  return (kClass[static_cast<unsigned char>(c)] & cls) != 0;
}

bool is_alpha(char c) {
  return char_is(c, kCAlpha);
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return char_is(c, kCHex);
}
int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}
bool is_ident(char c) {
  return char_is(c, kCIdent);
}
bool is_blank(char c) {
  return char_is(c, kCBlank);
}
bool is_newline(char c) {
  return char_is(c, kCNewline);
}
bool is_space(char c) {  // blank or line break
  return char_is(c, kCBlank | kCNewline);
}
bool is_high(char c) {
  return static_cast<unsigned char>(c) >= 0x80;
}
char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Whether s, lowered (ASCII), equals the lower-case word w.
bool lower_equals(std::string_view s, std::string_view w) {
  if (s.size() != w.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (to_lower(s[i]) != w[i]) return false;
  return true;
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

// Appends word without the backticks that escape ordinary characters.
void append_without_ticks(std::string* out, std::string_view word) {
  std::size_t copied = 0;
  for (std::size_t i = 0; i + 1 < word.size(); ++i) {
    if (word[i] == '`' && removable_tick(word[i + 1])) {
      out->append(word.substr(copied, i - copied));
      copied = i + 1;
    }
  }
  out->append(word.substr(copied));
}

// word lowered (ASCII), without removable backticks when ticks is set, into
// buf of cap bytes; returns its length, or cap + 1 when it is longer.
std::size_t lower_into(std::string_view word, bool ticks, char* buf, std::size_t cap) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (ticks && word[i] == '`' && i + 1 < word.size() && removable_tick(word[i + 1])) continue;
    if (n == cap) return cap + 1;
    buf[n++] = to_lower(word[i]);
  }
  return n;
}

// Appends 'value' with every single-quote character doubled: PowerShell's escape.
void append_quoted(std::string* out, std::string_view value) {
  out->push_back('\'');
  std::size_t copied = 0;
  for (std::size_t i = 0; i < value.size();) {
    const char c = value[i];
    if (c == '\'' || static_cast<unsigned char>(c) == 0xE2) {
      if (const std::size_t q = single_quote_len(value, i)) {
        out->append(value.substr(copied, i + q - copied));
        out->append(value.substr(i, q));
        i += q;
        copied = i;
        continue;
      }
    }
    ++i;
  }
  out->append(value.substr(copied));
  out->push_back('\'');
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
constexpr std::uint8_t kStrEscape = 16;   // `n `t `0 ...
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

// (No default member initializers: token buffers are allocated without
// being cleared, and every token is written whole.)
struct Token {
  std::size_t begin;
  std::size_t data;   // kOpen: index of the matching kClose or kNone; kNumber: value
  std::uint32_t sub;  // kString: index of its value; kType, kDashOp, kPunct, kOpen, kClose: id
  Tk type;
  std::uint8_t flags;
};

bool string_constant(const Token& t) {
  return (t.flags & kStrTerminated) && !(t.flags & (kStrExpand | kStrInvalid));
}

struct Span {
  std::size_t begin = 0;
  std::size_t size = 0;
};

// The tokens of a script. It is reused from round to round (its buffers keep
// their capacity).
struct Lexed {
  // toks[0, size): the tokens, then a kEnd sentinel at the end of the input
  // (room tokens are allocated).
  std::unique_ptr<Token[]> toks;
  std::size_t size = 0;
  std::size_t room = 0;
  std::string pool;          // the values of the string literals, one after the other
  std::vector<Span> values;  // kString token t: its value is values[t.sub] in pool
  // The tokens the output pass rewrites when no replacement covers them:
  // constant literals with backtick escapes, words with backticks, line
  // continuations (in order).
  std::vector<std::size_t> rewrites;
  std::string scratch;             // for values that are not kept
  std::vector<std::size_t> stack;  // for matching brackets
  std::size_t end_of(std::size_t t) const { return toks[t + 1].begin; }
  std::size_t count() const { return size - 1; }
  std::string_view value(const Token& t) const {
    const Span& v = values[t.sub];
    return std::string_view(pool).substr(v.begin, v.size);
  }
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

// The id of the operator -name (name as written: any case).
std::uint32_t dash_op_id(std::string_view name) {
  char buf[8];
  const std::size_t n = lower_into(name, false, buf, sizeof buf);
  if (n > sizeof buf) return kOpOther;
  const std::string_view lname(buf, n);
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
  Lexer(std::string_view s, Lexed* out) : s_(s), n_(s.size()), out_(*out) {}

  void run() {
    out_.pool.clear();
    out_.values.clear();
    out_.rewrites.clear();
    out_.stack.clear();
    // Scripts run about one token per four bytes: room for one per three
    // avoids regrowing (the buffer is kept from round to round).
    const std::size_t room = n_ / 3 + 16;
    if (out_.room < room) {
      out_.toks.reset(new Token[room]);
      out_.room = room;
    }
    toks_ = out_.toks.get();
    room_ = out_.room;
    size_ = 0;
    out_.pool.reserve(n_ / 2 + 16);
    std::size_t i = 0;
    while (i < n_) i = next(i);
    push(Tk::kEnd, n_);
    out_.size = size_;
  }

 private:
  // Called for every token from many places: inlined (GCC would not, next()
  // being large), it saves a call per token.
  [[gnu::always_inline]] void push(Tk type, std::size_t begin, std::uint32_t sub = 0,
                                   std::size_t data = 0, std::uint8_t flags = 0) {
    if (size_ == room_) grow();
    toks_[size_++] = Token{begin, data, sub, type, flags};
  }
  // Brackets are matched as they come: an opening one waits on the stack for
  // its closing one (which must be of its kind).
  void push_open(std::size_t begin, std::uint32_t id) {
    out_.stack.push_back(size_);
    push(Tk::kOpen, begin, id, kNone);
  }
  void push_close(std::size_t begin, std::uint32_t id) {
    std::vector<std::size_t>& stack = out_.stack;
    if (!stack.empty() && closer_of(toks_[stack.back()].sub) == id) {
      toks_[stack.back()].data = size_;
      stack.pop_back();
    }
    push(Tk::kClose, begin, id);
  }
  void grow() {
    std::unique_ptr<Token[]> bigger(new Token[2 * room_]);
    std::copy(toks_, toks_ + size_, bigger.get());
    out_.toks = std::move(bigger);
    out_.room = 2 * room_;
    toks_ = out_.toks.get();
    room_ = out_.room;
  }

  // A string token whose value is the pool from `start` on.
  void push_string(std::size_t begin, std::size_t start, std::uint8_t flags) {
    out_.values.push_back(Span{start, out_.pool.size() - start});
    if ((flags & (kStrBacktick | kStrEscape)) && (flags & kStrTerminated) &&
        !(flags & (kStrExpand | kStrInvalid)))
      out_.rewrites.push_back(size_);
    push(Tk::kString, begin, static_cast<std::uint32_t>(out_.values.size() - 1), 0, flags);
  }

  // Lexes one token at i; returns where the next one starts (> i).
  std::size_t next(std::size_t i) {
    const char c = s_[i];
    switch (c) {
      case ' ':
      case '\t':
      case '\f':
      case '\v':
      case '\r':
      case '\n': {
        bool line = false;
        std::size_t j = i;
        while (j < n_ && is_space(s_[j])) line |= is_newline(s_[j++]);
        push(line ? Tk::kNewline : Tk::kSpace, i);
        return j;
      }
      case '`':
        if (i + 1 < n_ && is_newline(s_[i + 1])) {
          out_.rewrites.push_back(size_);
          push(Tk::kLineCont, i);
          return (s_[i + 1] == '\r' && i + 2 < n_ && s_[i + 2] == '\n') ? i + 3 : i + 2;
        }
        if (i + 1 < n_ && !is_blank(s_[i + 1])) return word(i);
        push(Tk::kOther, i);
        return std::min(n_, i + 2);  // `<blank>: an escaped blank
      case '\'': return single(i, 1);
      case '"': return dbl(i, 1);
      case '#': {
        const Tk prev = size_ == 0 ? Tk::kNewline : toks_[size_ - 1].type;
        if (prev == Tk::kWord || prev == Tk::kNumber || prev == Tk::kDashOp) {
          push(Tk::kOther, i);  // inside a bare word
          return i + 1;
        }
        const std::size_t e = s_.find_first_of("\r\n", i);
        push(Tk::kComment, i);
        return e == std::string_view::npos ? n_ : e;
      }
      case '<':
        if (i + 1 < n_ && s_[i + 1] == '#') {
          const std::size_t e = s_.find("#>", i + 2);
          push(Tk::kComment, i);
          return e == std::string_view::npos ? n_ : e + 2;
        }
        break;
      case '@': return at_sign(i);
      case '$': return dollar(i);
      case '[': {
        std::uint32_t id = kTypeOther;
        if (const std::size_t e = scan_type(i, &id)) {
          push(Tk::kType, i, id);
          return e;
        }
        push_open(i, '[');
        return i + 1;
      }
      case '(':
      case '{': push_open(i, static_cast<std::uint32_t>(c)); return i + 1;
      case ')':
      case ']':
      case '}': push_close(i, static_cast<std::uint32_t>(c)); return i + 1;
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9': return number(i);
      case '-': return dash(i, 1);
      case '+':
      case '*':
      case '/':
      case '%':
        if (i + 1 < n_ && (s_[i + 1] == '=' || (c == '+' && s_[i + 1] == '+'))) {
          push(Tk::kOther, i);  // += ++ *= /= %=
          return i + 2;
        }
        push(Tk::kPunct, i, static_cast<std::uint32_t>(c));
        return i + 1;
      case '.':
        if (i + 1 < n_ && s_[i + 1] == '.') {
          push(Tk::kPunct, i, kPRange);
          return i + 2;
        }
        push(Tk::kPunct, i, '.');
        return i + 1;
      case ':':
        if (i + 1 < n_ && s_[i + 1] == ':') {
          push(Tk::kPunct, i, kPStatic);
          return i + 2;
        }
        push(Tk::kOther, i);
        return i + 1;
      case '&':
      case '|':
        if (i + 1 < n_ && s_[i + 1] == c) {
          push(Tk::kPunct, i, c == '&' ? kPAndAnd : kPOrOr);
          return i + 2;
        }
        push(Tk::kPunct, i, static_cast<std::uint32_t>(c));
        return i + 1;
      case ',':
      case ';':
      case '!':
      case '=': push(Tk::kPunct, i, static_cast<std::uint32_t>(c)); return i + 1;
      default: break;
    }
    if (is_ident(c)) return word(i);
    if (!is_high(c)) {
      push(Tk::kOther, i);
      return i + 1;
    }
    if (const std::size_t q = single_quote_len(s_, i)) return single(i, q);
    if (const std::size_t q = double_quote_len(s_, i)) return dbl(i, q);
    if (dash_len(s_, i)) return dash(i, 3);
    if (word_char_len(s_, i)) return word(i);
    std::size_t len = 1;
    code_point_at(s_, i, &len);
    push(Tk::kOther, i);
    return i + len;
  }

  std::size_t single(std::size_t i, std::size_t q) {
    const std::size_t start = out_.pool.size();
    bool terminated = false;
    const std::size_t end = scan_single(i, q, &out_.pool, &terminated);
    push_string(i, start, terminated ? kStrTerminated : 0);
    return end;
  }

  std::size_t dbl(std::size_t i, std::size_t q) {
    const std::size_t start = out_.pool.size();
    std::uint8_t flags = kStrDouble;
    const std::size_t end = scan_double(i, q, &out_.pool, &flags, 0);
    push_string(i, start, flags);
    return end;
  }

  // - or a typographic dash (dl bytes) at i.
  std::size_t dash(std::size_t i, std::size_t dl) {
    if (i + dl < n_ && is_alpha(s_[i + dl])) {
      std::size_t j = i + dl;
      while (j < n_ && is_ident(s_[j])) ++j;
      push(Tk::kDashOp, i, dash_op_id(s_.substr(i + dl, j - i - dl)));
      return j;
    }
    if (dl == 1 && i + 1 < n_ && (s_[i + 1] == '-' || s_[i + 1] == '=')) {
      push(Tk::kOther, i);
      return i + 2;
    }
    if (dl == 1) {
      push(Tk::kPunct, i, '-');
      return i + 1;
    }
    push(Tk::kOther, i);
    return i + dl;
  }

  std::size_t word(std::size_t i) {
    std::uint8_t flags = 0;
    std::size_t j = i;
    while (j < n_) {
      const char c = s_[j];
      if (is_ident(c)) {
        ++j;
        continue;
      }
      if (c == '`') {
        if (j + 1 >= n_ || is_space(s_[j + 1])) break;
        if (removable_tick(s_[j + 1])) flags |= kWordTicks;
        std::size_t len = 1;
        if (is_high(s_[j + 1])) code_point_at(s_, j + 1, &len);
        j += 1 + len;
        continue;
      }
      if (c == '-' && j > i) {
        ++j;
        continue;
      }
      if (!is_high(c)) break;
      const std::size_t len = word_char_len(s_, j);
      if (len == 0) break;
      j += len;
    }
    if (j == i) {  // cannot happen (callers check), but never return without progress
      push(Tk::kOther, i);
      return i + 1;
    }
    if (flags & kWordTicks) out_.rewrites.push_back(size_);
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
        push_open(i, kPAtParen);
        return i + 2;
      }
      if (s_[i + 1] == '{') {
        push_open(i, kPAtBrace);
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
        push_open(i, kPDollarParen);
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
      if (is_ident(d) || (is_high(d) && word_char_len(s_, i + 1))) {
        std::size_t j = i + 1;
        while (j < n_) {
          const char c = s_[j];
          if (is_ident(c)) {
            ++j;
            continue;
          }
          if (c == ':' && j + 1 < n_ && is_ident(s_[j + 1])) {  // $env:x $script:x
            ++j;
            continue;
          }
          if (!is_high(c)) break;
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
    while (k < n_ && char_is(s_[k], kCTypeName)) ++k;
    std::string_view name = s_.substr(j, k - j);
    while (k < n_ && is_blank(s_[k])) ++k;
    bool array = false;
    if (k + 1 < n_ && s_[k] == '[' && s_[k + 1] == ']') {
      array = true;
      k += 2;
      while (k < n_ && is_blank(s_[k])) ++k;
    }
    if (k >= n_ || s_[k] != ']') return 0;
    if (name.size() >= 7 && lower_equals(name.substr(0, 7), "system.")) name.remove_prefix(7);
    if (lower_equals(name, "char"))
      *id = array ? kTypeCharArray : kTypeChar;
    else if (lower_equals(name, "string"))
      *id = array ? kTypeStringArray : kTypeString;
    else
      *id = kTypeOther;
    return k + 1;
  }

  // The first ' or non-ASCII byte at or after k (n_ when none). Eight bytes
  // at a time: a byte is ' when it is zero after xor with 0x27.
  std::size_t plain_end(std::size_t k) const {
    if constexpr (std::endian::native == std::endian::little) {
      constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
      constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
      while (k + 8 <= n_) {
        std::uint64_t w = 0;
        std::memcpy(&w, s_.data() + k, 8);
        const std::uint64_t q = w ^ (kOnes * '\'');
        // The lowest flagged byte is the first zero byte of q (the trick may
        // also flag bytes above a zero byte, never below).
        const std::uint64_t stop = ((q - kOnes) & ~q & kHigh) | (w & kHigh);
        if (stop) return k + static_cast<std::size_t>(std::countr_zero(stop) / 8);
        k += 8;
      }
    }
    while (k < n_ && s_[k] != '\'' && !is_high(s_[k])) ++k;
    return k;
  }

  std::size_t scan_single(std::size_t i, std::size_t qlen, std::string* value, bool* terminated) {
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
      const std::size_t k = plain_end(j + 1);  // a run of plain bytes
      value->append(s_.substr(j, k - j));
      j = k;
    }
    *terminated = false;
    return n_;
  }

  // One backtick escape at s[j] (j + 1 < end); returns the index after it.
  std::size_t escape(std::size_t j, std::size_t end, std::string* value, std::uint8_t* flags) {
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
                          int depth) {
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
      // A run of bytes that need no look: not a quote, backtick, $ or E2 (U+201C..).
      std::size_t k = j + 1;
      while (k < n_) {
        const char b = s_[k];
        if (b == '"' || b == '`' || b == '$' || static_cast<unsigned char>(b) == 0xE2) break;
        ++k;
      }
      value->append(s_.substr(j, k - j));
      j = k;
    }
    return n_;
  }

  // Code inside "...$( here )...": returns the index after the closing ')'.
  // The values of the literals in it are not kept (scanned into scratch).
  std::size_t skip_subexpression(std::size_t i, int depth) {
    std::string& ignored = out_.scratch;
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
        ignored.clear();
        bool terminated = false;
        j = scan_single(j, q, &ignored, &terminated);
        continue;
      } else if (const std::size_t dq = double_quote_len(s_, j); dq && depth < kMaxDepth) {
        ignored.clear();
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
    const std::size_t start = out_.pool.size();
    std::string& value = out_.pool;
    if (!dbl) {
      value.append(s_.substr(content, content_end - content));
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
    push_string(i, start, flags);
    return end == kNone ? n_ : end;
  }

  std::string_view s_;
  std::size_t n_;
  Lexed& out_;
  Token* toks_ = nullptr;  // out_.toks
  std::size_t room_ = 0;   // out_.room
  std::size_t size_ = 0;   // tokens written
};

// ---------------------------------------------------------------------------
// Values and parse nodes.

enum class VK : std::uint8_t { kOpaque, kString, kChar, kInt, kArray, kRange, kType };

struct Value;

// What a value keeps on the heap: its own text, the items of an array.
struct ValueHeap {
  std::string s;
  std::vector<Value> a;
};

// Values are made and moved for nearly every token, mostly opaque ones, so
// the fields are plain and everything on the heap is behind one pointer. A
// literal's value is not copied: `view` points into Lexed::pool.
// (Value and Node initialize their members in constructors, not with default
// member initializers: GCC clears an object whose members all start at zero
// with `rep stos`, which is slow at this size.)
struct Value {
  VK k;
  std::uint8_t clen;  // kChar: its UTF-8 in cbuf
  std::array<char, 3> cbuf;
  std::int64_t i;                   // kInt; kChar: UTF-16 code unit; kRange: from; kType: id
  std::int64_t j;                   // kRange: to
  std::string_view view;            // kString without heap: its text (a literal's value)
  std::unique_ptr<ValueHeap> heap;  // kString: its own text; kArray: the items

  Value() noexcept : k(VK::kOpaque), clen(0), i(0), j(0) { cbuf[0] = cbuf[1] = cbuf[2] = 0; }
  Value(Value&&) noexcept = default;
  Value& operator=(Value&&) noexcept = default;
  Value(const Value& o)
      : k(o.k),
        clen(o.clen),
        cbuf(o.cbuf),
        i(o.i),
        j(o.j),
        view(o.view),
        heap(o.heap ? std::make_unique<ValueHeap>(*o.heap) : nullptr) {}
  Value& operator=(const Value& o) {
    if (this != &o) *this = Value(o);
    return *this;
  }
  ~Value() = default;

  // The text of a kString or kChar (empty for the others).
  std::string_view str() const {
    if (k == VK::kChar) return std::string_view(cbuf.data(), clen);
    if (heap) return heap->s;
    return view;
  }
  // The text as an owned string that may be changed (made from str() the
  // first time).
  std::string& own() {
    if (!heap) {
      const std::string_view text = str();
      heap = std::make_unique<ValueHeap>();
      heap->s.assign(text);
    }
    return heap->s;
  }
  // The text, moved out.
  std::string take() {
    if (heap && k == VK::kString) return std::move(heap->s);
    return std::string(str());
  }
  // The items of a kArray.
  const std::vector<Value>& items() const;
  std::vector<Value>& items_mut() {
    if (!heap) heap = std::make_unique<ValueHeap>();
    return heap->a;
  }
};

const std::vector<Value> kNoItems;
const std::vector<Value>& Value::items() const {
  return heap ? heap->a : kNoItems;
}

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
    case VK::kChar: out->append(v.str()); return true;
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
      for (const Value& x : v.items())
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
  std::uint8_t buf[4];
  std::int32_t len = 0;
  UBool error = false;
  U8_APPEND(buf, len, 4, static_cast<UChar32>(code), error);
  if (error) len = 0;  // never: a BMP scalar value
  *out = Value{};
  out->k = VK::kChar;
  out->i = code;
  out->clen = static_cast<std::uint8_t>(len);
  for (std::int32_t n = 0; n < len && n < 3; ++n) out->cbuf[n] = static_cast<char>(buf[n]);
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
      const std::string_view text = v.str();
      if (text.empty()) return false;
      std::size_t len = 1;
      const UChar32 c = code_point_at(text, 0, &len);
      return c >= 0 && len == text.size() && make_char(c, out);
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
  std::size_t first;  // tokens [first, last); empty when equal
  // (first and last are not next to each other: GCC would compare them with
  // one 16-byte load, which stalls right after they were stored separately.)
  bool compound;  // made by folding: a string one is replaced as a whole
  KindList kinds;
  std::size_t last;
  // Replacements inside a constant non-string node (null when none).
  std::unique_ptr<std::vector<Repl>> pending;
  Node() noexcept : first(0), compound(false), last(0) {}

  bool empty() const { return first == last; }
  std::size_t pending_size() const { return pending ? pending->size() : 0; }
  std::vector<Repl>& pending_mut() {
    if (!pending) pending = std::make_unique<std::vector<Repl>>();
    return *pending;
  }
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

constexpr std::size_t kLongestKeyword = 12;  // dynamicparam, inlinescript

bool is_keyword(std::string_view lname) {
  static constexpr std::array<std::string_view, 38> kKeywords = {
      "begin",    "break",        "catch",        "class",    "continue", "data",     "define",
      "do",       "dynamicparam", "else",         "elseif",   "end",      "enum",     "exit",
      "filter",   "finally",      "for",          "foreach",  "from",     "function", "hidden",
      "if",       "in",           "inlinescript", "parallel", "param",    "process",  "return",
      "sequence", "static",       "switch",       "throw",    "trap",     "try",      "until",
      "using",    "while",        "workflow"};
  if (lname.size() < 2 || lname.size() > kLongestKeyword) return false;
  for (const std::string_view k : kKeywords)
    if (k.size() == lname.size() && k[0] == lname[0] && k == lname) return true;
  return false;
}

// The members that fold; kMemOther for every other name.
enum Member : std::uint8_t {
  kMemOther,
  kMemJoin,
  kMemConcat,
  kMemLength,
  kMemToString,
  kMemReplace
};

// The member called name (lowered; without removable backticks when ticks is set).
Member member_id(std::string_view name, bool ticks) {
  if (name.size() < 4) return kMemOther;  // shorter than any (backticks only shorten)
  char buf[8];
  const std::size_t n = lower_into(name, ticks, buf, sizeof buf);
  const std::string_view lname(buf, n <= sizeof buf ? n : 0);
  switch (lname.size()) {
    case 4: return lname == "join" ? kMemJoin : kMemOther;
    case 6:
      if (lname == "concat") return kMemConcat;
      return lname == "length" ? kMemLength : kMemOther;
    case 7: return lname == "replace" ? kMemReplace : kMemOther;
    case 8: return lname == "tostring" ? kMemToString : kMemOther;
    default: return kMemOther;
  }
}

// The Folder's buffers, kept from round to round.
struct FoldScratch {
  std::vector<Repl> repls;
  std::deque<Node> args;  // a deque: its elements stay in place as it grows
  std::vector<std::size_t> prefixes;
};

// Arguments of one call: args[begin, begin + size) of the argument stack.
struct Args {
  const std::deque<Node>* all;
  std::size_t begin;
  std::size_t size;
  const Node& operator[](std::size_t k) const { return (*all)[begin + k]; }
};

class Folder {
 public:
  Folder(std::string_view src, const Lexed& lx, std::size_t max_value, std::size_t* budget,
         FoldScratch* scratch)
      : src_(src),
        lx_(lx),
        max_value_(max_value),
        budget_(budget),
        repls_(scratch->repls),
        args_(scratch->args),
        prefixes_(scratch->prefixes) {
    repls_.clear();
    args_.clear();
    prefixes_.clear();
  }

  // The replacements are left in scratch->repls.
  void run() { parse_statements(0, lx_.count(), 0); }
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
    constexpr unsigned kBlank = (1u << static_cast<unsigned>(Tk::kSpace)) |
                                (1u << static_cast<unsigned>(Tk::kLineCont)) |
                                (1u << static_cast<unsigned>(Tk::kComment));
    const unsigned mask = kBlank | (newlines ? 1u << static_cast<unsigned>(Tk::kNewline) : 0u);
    while (p < end && ((1u << static_cast<unsigned>(tok(p).type)) & mask)) ++p;
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
    // Most nodes are neither compound nor hold replacements: nothing to do
    // (a test where it is called, not a call).
    if (n.compound || n.pending) finalize_some(&n);
  }
  void finalize_some(Node* n) {
    if (n->empty()) return;
    if (n->v.k == VK::kString && n->compound) {
      keep(n);
      return;
    }
    hand_on(n);
  }
  // A compound string node's replacement.
  void keep(Node* n) { repls_.push_back(Repl{n->first, n->last, n->v.take(), n->kinds}); }
  // Moves a node's pending replacements to the output.
  void hand_on(Node* n) {
    if (!n->pending) return;
    for (Repl& r : *n->pending) repls_.push_back(std::move(r));
    n->pending.reset();
  }
  // Keeps a child's replacements in a constant non-string node.
  void absorb(Node* into, Node* child) {
    if (child->v.k == VK::kString && child->compound) {
      spend(child->v.str().size());
      into->pending_mut().push_back(
          Repl{child->first, child->last, std::string(child->v.str()), child->kinds});
      return;
    }
    if (!child->pending) return;
    if (into->pending_size() < child->pending_size()) into->pending.swap(child->pending);
    if (!child->pending) return;
    for (Repl& r : *child->pending) into->pending->push_back(std::move(r));
    child->pending->clear();
  }

  // ---- statements ----
  void parse_statements(std::size_t p, std::size_t end, int depth) {
    while (p < end) {
      p = skip_ws(p, end, true);
      if (p >= end) break;
      const Token& t = tok(p);
      if (t.type == Tk::kWord) {
        char buf[kLongestKeyword + 1];
        const std::size_t n = lower_into(text(p), true, buf, sizeof buf);
        if (n <= sizeof buf && is_keyword(std::string_view(buf, n))) {
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
      Node e;
      parse_expr(p, end, depth, kLvLogical, false, &e);
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
      if (is_leaf(t.type) && bare(p, end)) {  // what parse_postfix would do, in short
        Node a;
        leaf(p, &a);
        p = a.last;
        continue;
      }
      if (t.type == Tk::kString || t.type == Tk::kNumber || t.type == Tk::kVariable ||
          t.type == Tk::kType || t.type == Tk::kOpen) {
        Node a;
        parse_postfix(p, end, depth, &a);
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

  // The parse functions build their result in *out, which is a new Node
  // when they are called (so that no Node is moved on the common paths).
  void parse_expr(std::size_t p, std::size_t end, int depth, int min_level, bool no_comma,
                  Node* out) {
    Node& left = *out;
    if (is_leaf(tok(p).type)) {
      // What parse_array would do, in short: a leaf is no prefix, and one
      // without a postfix is its own primary.
      if (bare(p, end))
        leaf(p, &left);
      else
        parse_postfix(p, end, depth, &left);
      finish_array(end, depth, no_comma, &left);
    } else {
      parse_array(p, end, depth, no_comma, &left);
    }
    while (!left.empty()) {
      const std::size_t q = skip_ws(left.last, end, false);
      if (q >= end) break;
      std::uint32_t op = 0;
      const int level = binary_level(q, &op);
      if (level == kLvNone || level < min_level) break;
      const std::size_t r = skip_ws(q + 1, end, true);
      Node right;
      if (r < end) parse_expr(r, end, depth, level + 1, no_comma, &right);
      if (right.empty()) {  // an operator without an operand
        Node bad;
        bad.first = left.first;
        bad.last = q + 1;
        finalize(std::move(left));
        left = std::move(bad);
        break;
      }
      binary(op, &left, &right);
    }
  }

  // a, b, c: an array literal (comma binds tighter than the binary operators).
  void parse_array(std::size_t p, std::size_t end, int depth, bool no_comma, Node* out) {
    parse_unary(p, end, depth, out);
    finish_array(end, depth, no_comma, out);
  }
  // The rest of an array whose first item is *out (then the array).
  void finish_array(std::size_t end, int depth, bool no_comma, Node* out) {
    if (out->empty() || no_comma) return;
    const std::size_t q = skip_ws(out->last, end, false);
    if (q >= end || !punct(q, ',')) return;
    build_array(q, end, depth, out);
  }
  // An array: *out is its first item, a comma at q follows.
  void build_array(std::size_t q, std::size_t end, int depth, Node* out) {
    Node& arr = *out;
    Node first = std::move(arr);
    arr = Node{};
    arr.first = first.first;
    arr.v.k = VK::kArray;
    arr.compound = true;
    bool constant = true;
    auto add = [&](Node&& item) {
      if (!item.empty()) arr.last = item.last;
      if (constant && is_scalar(item.v) && arr.v.items().size() < kMaxItems && spend(1)) {
        arr.kinds.merge(item.kinds);
        absorb(&arr, &item);
        arr.v.items_mut().push_back(std::move(item.v));
        return;
      }
      if (constant) {  // switch to opaque: hand the constant items' replacements on
        constant = false;
        hand_on(&arr);
        arr.v = Value{};
        arr.compound = false;
      }
      finalize(std::move(item));
    };
    add(std::move(first));
    while (q < end && punct(q, ',')) {
      const std::size_t r = skip_ws(q + 1, end, true);
      Node item;
      if (r < end) parse_unary(r, end, depth, &item);
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
  }

  void parse_unary(std::size_t p, std::size_t end, int depth, Node* out) {
    // This call's prefixes are prefixes_[base, ...); nested calls use the
    // stack above them and leave it as they found it.
    const std::size_t base = prefixes_.size();
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
      prefixes_.push_back(q);
      q = skip_ws(q + 1, end, false);
    }
    Node& n = *out;
    if (q < end) parse_postfix(q, end, depth, &n);
    if (n.empty()) {
      n = Node{};
      if (prefixes_.size() > base) {
        n.first = p;
        n.last = prefixes_.back() + 1;
        prefixes_.resize(base);
      }
      return;
    }
    for (std::size_t k = prefixes_.size(); k-- > base;) unary(prefixes_[k], &n);
    prefixes_.resize(base);
  }

  void parse_postfix(std::size_t p, std::size_t end, int depth, Node* out) {
    Node& n = *out;
    parse_primary(p, end, depth, &n);
    while (!n.empty() && n.last < end) {
      const std::size_t q = n.last;
      if (open(q, '[')) {
        parse_index(&n, q, end, depth);
        continue;
      }
      if ((punct(q, '.') || punct(q, kPStatic)) && q + 1 < end) {
        const Tk m = tok(q + 1).type;
        if (m == Tk::kWord || m == Tk::kString || m == Tk::kVariable || open(q + 1, '(')) {
          parse_member(&n, q, end, depth);
          continue;
        }
      }
      break;
    }
  }

  void parse_primary(std::size_t p, std::size_t end, int depth, Node* out) {
    const Token& t = tok(p);
    if (t.type == Tk::kOpen) {
      parse_group(p, end, depth, out);
      return;
    }
    Node& n = *out;
    if (is_leaf(t.type)) {
      leaf(p, &n);
      return;
    }
    n.first = p;
    n.last = p + 1;
    switch (t.type) {
      case Tk::kType:
        n.v.k = VK::kType;
        n.v.i = t.sub;
        break;
      default: n.last = p; break;
    }
  }

  // Strings, numbers and variables: primaries of one token, never prefixes.
  static bool is_leaf(Tk type) {
    return type == Tk::kString || type == Tk::kNumber || type == Tk::kVariable;
  }
  // The primary of the leaf token at p (into a new node).
  void leaf(std::size_t p, Node* out) {
    const Token& t = tok(p);
    Node& n = *out;
    n.first = p;
    n.last = p + 1;
    if (t.type == Tk::kString) {
      if (string_constant(t)) {
        const std::string_view value = lx_.value(t);
        if (spend(value.size() + 1)) {
          n.v.k = VK::kString;
          n.v.view = value;
        }
      }
    } else if (t.type == Tk::kNumber) {
      if (t.flags & kNumValid) {
        n.v.k = VK::kInt;
        n.v.i = static_cast<std::int64_t>(t.data);
      }
    }
  }
  // Whether nothing that parse_postfix takes ([index], .member, ::member)
  // follows the token at p.
  bool bare(std::size_t p, std::size_t end) const {
    if (p + 1 >= end) return true;
    const Token& t = tok(p + 1);
    if (t.type == Tk::kOpen) return t.sub != '[';
    if (t.type == Tk::kPunct) return t.sub != '.' && t.sub != kPStatic;
    return true;
  }

  void parse_group(std::size_t p, std::size_t end, int depth, Node* out) {
    const std::size_t close = close_of(p, end);
    Node& n = *out;
    n.first = p;
    n.last = close < end ? close + 1 : end;
    if (depth >= kMaxDepth) return;  // too deep: left as it is
    const std::uint32_t id = tok(p).sub;
    std::size_t q = skip_ws(p + 1, close, true);
    if (id == '(' || id == kPAtParen) {
      if (q == close) {
        if (id == kPAtParen) n.v.k = VK::kArray;  // @()
        return;
      }
      if (!starts_command(q)) {
        Node e;
        parse_expr(q, close, depth + 1, kLvLogical, false, &e);
        if (!e.empty()) {
          const std::size_t r = skip_ws(e.last, close, true);
          if (r == close && is_const(e.v)) {
            n.kinds = e.kinds;
            absorb(&n, &e);
            if (id == '(') {
              n.v = std::move(e.v);
            } else if (!to_array(std::move(e.v), &n.v)) {
              hand_on(&n);
              n.v = Value{};
            }
            return;
          }
          finalize(std::move(e));
          q = r;
        }
      }
    }
    parse_statements(q, close, depth + 1);
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
        out->items_mut().push_back(x);
        return true;
      });
    }
    out->k = VK::kArray;
    out->items_mut().push_back(std::move(v));
    return true;
  }

  // base[index]: *n is the base, then the result.
  void parse_index(Node* n, std::size_t q, std::size_t end, int depth) {
    Node& base = *n;
    const std::size_t close = close_of(q, end);
    const std::size_t first = base.first;
    const std::size_t last = close < end ? close + 1 : end;
    if (depth >= kMaxDepth) {
      finalize(std::move(base));
      make_opaque(&base, first, last);
      return;
    }
    const std::size_t s = skip_ws(q + 1, close, true);
    Node idx;
    if (s < close) parse_expr(s, close, depth + 1, kLvLogical, false, &idx);
    const std::size_t e = skip_ws(idx.empty() ? s : idx.last, close, true);
    const bool full = !idx.empty() && e == close;
    Value out;
    KindList kinds;
    if (full && is_const(base.v) && is_const(idx.v) && index(base.v, idx.v, &out, &kinds)) {
      Node r;
      r.first = first;
      r.last = last;
      r.compound = true;
      r.kinds = base.kinds;
      r.kinds.merge(idx.kinds);
      r.kinds.merge(kinds);
      absorb(&r, &base);
      absorb(&r, &idx);
      r.v = std::move(out);
      base = std::move(r);
      return;
    }
    finalize(std::move(base));
    finalize(std::move(idx));
    if (!full) parse_statements(e, close, depth + 1);
    make_opaque(&base, first, last);
  }

  // .Name, .'Name', ."Name", .$name, .(expr), ::Name, each maybe invoked: (args).
  // *n is the base, then the result.
  void parse_member(Node* n, std::size_t dot, std::size_t end, int depth) {
    Node& base = *n;
    const std::size_t m = dot + 1;
    // The name matters only when the member may fold (a constant or type base).
    const bool may_fold = is_const(base.v) || base.v.k == VK::kType;
    Member name = kMemOther;
    bool known = false;
    Node name_node;
    std::size_t after = m + 1;
    const Token& mt = tok(m);
    if (mt.type == Tk::kWord) {
      if (may_fold) name = member_id(text(m), true);
      known = true;
    } else if (mt.type == Tk::kString) {
      if (string_constant(mt)) {
        if (may_fold) name = member_id(lx_.value(mt), false);
        known = true;
      }
    } else if (mt.type == Tk::kOpen) {
      parse_group(m, end, depth, &name_node);
      after = name_node.last;
      if (name_node.v.k == VK::kString) {
        if (may_fold) name = member_id(name_node.v.str(), false);
        known = true;
      }
    }
    const std::size_t first = base.first;
    std::size_t last = after;
    // The arguments are args_[args_begin, args_.size()) (nested calls use the
    // stack above them and leave it as they found it).
    const std::size_t args_begin = args_.size();
    bool args_ok = true;
    const bool invoked = after < end && open(after, '(');
    if (invoked) {
      const std::size_t close = close_of(after, end);
      last = close < end ? close + 1 : end;
      if (depth >= kMaxDepth) {
        args_ok = false;
      } else {
        std::size_t q = skip_ws(after + 1, close, true);
        while (q < close) {
          // Parsed in place on the stack (nested calls push and pop above it).
          Node& a = args_.emplace_back();
          parse_expr(q, close, depth + 1, kLvLogical, true, &a);
          if (a.empty()) {
            args_.pop_back();
            args_ok = false;
            break;
          }
          q = skip_ws(a.last, close, true);
          if (q == close) break;
          if (!punct(q, ',')) {
            args_ok = false;
            break;
          }
          q = skip_ws(q + 1, close, true);
        }
        if (!args_ok) {
          drop_args(args_begin);
          parse_statements(q, close, depth + 1);
        }
      }
    }
    const std::size_t nargs = args_.size() - args_begin;
    const Args args{&args_, args_begin, nargs};
    Value out;
    KindList kinds;
    bool ok = known && args_ok && may_fold;
    for (std::size_t k = 0; k < nargs; ++k) ok = ok && is_const(args[k].v);
    if (ok) ok = member(base.v, name, invoked, args, &out, &kinds);
    if (ok) {
      Node r;
      r.first = first;
      r.last = last;
      r.compound = true;
      r.kinds = base.kinds;
      r.kinds.merge(name_node.kinds);
      for (std::size_t k = 0; k < nargs; ++k) r.kinds.merge(args[k].kinds);
      r.kinds.merge(kinds);
      if (out.k != VK::kString) {
        absorb(&r, &base);
        absorb(&r, &name_node);
        for (std::size_t k = 0; k < nargs; ++k) absorb(&r, &args_[args_begin + k]);
      }
      while (args_.size() > args_begin) args_.pop_back();
      r.v = std::move(out);
      base = std::move(r);
      return;
    }
    finalize(std::move(base));
    finalize(std::move(name_node));
    drop_args(args_begin);
    make_opaque(&base, first, last);
  }

  // Makes *n a new opaque node over [first, last) (as Node{} with those,
  // without building one).
  static void make_opaque(Node* n, std::size_t first, std::size_t last) {
    n->v.k = VK::kOpaque;
    n->v.clen = 0;
    n->v.cbuf[0] = n->v.cbuf[1] = n->v.cbuf[2] = 0;
    n->v.i = 0;
    n->v.j = 0;
    n->v.view = std::string_view();
    n->v.heap.reset();
    n->first = first;
    n->compound = false;
    n->kinds = KindList{};
    n->last = last;
    n->pending.reset();
  }

  // Finalizes the arguments args_[begin, ...) and takes them off the stack.
  void drop_args(std::size_t begin) {
    for (std::size_t k = begin; k < args_.size(); ++k) finalize(std::move(args_[k]));
    while (args_.size() > begin) args_.pop_back();
  }

  // ---- operations ----
  // left op right: *left becomes the result.
  void binary(std::uint32_t op, Node* lp, Node* rp) {
    Node& left = *lp;
    Node& right = *rp;
    const std::size_t first = left.first;
    const std::size_t last = right.last;
    Value out;
    KindList kinds;
    if (is_const(left.v) && is_const(right.v) && binary_value(op, &left.v, right.v, &out, &kinds)) {
      Node r;
      r.first = first;
      r.last = last;
      r.compound = true;
      r.kinds = left.kinds;
      r.kinds.merge(right.kinds);
      r.kinds.merge(kinds);
      if (out.k != VK::kString) {
        absorb(&r, &left);
        absorb(&r, &right);
      }
      r.v = std::move(out);
      left = std::move(r);
      return;
    }
    finalize(std::move(left));
    finalize(std::move(right));
    make_opaque(&left, first, last);
  }

  // prefix operand: *operand becomes the result.
  void unary(std::size_t prefix, Node* op) {
    Node& operand = *op;
    const std::size_t last = operand.last;
    Value out;
    KindList kinds;
    if (is_const(operand.v) && unary_value(prefix, operand.v, &out, &kinds)) {
      Node r;
      r.first = prefix;
      r.last = last;
      r.compound = true;
      r.kinds = operand.kinds;
      r.kinds.merge(kinds);
      if (out.k != VK::kString) absorb(&r, &operand);
      r.v = std::move(out);
      operand = std::move(r);
      return;
    }
    finalize(std::move(operand));
    make_opaque(&operand, prefix, last);
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
          if (l.k == VK::kChar && !is_text(right)) return false;
          std::string digits;
          std::string_view tail;
          if (is_text(right)) {
            tail = right.str();
          } else {
            if (!append_text(right, &digits)) return false;
            tail = digits;
          }
          if (!fits(l.str().size() + tail.size()) || !spend(tail.size() + 1)) return false;
          *out = std::move(*left);
          std::string& text = out->own();  // before k changes: a char's text is in cbuf
          out->k = VK::kString;
          text += tail;
          kinds->add(kKindConcat);
          return true;
        }
        if (l.k == VK::kInt && right.k == VK::kInt) return int_result(l.i + right.i, out);
        if (l.k == VK::kArray && (right.k == VK::kArray || is_scalar(right))) {
          const std::size_t n =
              l.items().size() + (right.k == VK::kArray ? right.items().size() : 1);
          if (n > kMaxItems || !spend(n)) return false;
          *out = std::move(*left);  // an array is never replaced itself: its value is free
          std::vector<Value>& items = out->items_mut();
          if (right.k == VK::kArray)
            items.insert(items.end(), right.items().begin(), right.items().end());
          else
            items.push_back(right);
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
        if (!ok || !format(l.str(), args, &out->own())) return false;
        out->k = VK::kString;
        kinds->add(kKindFormat);
        return true;
      }
      case 1000 + kOpJoin: {
        std::string sep;
        if (right.k == VK::kArray || right.k == VK::kRange || !append_text(right, &sep))
          return false;
        if (!join(l, sep, &out->own())) return false;
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
          const std::vector<Value>& items = right.items();
          if (items.empty() || items.size() > 2) return false;
          pattern = &items[0];
          if (items.size() == 2) replacement = &items[1];
        }
        std::string pat;
        std::string rep;
        if (!is_text(*pattern) || !append_text(*pattern, &pat)) return false;
        if (replacement && !append_text(*replacement, &rep)) return false;
        if (pat.empty() || !regex_plain(pat) || rep.find('$') != std::string::npos) return false;
        const bool ci = op != 1000 + kOpCReplace;
        if (ci &&
            (has_high(pat) || (has_high(l.str()) && std::any_of(pat.begin(), pat.end(), is_alpha))))
          return false;  // non-ASCII case folding is culture-dependent
        if (!replace_all(l.str(), pat, rep, ci, &out->own())) return false;
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
      if (t.sub != kOpJoin || !join(v, "", &out->own())) return false;
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
            out->own() = std::to_string(v.i);
          } else if (is_text(v) && spend(v.str().size())) {
            if (v.k == VK::kString && !v.heap)
              out->view = v.view;  // a literal's value: still not copied
            else
              out->own().assign(v.str());
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
          out->items_mut().push_back(v);
          return spend(v.str().size() + 1);
        default: return false;
      }
    }
    return false;
  }

  bool to_char_array(const Value& v, Value* out) {
    out->k = VK::kArray;
    if (v.k == VK::kString) {
      std::vector<std::uint16_t> units;
      const std::string_view text = v.str();
      if (text.size() > kMaxItems * 3 || !spend(text.size()) || !bmp_units(text, &units) ||
          units.size() > kMaxItems)
        return false;
      for (const std::uint16_t u : units) {
        Value c;
        if (!make_char(u, &c)) return false;
        out->items_mut().push_back(std::move(c));
      }
      return true;
    }
    return each_item(v, [&](const Value& x) {
      Value c;
      if (!to_char(x, &c) || out->items().size() >= kMaxItems || !spend(1)) return false;
      out->items_mut().push_back(std::move(c));
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
      if (!spend(base.str().size()) || !bmp_units(base.str(), &units)) return false;
      length = units.size();
    } else if (base.k == VK::kArray) {
      length = base.items().size();
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
        item = base.items()[static_cast<std::size_t>(e)];
        bytes += item.str().size();
        if (!fits(bytes) || !spend(item.str().size() + 1)) return false;
      }
      items.push_back(std::move(item));
    }
    if (ids.size() >= 2 && first > last) kinds->add(kKindReverse);
    if (scalar) {
      *out = std::move(items[0]);
    } else {
      out->k = VK::kArray;
      out->items_mut() = std::move(items);
    }
    return true;
  }

  bool member(const Value& base, Member name, bool invoked, const Args& args, Value* out,
              KindList* kinds) {
    const std::size_t nargs = args.size;
    if (*budget_ == 0) return false;
    if (base.k == VK::kType) {  // [string]::Join(sep, ...), [string]::Concat(...)
      if (base.i != kTypeString || !invoked) return false;
      if (name == kMemJoin) {
        std::string sep;
        if (nargs == 0 || !is_text(args[0].v) || !append_text(args[0].v, &sep)) return false;
        if (nargs == 2) {
          if (!join(args[1].v, sep, &out->own())) return false;
        } else {
          Value list;
          list.k = VK::kArray;
          for (std::size_t n = 1; n < nargs; ++n) {
            if (args[n].v.k == VK::kArray || args[n].v.k == VK::kRange) return false;
            list.items_mut().push_back(args[n].v);
          }
          if (!join(list, sep, &out->own())) return false;
        }
        out->k = VK::kString;
        kinds->add(kKindJoin);
        return true;
      }
      if (name == kMemConcat) {
        if (nargs == 1) {
          if (!join(args[0].v, "", &out->own())) return false;
        } else {
          std::string& text = out->own();
          for (std::size_t n = 0; n < nargs; ++n) {
            const Value& a = args[n].v;
            if (a.k == VK::kArray || a.k == VK::kRange || !append_text(a, &text) ||
                !fits(text.size()))
              return false;
          }
          if (!spend(text.size() + 1)) return false;
        }
        out->k = VK::kString;
        kinds->add(kKindConcat);
        return true;
      }
      return false;
    }
    if (!invoked) {
      if (name != kMemLength) return false;
      if (base.k == VK::kString) {
        if (!spend(base.str().size())) return false;
        std::vector<std::uint16_t> units;
        if (!bmp_units(base.str(), &units)) return false;
        return int_result(static_cast<std::int64_t>(units.size()), out);
      }
      if (base.k == VK::kArray)
        return int_result(static_cast<std::int64_t>(base.items().size()), out);
      return false;
    }
    if (name == kMemToString && nargs == 0) {
      if (base.k != VK::kInt && !is_text(base)) return false;
      std::string& text = out->own();
      if (!append_text(base, &text) || !spend(text.size() + 1)) return false;
      out->k = VK::kString;
      return true;
    }
    if (name == kMemReplace && nargs == 2 && base.k == VK::kString) {
      std::string from;
      std::string to;
      if (!is_text(args[0].v) || !append_text(args[0].v, &from) || from.empty()) return false;
      if (!is_text(args[1].v) || !append_text(args[1].v, &to)) return false;
      if (!replace_all(base.str(), from, to, false, &out->own())) return false;
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
  std::vector<Repl>& repls_;
  std::deque<Node>& args_;              // arguments of the calls being parsed
  std::vector<std::size_t>& prefixes_;  // prefix operators being parsed
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

// Writes the round's output into round->text (cleared first).
void emit(std::string_view src, const Lexed& lx, std::vector<Repl>* repls, std::size_t max_output,
          Round* round) {
  std::sort(repls->begin(), repls->end(),
            [](const Repl& a, const Repl& b) { return a.first < b.first; });
  round->folds = 0;
  round->kinds = KindList{};
  round->overflow = false;
  std::string& out = round->text;
  out.clear();
  out.reserve(std::min(src.size(), max_output));
  // Tokens written as they are, from `copied` on, are appended in one piece
  // (flushed) before anything else is written or out is looked at. out only
  // grows, so checking its size after each flush finds every overflow.
  std::size_t copied = 0;
  auto flush = [&](std::size_t upto) {
    out.append(src.substr(copied, upto - copied));
    copied = upto;
    return out.size() <= max_output;
  };
  // Only replacements and the tokens in lx.rewrites are written otherwise:
  // the loop goes from one of them to the next.
  std::size_t r = 0;
  std::size_t w = 0;
  const std::vector<std::size_t>& rewrites = lx.rewrites;
  const std::size_t count = lx.count();
  for (std::size_t t = 0; t < count;) {
    while (r < repls->size() && (*repls)[r].first < t) ++r;  // overlapping: never, but skip
    while (w < rewrites.size() && rewrites[w] < t) ++w;
    const std::size_t next_repl = r < repls->size() ? (*repls)[r].first : count;
    const std::size_t next_rewrite = w < rewrites.size() ? rewrites[w] : count;
    t = std::min(next_repl, next_rewrite);  // the tokens before are written as they are
    if (t >= count) break;
    if (next_repl == t) {
      const Repl& rp = (*repls)[r++];
      if (!flush(lx.toks[t].begin)) {
        round->overflow = true;
        return;
      }
      if (!out.empty() && (is_ident(out.back()) || ends_with_quote(out))) out.push_back(' ');
      append_quoted(&out, rp.value);
      const std::size_t next = lx.toks[rp.last].begin;
      if (next < src.size() && (is_ident(src[next]) || single_quote_len(src, next)))
        out.push_back(' ');
      round->kinds.merge(rp.kinds);
      for (std::size_t k = rp.first; k < rp.last; ++k) token_kinds(lx.toks[k], &round->kinds);
      ++round->folds;
      t = rp.last;
      copied = next;
      if (out.size() > max_output) {
        round->overflow = true;
        return;
      }
    } else {
      const Token& tok = lx.toks[t];
      ++t;
      const std::size_t begin = tok.begin;
      const std::size_t end = lx.toks[t].begin;
      const std::size_t after = end;
      if (!flush(begin)) {
        round->overflow = true;
        return;
      }
      if (tok.type == Tk::kString && !ends_with_quote(out) &&
          !(after < src.size() && (single_quote_len(src, after) || double_quote_len(src, after)))) {
        append_quoted(&out, lx.value(tok));
        token_kinds(tok, &round->kinds);
        ++round->folds;
      } else if (tok.type == Tk::kWord) {
        append_without_ticks(&out, src.substr(begin, end - begin));
        token_kinds(tok, &round->kinds);
        ++round->folds;
      } else if (tok.type == Tk::kLineCont) {
        // The continuation separates tokens like a blank does.
        if (!out.empty() && !is_blank(out.back()) && !is_newline(out.back()) &&
            after < src.size() && !is_blank(src[after]) && !is_newline(src[after]))
          out.push_back(' ');
        token_kinds(tok, &round->kinds);
        ++round->folds;
      } else {
        continue;  // a literal left as it is: written with the next flush
      }
      copied = end;
      if (out.size() > max_output) {
        round->overflow = true;
        return;
      }
    }
  }
  if (!flush(lx.toks[count].begin)) round->overflow = true;
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
  Lexed lx;  // reused by every round, as are scratch and r.text
  FoldScratch scratch;
  Round r;
  for (std::size_t round = 0; round < options.max_rounds; ++round) {
    Lexer(current, &lx).run();
    Folder folder(current, lx, options.max_output, &budget, &scratch);
    folder.run();
    std::vector<Repl>& repls = scratch.repls;
    if (folder.truncated()) result.truncated = true;
    // Nothing to replace or rewrite: the output would be current itself (no
    // larger than max_output), with no folds.
    if (repls.empty() && lx.rewrites.empty()) break;
    emit(current, lx, &repls, options.max_output, &r);
    if (r.overflow) {
      result.truncated = true;
      break;
    }
    if (r.folds == 0 || r.text == current) break;
    result.folds += r.folds;
    kinds.merge(r.kinds);
    current.swap(r.text);
  }
  for (std::uint8_t i = 0; i < kinds.size; ++i) result.kinds.emplace_back(kKindNames[kinds.ids[i]]);
  result.script = std::move(current);
  return result;
}

std::vector<PsString> find_powershell_strings(std::string_view script) {
  std::vector<PsString> strings;
  Lexed lx;
  Lexer(script, &lx).run();
  for (std::size_t t = 0; t < lx.count(); ++t) {
    const Token& tok = lx.toks[t];
    if (tok.type != Tk::kString || !(tok.flags & kStrTerminated)) continue;
    PsString s;
    s.value = lx.value(tok);
    s.begin = tok.begin;
    s.end = lx.end_of(t);
    s.quote = (tok.flags & kStrDouble) ? '"' : '\'';
    s.constant = string_constant(tok);
    strings.push_back(std::move(s));
  }
  return strings;
}

}  // namespace ioc::text
