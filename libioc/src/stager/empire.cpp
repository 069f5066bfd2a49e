// PowerShell Empire launchers: a small lexer (string literals, backticks,
// constant '+' concatenation), a table of variable assignments, and a few
// evaluators that follow the WebClient's calls back to the values they use.
#include "ioc/stager/empire.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ioc/codec/base64.hpp"
#include "ioc/codec/rc4.hpp"
#include "ioc/codec/utf16.hpp"
#include "ioc/core/limits.hpp"

namespace ioc::stager {
namespace {

// How far an argument list or an expression may reach from where it starts,
// and how many calls of one kind are looked at: bounded work on any input.
constexpr std::size_t kWindow = 16 * kKiB;
constexpr std::size_t kMaxCalls = 256;
constexpr int kMaxDepth = 8;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == ':';
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

/// A string literal of the normalized script: its text [begin, end) with the
/// quotes, and its value.
struct Literal {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string value;
  bool constant = true;  ///< false for "...$var..." strings
};

struct LiteralRead {
  std::size_t end = 0;  ///< one past the closing quote (the input's end if unterminated)
  std::string value;
  bool constant = true;
};

bool starts_here_string(std::string_view in, std::size_t i) {
  if (i + 2 >= in.size() || in[i] != '@' || (in[i + 1] != '\'' && in[i + 1] != '"')) return false;
  std::size_t j = i + 2;
  while (j < in.size() && (in[j] == ' ' || in[j] == '\t')) ++j;
  return j < in.size() && (in[j] == '\n' || in[j] == '\r');
}

bool starts_literal(std::string_view in, std::size_t i) {
  return in[i] == '\'' || in[i] == '"' || starts_here_string(in, i);
}

LiteralRead read_literal(std::string_view in, std::size_t i) {
  LiteralRead r;
  const std::size_t n = in.size();
  if (in[i] == '@') {  // here-string: @'<line break> ... <line break>'@
    const char q = in[i + 1];
    std::size_t j = i + 2;
    while (in[j] == ' ' || in[j] == '\t') ++j;  // starts_here_string: a line break follows
    const std::size_t body = (in[j] == '\r' && j + 1 < n && in[j + 1] == '\n') ? j + 2 : j + 1;
    const std::string_view close = q == '\'' ? std::string_view("\n'@") : std::string_view("\n\"@");
    const std::size_t stop = in.find(close, body - 1);
    if (stop == std::string_view::npos) {
      r.value.assign(in.substr(std::min(body, n)));
      r.end = n;
    } else {
      std::size_t vend = stop;
      if (vend > body && in[vend - 1] == '\r') --vend;
      r.value.assign(in.substr(body, vend > body ? vend - body : 0));
      r.end = stop + close.size();
    }
    r.constant = q == '\'' || r.value.find('$') == std::string::npos;
    return r;
  }
  if (in[i] == '\'') {
    std::size_t j = i + 1;
    while (j < n) {
      if (in[j] == '\'') {
        if (j + 1 < n && in[j + 1] == '\'') {
          r.value += '\'';
          j += 2;
          continue;
        }
        r.end = j + 1;
        return r;
      }
      r.value += in[j++];
    }
    r.end = n;
    return r;
  }
  std::size_t j = i + 1;  // double-quoted
  while (j < n) {
    const char c = in[j];
    if (c == '`' && j + 1 < n) {
      r.value += ps_escape(in[j + 1]);
      j += 2;
      continue;
    }
    if (c == '"') {
      if (j + 1 < n && in[j + 1] == '"') {
        r.value += '"';
        j += 2;
        continue;
      }
      r.end = j + 1;
      return r;
    }
    if (c == '$' && j + 1 < n &&
        (is_name_char(in[j + 1]) || in[j + 1] == '(' || in[j + 1] == '{')) {
      r.constant = false;
    }
    r.value += c;
    ++j;
  }
  r.end = n;
  return r;
}

std::size_t skip_spaces(std::string_view in, std::size_t i) {
  while (i < in.size() && is_space(in[i])) ++i;
  return i;
}

/// The script with backticks removed from code, comments dropped and chains of
/// constant literals joined by '+' folded into one single-quoted literal.
struct Normalized {
  std::string text;
  std::string lower;  ///< ASCII lower case of text, same offsets
  std::vector<Literal> literals;
};

Normalized normalize(std::string_view in) {
  Normalized out;
  out.text.reserve(in.size());
  const std::size_t n = in.size();
  std::size_t i = 0;
  while (i < n) {
    const char c = in[i];
    if (c == '`') {  // escape in code: the next character stands for itself
      if (i + 1 < n && in[i + 1] != '\n' && in[i + 1] != '\r') out.text += in[i + 1];
      i += 2;
      continue;
    }
    if (c == '<' && i + 1 < n && in[i + 1] == '#') {
      const std::size_t close = in.find("#>", i + 2);
      i = close == std::string_view::npos ? n : close + 2;
      out.text += ' ';
      continue;
    }
    if (c == '#' && (i == 0 || is_space(in[i - 1]) || in[i - 1] == ';' || in[i - 1] == '{' ||
                     in[i - 1] == '}')) {
      while (i < n && in[i] != '\n') ++i;
      continue;
    }
    if (!starts_literal(in, i)) {
      out.text += c;
      ++i;
      continue;
    }
    LiteralRead first = read_literal(in, i);
    std::string value = std::move(first.value);
    bool constant = first.constant;
    std::size_t end = first.end;
    while (constant) {
      std::size_t p = skip_spaces(in, end);
      if (p >= n || in[p] != '+') break;
      p = skip_spaces(in, p + 1);
      if (p >= n || !starts_literal(in, p)) break;
      LiteralRead next = read_literal(in, p);
      if (!next.constant) break;
      value += next.value;
      end = next.end;
    }
    Literal lit;
    lit.begin = out.text.size();
    if (constant) {
      out.text += '\'';
      for (char ch : value) {
        out.text += ch;
        if (ch == '\'') out.text += '\'';
      }
      out.text += '\'';
    } else {
      out.text.append(in.substr(i, end - i));
    }
    lit.end = out.text.size();
    lit.value = std::move(value);
    lit.constant = constant;
    out.literals.push_back(std::move(lit));
    i = end;
  }
  out.lower.resize(out.text.size());
  std::transform(out.text.begin(), out.text.end(), out.lower.begin(), lower_ascii);
  return out;
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

class Script {
 public:
  explicit Script(std::string_view script) : n_(normalize(script)) { index_assignments(); }

  const std::string& text() const { return n_.text; }
  const std::string& lower() const { return n_.lower; }
  std::size_t size() const { return n_.text.size(); }

  bool contains(std::string_view lower_needle) const {
    return n_.lower.find(lower_needle) != std::string::npos;
  }

  /// Positions just after each occurrence of `lower_needle` (at most kMaxCalls).
  std::vector<std::size_t> after_each(std::string_view lower_needle) const {
    std::vector<std::size_t> out;
    std::size_t p = n_.lower.find(lower_needle);
    while (p != std::string::npos && out.size() < kMaxCalls) {
      if (!inside_literal(p)) out.push_back(p + lower_needle.size());
      p = n_.lower.find(lower_needle, p + 1);
    }
    return out;
  }

  std::size_t skip_ws(std::size_t i) const { return skip_spaces(n_.text, i); }

  bool starts_with(std::size_t pos, std::string_view lower_prefix) const {
    return pos <= n_.lower.size() && n_.lower.compare(pos, lower_prefix.size(), lower_prefix) == 0;
  }

  const Literal* literal_at(std::size_t pos) const {
    auto it = std::lower_bound(n_.literals.begin(), n_.literals.end(), pos,
                               [](const Literal& l, std::size_t p) { return l.begin < p; });
    return (it != n_.literals.end() && it->begin == pos) ? &*it : nullptr;
  }

  bool inside_literal(std::size_t pos) const {
    auto it = std::upper_bound(n_.literals.begin(), n_.literals.end(), pos,
                               [](std::size_t p, const Literal& l) { return p < l.begin; });
    if (it == n_.literals.begin()) return false;
    --it;
    return pos > it->begin && pos < it->end;
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

  /// The value position of the assignment to `$name` that a use at `use`
  /// sees: the last one before it, else the first one after.
  std::optional<std::size_t> assignment(std::string_view name_lower, std::size_t use) const {
    auto it = assigns_.find(std::string(strip_scope(name_lower)));
    if (it == assigns_.end() || it->second.empty()) return std::nullopt;
    const auto& list = it->second;  // in script order
    auto after = std::lower_bound(list.begin(), list.end(), use,
                                  [](const auto& a, std::size_t u) { return a.first < u; });
    return after == list.begin() ? list.front().second : std::prev(after)->second;
  }

  /// The variable name at `pos` ("$name" -> "name", lower case), or empty.
  std::string variable_at(std::size_t pos, std::size_t* end = nullptr) const {
    if (pos >= size() || n_.text[pos] != '$') return {};
    std::size_t j = pos + 1;
    while (j < size() && is_name_char(n_.text[j])) ++j;
    if (end) *end = j;
    return n_.lower.substr(pos + 1, j - pos - 1);
  }

  /// The string value of the expression at `pos`: a literal, a variable
  /// (followed to its assignment), or a base64 decoding expression.
  std::optional<Value> eval(std::size_t pos, int depth = 0) const {
    if (depth > kMaxDepth) return std::nullopt;
    pos = unwrap(pos);
    if (pos >= size()) return std::nullopt;
    if (const Literal* lit = literal_at(pos)) {
      if (!lit->constant) return std::nullopt;
      return Value{lit->value, false};
    }
    if (auto decoded = eval_decode(pos)) return decoded;
    std::size_t var_end = 0;
    const std::string name = variable_at(pos, &var_end);
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
    const std::string name = variable_at(pos, &var_end);
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
        if (it->constant) out.push_back(it->value);
      }
      return out;
    }
    if (auto v = eval(pos, depth)) return {v->text};
    return {};
  }

  char text_at(std::size_t pos) const { return pos < size() ? n_.text[pos] : '\0'; }

 private:
  static std::string_view strip_scope(std::string_view name) {
    for (std::string_view scope : {"script:", "global:", "local:", "private:"}) {
      if (name.substr(0, scope.size()) == scope) return name.substr(scope.size());
    }
    return name;
  }

  std::vector<Literal>::const_iterator first_literal_from(std::size_t pos) const {
    return std::lower_bound(n_.literals.begin(), n_.literals.end(), pos,
                            [](const Literal& l, std::size_t p) { return l.begin < p; });
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
    auto bytes = codec::decode_base64(lit->value);
    if (!bytes) return std::nullopt;
    if (!utf16) return Value{std::move(*bytes), false};
    auto text = codec::decode_utf16(*bytes, codec::Endian::kLittle);
    if (!text) return std::nullopt;
    return Value{std::move(*text), true};
  }

  void index_assignments() {
    const std::string& t = n_.text;
    auto li = n_.literals.begin();
    std::size_t i = 0;
    while (i < t.size()) {
      if (li != n_.literals.end() && li->begin == i) {
        i = li->end;
        ++li;
        continue;
      }
      if (t[i] != '$') {
        ++i;
        continue;
      }
      std::size_t j = i + 1;
      while (j < t.size() && is_name_char(t[j])) ++j;
      if (j > i + 1) {
        std::size_t p = j;
        while (p < t.size() && (t[p] == ' ' || t[p] == '\t')) ++p;
        if (p < t.size() && t[p] == '=' && (p + 1 >= t.size() || t[p + 1] != '=')) {
          std::string name(strip_scope(std::string_view(n_.lower).substr(i + 1, j - i - 1)));
          assigns_[name].emplace_back(i, skip_ws(p + 1));
        }
      }
      i = j;
    }
  }

  Normalized n_;
  /// lower-case name without scope -> (position of '$', position of the value)
  std::unordered_map<std::string, std::vector<std::pair<std::size_t, std::size_t>>> assigns_;
};

/// Positions of '(' for each "<needle>(" call, just after the parenthesis.
std::vector<std::size_t> calls(const Script& s, std::string_view lower_method) {
  return s.after_each(lower_method);
}

struct Header {
  std::string name;
  std::string value;
};

std::vector<Header> headers(const Script& s) {
  std::vector<Header> out;
  for (std::size_t open : calls(s, ".headers.add(")) {
    auto args = s.split(open, ',');
    if (args.size() < 2) continue;
    auto name = s.eval(args[0].begin);
    auto value = s.eval(args[1].begin);
    if (!name || !value) continue;
    out.push_back({std::string(trim(name->text)), value->text});
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
        if (auto v = s.eval(args[0].begin)) *url = v->text;
      }
    }
    return "explicit";
  }
  if (depth < kMaxDepth) {
    const std::string name = s.variable_at(pos);
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
    const std::string name = s.variable_at(pos);
    if (!name.empty()) {
      if (auto at = s.assignment(name, pos); at && *at != pos) {
        return classify_creds(s, *at, depth + 1);
      }
    }
  }
  return {};
}

