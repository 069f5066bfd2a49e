// Sigma condition expressions: a tokenizer and a recursive-descent parser
// (precedence not > and > or, parentheses, `N of X*`, `all of them`) compiled
// to the CondNode AST of detection.hpp. Nesting is bounded; pipe aggregations
// and `near` are reported as unsupported.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/sigma/rules.hpp"
#include "sigma/detection.hpp"

namespace ioc::sigma {
namespace detail {
namespace {

struct Token {
  enum Kind : std::uint8_t {
    kIdent,
    kNumber,
    kLParen,
    kRParen,
    kAnd,
    kOr,
    kNot,
    kOf,
    kAll,
    kThem,
    kEnd
  };
  Kind kind = kEnd;
  std::string_view text;
};

bool ident_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '*' || c == '-' || c == '.' || c == '?';
}

/// Splits `s` into tokens; returns "" or why it cannot.
std::string tokenize(std::string_view s, std::vector<Token>& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (out.size() >= kMaxConditionTokens) return "condition has too many tokens";
    if (c == '(' || c == ')') {
      out.push_back({c == '(' ? Token::kLParen : Token::kRParen, s.substr(i, 1)});
      ++i;
      continue;
    }
    if (c == '|') return "aggregation in the condition ('|') is not supported";
    if (!ident_char(c)) return std::string("unexpected character '") + c + "' in the condition";
    std::size_t j = i;
    while (j < s.size() && ident_char(s[j])) ++j;
    const std::string_view w = s.substr(i, j - i);
    i = j;
    Token t{Token::kIdent, w};
    bool digits = true;
    for (char d : w) digits = digits && d >= '0' && d <= '9';
    if (digits)
      t.kind = Token::kNumber;
    else if (w == "and")
      t.kind = Token::kAnd;
    else if (w == "or")
      t.kind = Token::kOr;
    else if (w == "not")
      t.kind = Token::kNot;
    else if (w == "of")
      t.kind = Token::kOf;
    else if (w == "all" || w == "any")
      t.kind = Token::kAll;
    else if (w == "them")
      t.kind = Token::kThem;
    else if (w == "near")
      return "'near' in the condition is not supported";
    out.push_back(t);
  }
  out.push_back({Token::kEnd, {}});
  return {};
}

/// `*` wildcard match of a selection name pattern (case-sensitive).
bool name_matches(std::string_view pat, std::string_view name) {
  return wildcard_match(
      pat.size(), name, [&](std::size_t p) { return pat[p] == '*'; },
      [&](std::size_t p, char c) { return pat[p] == c; });
}

class Parser {
 public:
  Parser(const std::vector<Token>& toks, const std::vector<std::string>& names, Condition& out)
      : toks_(toks), names_(names), out_(out) {}

  std::string parse(std::uint32_t* root) {
    std::uint32_t r = 0;
    if (!parse_or(r)) return error_;
    if (peek().kind != Token::kEnd)
      return "unexpected '" + std::string(peek().text) + "' in the condition";
    *root = r;
    return {};
  }

 private:
  const Token& peek() const { return toks_[pos_]; }
  const Token& next() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }

