// CyberChef recipes: JSON ("Save recipe" > JSON) and the compact "chef" form.
#include "recipe/cyberchef.hpp"

#include <unicode/utf8.h>

#include <cstdlib>

#include "ioc/recipe/registry.hpp"
#include "recipe/strings.hpp"

namespace ioc::recipe {
namespace detail {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxDepth = 32;

Unexpected js_error(std::size_t pos, std::string msg) {
  return make_error(ErrorCode::kUsage, "CyberChef recipe: " + msg, pos);
}

void skip_space(std::string_view t, std::size_t& pos) {
  while (pos < t.size() && is_space(t[pos])) ++pos;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool read_hex(std::string_view t, std::size_t at, std::size_t n, std::uint32_t& out) {
  if (at + n > t.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const int d = hex_digit(t[at + i]);
    if (d < 0) return false;
    out = out * 16 + static_cast<std::uint32_t>(d);
  }
  return true;
}

void append_code_point(std::string& out, std::uint32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  std::uint8_t buf[4];
  std::int32_t n = 0;
  U8_APPEND_UNSAFE(buf, n, static_cast<UChar32>(cp));
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

Result<std::string> parse_js_string(std::string_view t, std::size_t& pos) {
  const char quote = t[pos++];
  std::string out;
  while (true) {
    if (pos >= t.size()) return js_error(pos, "unterminated string");
    const char c = t[pos++];
    if (c == quote) return out;
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (pos >= t.size()) return js_error(pos, "unterminated string");
    const char e = t[pos++];
    std::uint32_t cp = 0;
    switch (e) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'v': out.push_back('\v'); break;
      case '0': out.push_back('\0'); break;
      case 'x':
        if (!read_hex(t, pos, 2, cp)) return js_error(pos, "\\x needs two hex digits");
        pos += 2;
        append_code_point(out, cp);
        break;
      case 'u':
        if (!read_hex(t, pos, 4, cp)) return js_error(pos, "\\u needs four hex digits");
        pos += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && pos + 6 <= t.size() && t[pos] == '\\' &&
            t[pos + 1] == 'u') {
          std::uint32_t low = 0;
          if (read_hex(t, pos + 2, 4, low) && low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            pos += 6;
          }
        }
        append_code_point(out, cp);
        break;
      default: out.push_back(e); break;
    }
  }
}

bool is_ident_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}

}  // namespace

Result<json> parse_js_args(std::string_view t, std::size_t& pos, std::size_t depth) {
  if (depth > kMaxDepth) return js_error(pos, "arguments nested too deeply");
  skip_space(t, pos);
  if (pos >= t.size()) return js_error(pos, "expected a value");
  const char c = t[pos];
  if (c == '\'' || c == '"') {
    IOC_ASSIGN_OR_RETURN(std::string s, parse_js_string(t, pos));
    return json(std::move(s));
  }
  if (c == '[' || c == '{') {
    const bool object = c == '{';
    const char close = object ? '}' : ']';
    json value = object ? json::object() : json::array();
    ++pos;
    skip_space(t, pos);
    if (pos < t.size() && t[pos] == close) {
      ++pos;
      return value;
    }
    while (true) {
      std::string key;
      if (object) {
        skip_space(t, pos);
        if (pos < t.size() && (t[pos] == '\'' || t[pos] == '"')) {
          IOC_ASSIGN_OR_RETURN(key, parse_js_string(t, pos));
        } else {
          const std::size_t start = pos;
          while (pos < t.size() && is_ident_char(t[pos])) ++pos;
          if (pos == start) return js_error(pos, "expected an object key");
          key = std::string(t.substr(start, pos - start));
        }
        skip_space(t, pos);
        if (pos >= t.size() || t[pos] != ':') return js_error(pos, "expected ':'");
        ++pos;
      }
      IOC_ASSIGN_OR_RETURN(json item, parse_js_args(t, pos, depth + 1));
      if (object)
        value[key] = std::move(item);
      else
        value.push_back(std::move(item));
      skip_space(t, pos);
      if (pos < t.size() && t[pos] == ',') {
        ++pos;
        continue;
      }
      if (pos < t.size() && t[pos] == close) {
        ++pos;
        return value;
      }
      return js_error(pos, std::string("expected ',' or '") + close + "'");
    }
  }
  const std::size_t start = pos;
  while (pos < t.size() &&
         (is_ident_char(t[pos]) || t[pos] == '.' || t[pos] == '-' || t[pos] == '+'))
    ++pos;
  const std::string word(t.substr(start, pos - start));
  if (word == "true") return json(true);
  if (word == "false") return json(false);
  if (word == "null" || word == "undefined") return json(nullptr);
  if (!word.empty()) {
    char* end = nullptr;
    const long long i = std::strtoll(word.c_str(), &end, 10);
    if (end == word.c_str() + word.size()) return json(i);
    const double d = std::strtod(word.c_str(), &end);
    if (end == word.c_str() + word.size()) return json(d);
  }
  return js_error(start, "unexpected '" + (word.empty() ? std::string(1, c) : word) + "'");
}