/// Positions of the values assigned to `.<member> = ...` (not `==`).
std::vector<std::size_t> member_assignments(const Script& s, std::string_view lower_member) {
  std::vector<std::size_t> out;
  for (std::size_t after : s.after_each(lower_member)) {
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
  for (std::size_t pos : member_assignments(s, ".proxy")) {
    std::string url;
    const std::string mode = classify_proxy(s, pos, &url);
    if (mode.empty()) continue;
    proxy.mode = mode;
    proxy.url = mode == "explicit" ? url : std::string();
  }
  for (std::size_t pos : member_assignments(s, ".credentials")) {
    const std::string creds = classify_creds(s, pos);
    if (creds.empty()) continue;
    proxy.creds = creds;
    creds_seen = true;
  }
  if (!creds_seen) proxy.creds = "none";
  return proxy;
}

bool tls_validation_disabled(const Script& s) {
  for (std::size_t pos : member_assignments(s, "servercertificatevalidationcallback")) {
    if (s.text_at(pos) != '{') continue;
    std::size_t p = s.skip_ws(pos + 1);
    if (!s.starts_with(p, "$true")) continue;
    p = s.skip_ws(p + 5);
    if (s.text_at(p) == '}') return true;
  }
  return false;
}

/// True when Empire's randomized capitalisation shows: a code token seen in
/// another case than its usual one.
bool case_randomized(const Script& s) {
  static constexpr std::array<std::string_view, 8> kTokens = {
      "New-Object", "WebClient",         "Headers.Add",         "DownloadData",
      "GetBytes",   "Expect100Continue", "ServicePointManager", "DefaultWebProxy"};
  for (std::string_view token : kTokens) {
    std::string lower(token);
    std::transform(lower.begin(), lower.end(), lower.begin(), lower_ascii);
    std::size_t p = s.lower().find(lower);
    for (int seen = 0; p != std::string::npos && seen < 64; ++seen) {
      if (!s.inside_literal(p) && s.text().compare(p, token.size(), token) != 0) return true;
      p = s.lower().find(lower, p + 1);
    }
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
  for (std::string_view method : {".downloaddata(", ".downloadstring(", ".openread("}) {
    for (std::size_t open : calls(s, method)) {
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
      d.server = first->text;
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
    return *single;
  }
  return d;
}

std::string staging_key(const Script& s) {
  for (std::string_view method : {"ascii.getbytes(", ".getbytes("}) {
    for (std::size_t open : calls(s, method)) {
      auto args = s.split(open, ',');
      if (args.size() != 1) continue;
      if (auto v = s.eval(args[0].begin); v && !v->text.empty()) return v->text;
    }
  }
  return {};
}

std::string printable_or_mark(std::string_view bytes) {
  std::string out;
  for (char c : bytes) out += (c >= 0x20 && c < 0x7f) ? c : '?';
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
  std::string key = bytes->substr(0, 4);
  key.append(staging_key);
  auto plain = codec::rc4(key, std::string_view(*bytes).substr(4, 16));
  if (!plain) return std::move(plain).error();
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>((*plain)[i]); };
  EmpireCookie cookie;
  cookie.session_id = printable_or_mark(std::string_view(*plain).substr(0, 8));
  cookie.language = byte(8);
  cookie.meta = byte(9);
  cookie.additional = byte(10) | (byte(11) << 8);
  cookie.length =
      static_cast<std::uint32_t>(byte(12)) | (static_cast<std::uint32_t>(byte(13)) << 8) |
      (static_cast<std::uint32_t>(byte(14)) << 16) | (static_cast<std::uint32_t>(byte(15)) << 24);
  cookie.verified = plain->compare(0, 8, "00000000") == 0 && cookie.language == 1 &&
                    cookie.meta == 1 && cookie.additional == 0 && cookie.length == 0;
  return cookie;
}

std::optional<EmpireConfig> parse_empire_stager(std::string_view script) {
  const Script s(script);
  EmpireConfig cfg;

  for (const Header& h : headers(s)) {
    if (iequals(h.name, "User-Agent")) {
      if (cfg.ua.empty()) cfg.ua = h.value;
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

  const Download d = parse_download(s);
  cfg.server = d.server;
  cfg.uris = d.uris;
  if (!cfg.server.empty()) cfg.server_encoding = d.server_base64 ? "base64_utf16le" : "plain";
  cfg.staging_key = staging_key(s);
  cfg.proxy = parse_proxy(s);
  cfg.tls_validation_disabled = tls_validation_disabled(s);

  const bool amsi = s.contains("amsiutils") || s.contains("amsiinitfailed");
  const bool sbl =
      s.contains("cachedgrouppolicysettings") || s.contains("enablescriptblocklogging");
  const bool etw = s.contains("psetwlogprovider") || s.contains("etwprovider");
  if (amsi) cfg.bypasses.emplace_back("amsi");
  if (sbl) cfg.bypasses.emplace_back("scriptblock_logging");
  if (etw) cfg.bypasses.emplace_back("etw");

  const bool rc4_block = s.contains("0..255") && s.contains("-bxor");
  const bool utf8_stage = s.contains("utf8.getstring($");

  int markers = 0;
  markers += s.contains("net.webclient");
  markers += !cfg.ua.empty();
  markers += !cfg.session_cookie.empty();
  markers += d.found;
  markers += !cfg.server.empty();
  markers += !cfg.staging_key.empty() || utf8_stage;
  markers += rc4_block || utf8_stage;
  markers += s.contains("expect100continue");
  markers += !cfg.bypasses.empty();
  markers += s.contains("[0..3]") || utf8_stage;
  if (!d.found || markers < 6) return std::nullopt;
  cfg.confidence = markers / 10.0;

  const bool renamed_cookie = !cfg.cookie_name.empty() && cfg.cookie_name != "session";
  if (!rc4_block && utf8_stage) {
    cfg.variant = "6.3+";
  } else if (etw) {
    cfg.variant = "bc-3.x-5.x";
  } else if (d.server_base64 || renamed_cookie) {
    cfg.variant = case_randomized(s) ? "2.5-dev" : "bc-3.x-5.x";
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