  bool fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return false;
  }

  std::uint32_t add(CondNode n) {
    out_.nodes.push_back(std::move(n));
    return static_cast<std::uint32_t>(out_.nodes.size() - 1);
  }

  bool parse_or(std::uint32_t& r) {
    std::uint32_t first = 0;
    if (!parse_and(first)) return false;
    if (peek().kind != Token::kOr) {
      r = first;
      return true;
    }
    CondNode n;
    n.op = CondNode::kOr;
    n.kids.push_back(first);
    while (peek().kind == Token::kOr) {
      next();
      std::uint32_t k = 0;
      if (!parse_and(k)) return false;
      n.kids.push_back(k);
    }
    r = add(std::move(n));
    return true;
  }

  bool parse_and(std::uint32_t& r) {
    std::uint32_t first = 0;
    if (!parse_not(first)) return false;
    if (peek().kind != Token::kAnd) {
      r = first;
      return true;
    }
    CondNode n;
    n.op = CondNode::kAnd;
    n.kids.push_back(first);
    while (peek().kind == Token::kAnd) {
      next();
      std::uint32_t k = 0;
      if (!parse_not(k)) return false;
      n.kids.push_back(k);
    }
    r = add(std::move(n));
    return true;
  }

  bool parse_not(std::uint32_t& r) {
    if (++depth_ > kMaxConditionDepth) return fail("condition nested too deeply");
    bool ok = false;
    if (peek().kind == Token::kNot) {
      next();
      std::uint32_t k = 0;
      ok = parse_not(k);
      if (ok) {
        CondNode n;
        n.op = CondNode::kNot;
        n.kids.push_back(k);
        r = add(std::move(n));
      }
    } else {
      ok = parse_primary(r);
    }
    --depth_;
    return ok;
  }

  bool parse_primary(std::uint32_t& r) {
    const Token t = next();
    switch (t.kind) {
      case Token::kLParen: {
        if (!parse_or(r)) return false;
        if (next().kind != Token::kRParen) return fail("missing ')' in the condition");
        return true;
      }
      case Token::kIdent: {
        for (std::size_t i = 0; i < names_.size(); ++i) {
          if (names_[i] == t.text) {
            CondNode n;
            n.op = CondNode::kSel;
            n.sel = static_cast<std::uint32_t>(i);
            r = add(std::move(n));
            return true;
          }
        }
        if (t.text.find('*') != std::string_view::npos)
          return fail("pattern '" + std::string(t.text) + "' without '1 of' or 'all of'");
        return fail("condition names an unknown selection '" + std::string(t.text) + "'");
      }
      case Token::kNumber:
      case Token::kAll: {
        std::size_t need = static_cast<std::size_t>(-1);
        if (t.kind == Token::kNumber) {
          if (t.text.size() > 6) return fail("count too large in the condition");
          need = 0;
          for (char d : t.text) need = need * 10 + static_cast<std::size_t>(d - '0');
          if (need == 0) return fail("'0 of' in the condition");
        } else if (t.text == "any") {
          need = 1;
        }
        if (next().kind != Token::kOf)
          return fail("expected 'of' after '" + std::string(t.text) + "'");
        const Token what = next();
        CondNode n;
        n.op = CondNode::kOf;
        n.need = need;
        if (what.kind == Token::kThem) {
          for (std::size_t i = 0; i < names_.size(); ++i)
            if (names_[i].empty() || names_[i][0] != '_')
              n.kids.push_back(static_cast<std::uint32_t>(i));
          if (n.kids.empty()) return fail("'of them' but the rule has no selections");
        } else if (what.kind == Token::kIdent) {
          for (std::size_t i = 0; i < names_.size(); ++i)
            if (name_matches(what.text, names_[i])) n.kids.push_back(static_cast<std::uint32_t>(i));
          if (n.kids.empty())
            return fail("no selection matches '" + std::string(what.text) + "' in the condition");
        } else {
          return fail("expected a selection pattern or 'them' after 'of'");
        }
        r = add(std::move(n));
        return true;
      }
      case Token::kEnd: return fail("condition ends early");
      default: return fail("unexpected '" + std::string(t.text) + "' in the condition");
    }
  }

  const std::vector<Token>& toks_;
  const std::vector<std::string>& names_;
  Condition& out_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::string error_;
};

}  // namespace

std::string compile_condition(std::string_view text, const std::vector<std::string>& names,
                              Condition& out, std::uint32_t* root) {
  std::vector<Token> toks;
  if (std::string why = tokenize(text, toks); !why.empty()) return why;
  if (toks.size() == 1) return "empty condition";
  const std::size_t mark = out.nodes.size();
  Parser p(toks, names, out);
  std::string why = p.parse(root);
  if (!why.empty()) out.nodes.resize(mark);
  return why;
}

}  // namespace detail

std::string check_condition(std::string_view condition,
                            const std::vector<std::string>& selections) {
  detail::Condition c;
  std::uint32_t root = 0;
  return detail::compile_condition(condition, selections, c, &root);
}

}  // namespace ioc::sigma