namespace {

std::string cyberchef_suggestion(std::string_view name) {
  std::string best;
  std::size_t best_d = 4;
  const std::string key = ascii_lower(name);
  for (const OperationInfo& op : operations()) {
    if (op.cyberchef_name.empty()) continue;
    const std::size_t d = edit_distance(key, ascii_lower(op.cyberchef_name));
    if (d < best_d) {
      best_d = d;
      best = op.cyberchef_name;
    }
  }
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

Result<Step> cyberchef_step(std::string_view name, const json& cc_args, std::size_t index) {
  const std::string where = "CyberChef recipe step " + std::to_string(index) + ": ";
  const OperationInfo* op = find_cyberchef_operation(name);
  if (op == nullptr) {
    return make_error(ErrorCode::kUnsupported,
                      where + "operation '" + std::string(name) + "' is not available" +
                          cyberchef_suggestion(name) +
                          " (--list-operations shows the CyberChef names we take)");
  }
  auto texts = op->from_cyberchef(cc_args);
  if (!texts) return make_error(texts.error().code, where + texts.error().message);
  auto args = bind_args(*op, *texts);
  if (!args) return make_error(args.error().code, where + args.error().message);
  return Step{op, std::move(*args)};
}

}  // namespace

Result<Recipe> parse_cyberchef_json(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return make_error(ErrorCode::kUsage, "CyberChef recipe: invalid JSON");
  if (doc.is_object()) doc = json::array({doc});
  if (!doc.is_array())
    return make_error(ErrorCode::kUsage, "CyberChef recipe: expected a JSON array");
  Recipe recipe;
  std::size_t index = 0;
  for (const json& item : doc) {
    ++index;
    if (!item.is_object() || !item.contains("op") || !item["op"].is_string())
      return make_error(ErrorCode::kUsage, "CyberChef recipe step " + std::to_string(index) +
                                               ": expected {\"op\": ..., \"args\": [...]}");
    if (item.value("disabled", false)) continue;
    const json args = item.contains("args") ? item["args"] : json::array();
    IOC_ASSIGN_OR_RETURN(Step step, cyberchef_step(item["op"].get<std::string>(), args, index));
    recipe.steps.push_back(std::move(step));
  }
  if (recipe.steps.empty()) return make_error(ErrorCode::kUsage, "recipe has no operations");
  return recipe;
}

Result<Recipe> parse_cyberchef_compact(std::string_view t) {
  Recipe recipe;
  std::size_t pos = 0;
  std::size_t index = 0;
  while (true) {
    skip_space(t, pos);
    if (pos >= t.size()) break;
    ++index;
    const std::size_t start = pos;
    while (pos < t.size() && is_ident_char(t[pos])) ++pos;
    if (pos == start || pos >= t.size() || t[pos] != '(')
      return js_error(start, "expected Operation_Name(...)");
    const std::string_view name = t.substr(start, pos - start);
    ++pos;
    json args = json::array();
    skip_space(t, pos);
    if (pos < t.size() && t[pos] == ')') {
      ++pos;
    } else {
      while (true) {
        IOC_ASSIGN_OR_RETURN(json arg, parse_js_args(t, pos));
        args.push_back(std::move(arg));
        skip_space(t, pos);
        if (pos < t.size() && t[pos] == ',') {
          ++pos;
          continue;
        }
        if (pos < t.size() && t[pos] == ')') {
          ++pos;
          break;
        }
        return js_error(pos, "expected ',' or ')'");
      }
    }
    bool disabled = false;
    while (pos < t.size() && t[pos] == '/') {
      const std::size_t flag = ++pos;
      while (pos < t.size() && is_ident_char(t[pos])) ++pos;
      const std::string_view word = t.substr(flag, pos - flag);
      if (word == "disabled")
        disabled = true;
      else if (word != "breakpoint")
        return js_error(flag, "unknown flag '/" + std::string(word) + "'");
    }
    if (disabled) continue;
    IOC_ASSIGN_OR_RETURN(Step step, cyberchef_step(name, args, index));
    recipe.steps.push_back(std::move(step));
  }
  if (recipe.steps.empty()) return make_error(ErrorCode::kUsage, "recipe has no operations");
  return recipe;
}

namespace {

Result<json> cyberchef_args(const Step& step) {
  if (step.op->to_cyberchef == nullptr) {
    return make_error(ErrorCode::kUnsupported,
                      "CyberChef has no operation like '" + std::string(step.op->name) + "'");
  }
  return step.op->to_cyberchef(step.args);
}

// A JSON value as a JavaScript literal in CyberChef's compact style.
void append_js(std::string& out, const json& v) {
  if (v.is_string()) {
    out += '\'';
    for (char c : v.get_ref<const std::string&>()) {
      switch (c) {
        case '\'': out += "\\'"; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: out += c;
      }
    }
    out += '\'';
  } else if (v.is_object()) {
    out += '{';
    bool first = true;
    for (const auto& [key, item] : v.items()) {
      if (!first) out += ',';
      first = false;
      append_js(out, json(key));
      out += ':';
      append_js(out, item);
    }
    out += '}';
  } else if (v.is_array()) {
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out += ',';
      append_js(out, v[i]);
    }
    out += ']';
  } else {
    out += v.dump();
  }
}

}  // namespace
}  // namespace detail

Result<std::string> to_cyberchef_json(const Recipe& recipe) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::array();
  for (const Step& step : recipe.steps) {
    IOC_ASSIGN_OR_RETURN(nlohmann::json args, detail::cyberchef_args(step));
    nlohmann::ordered_json item;
    item["op"] = std::string(step.op->cyberchef_name);
    item["args"] = std::move(args);
    doc.push_back(std::move(item));
  }
  return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<std::string> to_cyberchef_compact(const Recipe& recipe) {
  std::string out;
  for (const Step& step : recipe.steps) {
    IOC_ASSIGN_OR_RETURN(nlohmann::json args, detail::cyberchef_args(step));
    std::string name(step.op->cyberchef_name);
    for (char& c : name)
      if (c == ' ') c = '_';
    out += name;
    out += '(';
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (i > 0) out += ',';
      detail::append_js(out, args[i]);
    }
    out += ')';
  }
  return out;
}

}  // namespace ioc::recipe
