// Our recipe text syntax, syntax detection, and writing recipes back out.
#include "ioc/recipe/parse.hpp"

#include <nlohmann/json.hpp>

#include "ioc/recipe/registry.hpp"
#include "recipe/cyberchef.hpp"
#include "recipe/strings.hpp"

namespace ioc::recipe {
namespace {

struct Token {
  std::string text;
  std::size_t eq = std::string::npos;  // position of a '=' seen before any quote
  bool quoted = false;
};

struct RawStep {
  std::vector<Token> tokens;
  std::size_t line = 1;
};

Unexpected syntax_error(bool multiline, std::size_t line, std::size_t step, std::string msg) {
  std::string where =
      multiline ? "recipe line " + std::to_string(line) : "recipe step " + std::to_string(step);
  return make_error(ErrorCode::kUsage, where + ": " + msg);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Splits the text into steps of tokens: '|' and newlines end steps, '#' at the
// start of a token comments out the rest of the line, quotes group.
Result<std::vector<RawStep>> tokenize(std::string_view text, bool multiline) {
  std::vector<RawStep> steps(1);
  std::size_t line = 1;
  steps.back().line = line;
  Token tok;
  bool in_token = false;
  auto end_token = [&] {
    if (in_token) steps.back().tokens.push_back(std::move(tok));
    tok = Token{};
    in_token = false;
  };
  auto end_step = [&] {
    end_token();
    if (!steps.back().tokens.empty()) steps.emplace_back();
    steps.back().line = line;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      end_step();
      ++line;
      steps.back().line = line;
    } else if (c == '|') {
      end_step();
    } else if (detail::is_space(c)) {
      end_token();
    } else if (c == '#' && !in_token) {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
    } else if (c == '\'') {
      in_token = true;
      tok.quoted = true;
      const std::size_t close = text.find('\'', i + 1);
      if (close == std::string_view::npos)
        return syntax_error(multiline, line, steps.size(), "unterminated ' quote");
      tok.text.append(text.substr(i + 1, close - i - 1));
      i = close;
    } else if (c == '"') {
      in_token = true;
      tok.quoted = true;
      std::size_t j = i + 1;
      for (;; ++j) {
        if (j >= text.size())
          return syntax_error(multiline, line, steps.size(), "unterminated \" quote");
        if (text[j] == '"') break;
        if (text[j] != '\\' || j + 1 >= text.size()) {
          tok.text.push_back(text[j]);
          continue;
        }
        const char e = text[++j];
        switch (e) {
          case 'n': tok.text.push_back('\n'); break;
          case 't': tok.text.push_back('\t'); break;
          case 'r': tok.text.push_back('\r'); break;
          case '0': tok.text.push_back('\0'); break;
          case 'x': {
            const int hi = j + 1 < text.size() ? hex_value(text[j + 1]) : -1;
            const int lo = j + 2 < text.size() ? hex_value(text[j + 2]) : -1;
            if (hi < 0 || lo < 0)
              return syntax_error(multiline, line, steps.size(), "\\x needs two hex digits");
            tok.text.push_back(static_cast<char>(hi * 16 + lo));
            j += 2;
            break;
          }
          case '\\':
          case '"': tok.text.push_back(e); break;
          default:  // keep unknown escapes whole, so regexes like \s survive
            tok.text.push_back('\\');
            tok.text.push_back(e);
            break;
        }
      }
      i = j;
    } else {
      if (c == '=' && !tok.quoted && tok.eq == std::string::npos) tok.eq = tok.text.size();
      tok.text.push_back(c);
      in_token = true;
    }
  }
  end_step();
  if (steps.back().tokens.empty()) steps.pop_back();
  return steps;
}

Result<Recipe> parse_text(std::string_view text) {
  const bool multiline = text.find('\n') != std::string_view::npos;
  IOC_ASSIGN_OR_RETURN(std::vector<RawStep> raw, tokenize(text, multiline));
  Recipe recipe;
  std::size_t index = 0;
  for (RawStep& step : raw) {
    ++index;
    const Token& name = step.tokens.front();
    const OperationInfo* op = name.quoted ? nullptr : find_operation(name.text);
    if (op == nullptr)
      return syntax_error(multiline, step.line, index, unknown_operation_message(name.text));
    std::vector<std::string> positional;
    std::vector<std::pair<std::string, std::string>> named;
    for (std::size_t t = 1; t < step.tokens.size(); ++t) {
      Token& tok = step.tokens[t];
      if (tok.eq != std::string::npos) {
        std::string key = tok.text.substr(0, tok.eq);
        bool is_arg = false;
        for (const ArgSpec& a : op->args) is_arg = is_arg || a.name == key;
        if (is_arg) {
          named.emplace_back(std::move(key), tok.text.substr(tok.eq + 1));
          continue;
        }
      }
      positional.push_back(std::move(tok.text));
    }
    auto args = bind_args(*op, positional, named);
    if (!args) return syntax_error(multiline, step.line, index, args.error().message);
    recipe.steps.push_back(Step{op, std::move(*args)});
  }
  if (recipe.steps.empty()) return make_error(ErrorCode::kUsage, "recipe has no operations");
  return recipe;
}

bool looks_like_compact(std::string_view text) {
  if (text.empty() || !(text[0] >= 'A' && text[0] <= 'Z')) return false;
  for (char c : text) {
    if (c == '(') return true;
    const bool word =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!word) return false;
  }
  return false;
}

// A recipe value written so that tokenize() reads it back unchanged.
std::string quote_if_needed(const std::string& v) {
  bool plain = !v.empty();
  for (char c : v)
    if (detail::is_space(c) || c == '|' || c == '#' || c == '\'' || c == '"' || c == '=' ||
        static_cast<unsigned char>(c) < 0x20)
      plain = false;
  if (plain) return v;
  bool control = false;
  for (char c : v) control = control || static_cast<unsigned char>(c) < 0x20;
  if (v.find('\'') == std::string::npos && !control) return "'" + v + "'";
  std::string out = "\"";
  for (char c : v) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char* digits = "0123456789abcdef";
          out += "\\x";
          out += digits[(c >> 4) & 0xF];
          out += digits[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace

Result<Recipe> parse_recipe(std::string_view text, RecipeSyntax syntax) {
  if (syntax == RecipeSyntax::kAuto) {
    const std::string_view t = detail::trim(text);
    if (!t.empty() && (t[0] == '[' || t[0] == '{'))
      syntax = RecipeSyntax::kCyberChefJson;
    else if (looks_like_compact(t))
      syntax = RecipeSyntax::kCyberChefCompact;
    else
      syntax = RecipeSyntax::kText;
  }
  switch (syntax) {
    case RecipeSyntax::kCyberChefJson: return detail::parse_cyberchef_json(text);
    case RecipeSyntax::kCyberChefCompact: return detail::parse_cyberchef_compact(text);
    default: return parse_text(text);
  }
}

std::string to_text(const Recipe& recipe) {
  std::string out;
  for (const Step& step : recipe.steps) {
    if (!out.empty()) out += " | ";
    out += step.op->name;
    for (std::size_t i = 0; i < step.op->args.size(); ++i) {
      const ArgSpec& spec = step.op->args[i];
      // Defaults in the tables are written in canonical form.
      if (spec.default_value == step.args.text(i)) continue;
      out += ' ';
      out += spec.name;
      out += '=';
      out += quote_if_needed(step.args.text(i));
    }
  }
  return out;
}

}  // namespace ioc::recipe
