// Sigma rules: YAML loading (yaml-cpp), compilation of detections into the
// structures of detection.hpp, matching, and correlation documents.
#include "ioc/sigma/rules.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "ioc/codec/base64.hpp"
#include "ioc/text/ascii.hpp"
#include "ioc/text/regex.hpp"
#include "sigma/detection.hpp"

namespace ioc::sigma {

// ---------------------------------------------------------------------------
// Matching.

namespace detail {
namespace {

using text::lower_ascii;

bool glob_match(std::string_view pat, const std::vector<std::uint8_t>& wild, std::string_view s,
                bool cased) {
  return wildcard_match(
      pat.size(), s, [&](std::size_t p) { return wild[p] == 1; },
      [&](std::size_t p, char c) {
        return wild[p] == 2 || (cased ? pat[p] == c : pat[p] == lower_ascii(c));
      });
}

bool equals(std::string_view a, std::string_view b, bool cased) {
  return cased ? a == b : text::iequals(a, b);
}

}  // namespace

bool Pattern::matches(std::optional<std::string_view> value, const FieldSource& event) const {
  if (shape == kNull) return !value || value->empty();
  if (!value) return false;
  const std::string_view v = *value;
  switch (shape) {
    case kExact: return equals(v, lit, cased);
    case kPrefix: return v.size() >= lit.size() && equals(v.substr(0, lit.size()), lit, cased);
    case kSuffix:
      return v.size() >= lit.size() && equals(v.substr(v.size() - lit.size()), lit, cased);
    case kContains:
      return cased ? v.find(lit) != std::string_view::npos
                   : text::ifind(v, lit) != std::string_view::npos;
    case kAny: return true;
    case kGlob: return glob_match(lit, wild, v, cased);
    case kRegex: return re && !re->find_all(v, 0, 1).empty();
    case kFieldRef: {
      const auto other = event.field(lit);
      return other && equals(v, *other, cased);
    }
    case kNull: break;
  }
  return false;
}

namespace {

struct KeywordCtx {
  const std::vector<Pattern>* variants;
  const FieldSource* event;
  bool hit;
};

bool any_variant(const std::vector<Pattern>& variants, std::optional<std::string_view> v,
                 const FieldSource& event) {
  for (const Pattern& p : variants)
    if (p.matches(v, event)) return true;
  return false;
}

/// A keyword value: any field value of the event matches it.
bool keyword_hit(const std::vector<Pattern>& variants, const FieldSource& event) {
  KeywordCtx ctx{&variants, &event, false};
  event.for_each_value(
      [](void* c, std::string_view value) {
        auto* k = static_cast<KeywordCtx*>(c);
        if (!k->hit && any_variant(*k->variants, value, *k->event)) k->hit = true;
      },
      &ctx);
  return ctx.hit;
}

}  // namespace

bool FieldTest::matches(const FieldSource& event) const {
  if (field.empty()) {
    for (const auto& v : values) {
      const bool hit = keyword_hit(v, event);
      if (all && !hit) return false;
      if (!all && hit) return true;
    }
    return all;
  }
  const std::optional<std::string_view> value = event.field(field);
  if (exists) return value.has_value() == exists_want;
  for (const auto& v : values) {
    const bool hit = any_variant(v, value, event);
    if (all && !hit) return false;
    if (!all && hit) return true;
  }
  return all && !values.empty();
}

bool Selection::matches(const FieldSource& event) const {
  for (const auto& alt : alternatives) {
    bool ok = true;
    for (const FieldTest& t : alt) {
      if (!t.matches(event)) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

}  // namespace detail

bool Rule::matches(const FieldSource& event) const {
  if (!detection) return false;
  const Detection& d = *detection;
  auto sel = [&d, &event](std::uint32_t i) { return d.selections[i].matches(event); };
  return detail::eval_condition(d.condition, d.condition.root, sel);
}

std::size_t RuleSet::find(std::string_view id_or_name) const {
  if (id_or_name.empty()) return static_cast<std::size_t>(-1);
  for (std::size_t i = 0; i < rules.size(); ++i)
    if (rules[i].id == id_or_name) return i;
  for (std::size_t i = 0; i < rules.size(); ++i)
    if (rules[i].name == id_or_name) return i;
  return static_cast<std::size_t>(-1);
}

std::optional<std::int64_t> parse_timespan(std::string_view s) {
  s = text::trim_space(s);
  if (s.size() < 2 || s.size() > 12) return std::nullopt;
  std::int64_t unit = 0;
  switch (s.back()) {
    case 's': unit = 1000; break;
    case 'm': unit = 60'000; break;
    case 'h': unit = 3'600'000; break;
    case 'd': unit = 86'400'000; break;
    default: return std::nullopt;
  }
  std::int64_t n = 0;
  for (char c : s.substr(0, s.size() - 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
    if (n > 100'000'000) return std::nullopt;  // ~3 years in seconds: plenty
  }
  if (n == 0) return std::nullopt;
  return n * unit;
}

// ---------------------------------------------------------------------------
// Compiling detections.

namespace {

using detail::FieldTest;
using detail::Pattern;

struct Unsupported {
  std::string why;
};

/// Scalar text of a node (yaml-cpp keeps numbers and booleans as text).
std::string scalar(const YAML::Node& n) {
  if (!n.IsDefined() || !n.IsScalar()) return {};
  return n.Scalar();
}

bool is_null(const YAML::Node& n) {
  return !n.IsDefined() || n.IsNull();
}

/// True when the tree is deeper than `max` levels or has too many nodes
/// (aliases can make a small text a huge tree).
bool too_deep(const YAML::Node& n, std::size_t depth, std::size_t& budget) {
  if (depth > detail::kMaxYamlDepth || budget == 0) return true;
  --budget;
  if (n.IsSequence()) {
    for (const YAML::Node& c : n)
      if (too_deep(c, depth + 1, budget)) return true;
  } else if (n.IsMap()) {
    for (const auto& kv : n)
      if (too_deep(kv.first, depth + 1, budget) || too_deep(kv.second, depth + 1, budget))
        return true;
  }
  return false;
}

/// A Sigma string value: `\*` `\?` `\\` escapes, `*` and `?` wildcards.
void parse_wildcards(std::string_view v, std::string& lit, std::vector<std::uint8_t>& wild) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c == '\\' && i + 1 < v.size() && (v[i + 1] == '*' || v[i + 1] == '?' || v[i + 1] == '\\')) {
      lit += v[++i];
      wild.push_back(0);
    } else if (c == '*' || c == '?') {
      if (c == '*' && !wild.empty() && wild.back() == 1) continue;  // ** is *
      lit += c;
      wild.push_back(c == '*' ? 1 : 2);
    } else {
      lit += c;
      wild.push_back(0);
    }
  }
}

enum class MatchType { kEquals, kContains, kStartsWith, kEndsWith };

/// Builds the pattern of one (transformed) value.
Pattern make_pattern(std::string_view value, bool literal, MatchType type, bool cased) {
  std::string lit;
  std::vector<std::uint8_t> wild;
  if (type == MatchType::kContains || type == MatchType::kEndsWith) {
    lit += '*';
    wild.push_back(1);
  }
  if (literal) {
    for (char c : value) {
      lit += c;
      wild.push_back(0);
    }
  } else {
    parse_wildcards(value, lit, wild);
  }
  if ((type == MatchType::kContains || type == MatchType::kStartsWith) &&
      (wild.empty() || wild.back() != 1)) {
    lit += '*';
    wild.push_back(1);
  }
  // Collapse a leading ** (from "*" + "*value").
  if (wild.size() >= 2 && wild[0] == 1 && wild[1] == 1) {
    lit.erase(0, 1);
    wild.erase(wild.begin());
  }
  Pattern p;
  p.cased = cased;
  std::size_t inner = 0;  // wildcards other than a leading and a trailing '*'
  const bool lead = !wild.empty() && wild.front() == 1;
  const bool trail = wild.size() > (lead ? 1u : 0u) && wild.back() == 1;
  for (std::size_t i = 0; i < wild.size(); ++i) {
    if (wild[i] == 0) continue;
    if ((i == 0 && lead) || (i + 1 == wild.size() && trail)) continue;
    ++inner;
  }
  if (!cased)
    for (char& c : lit) c = text::lower_ascii(c);
  if (inner > 0) {
    p.shape = Pattern::kGlob;
    p.lit = std::move(lit);
    p.wild = std::move(wild);
    return p;
  }
  std::string core = lit.substr(lead ? 1 : 0);
  if (trail) core.pop_back();
  if (lead && trail)
    p.shape = core.empty() ? Pattern::kAny : Pattern::kContains;
  else if (lead)
    p.shape = core.empty() ? Pattern::kAny : Pattern::kSuffix;
  else if (trail)
    p.shape = core.empty() ? Pattern::kAny : Pattern::kPrefix;
  else
    p.shape = Pattern::kExact;
  p.lit = std::move(core);
  return p;
}

bool word_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c >= 0x80;
}

/// windash: every '-' or '/' that starts a word (an option) may be written
/// with '-', '/', or an en dash, em dash or horizontal bar.
std::vector<std::string> windash_variants(const std::string& v) {
  static constexpr std::array<std::string_view, 5> kDashes = {"-", "/", "\xE2\x80\x93",
                                                              "\xE2\x80\x94", "\xE2\x80\x95"};
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '-' && v[i] != '/') continue;
    const bool word_before = i > 0 && word_char(static_cast<unsigned char>(v[i - 1]));
    const bool word_after = i + 1 < v.size() && word_char(static_cast<unsigned char>(v[i + 1]));
    if (!word_before && word_after) at.push_back(i);
  }
  if (at.size() > 4) throw Unsupported{"windash value with more than 4 options"};
  std::vector<std::string> out{std::string()};
  std::size_t from = 0;
  for (std::size_t pos : at) {
    std::vector<std::string> next;
    for (const std::string& prefix : out)
      for (std::string_view d : kDashes)
        next.push_back(prefix + v.substr(from, pos - from) + std::string(d));
    out = std::move(next);
    from = pos + 1;
  }
  for (std::string& s : out) s += v.substr(from);
  return out;
}

/// base64offset: the three encodings of `v` at byte offsets 0, 1, 2 in a
/// longer text, without the characters that depend on the neighbours.
std::vector<std::string> base64offset_variants(const std::string& v) {
  std::vector<std::string> out;
  for (std::size_t shift = 0; shift < 3; ++shift) {
    const std::string enc = codec::encode_base64(std::string(shift, ' ') + v);
    static constexpr std::array<std::size_t, 3> kStart = {0, 2, 3};
    static constexpr std::array<std::size_t, 3> kEndCut = {0, 3, 2};
    const std::size_t start = kStart[shift];
    const std::size_t cut = kEndCut[(v.size() + shift) % 3];
    if (enc.size() < start + cut) continue;
    std::string s = enc.substr(start, enc.size() - start - cut);
    if (!s.empty()) out.push_back(std::move(s));
  }
  return out;
}

/// A rough upper bound on the size of RE2's compiled program for `re`, in
/// units of a simple instruction: repetitions multiply their operand, Unicode
/// property classes (\pL) count as 200. Patterns over a budget are refused
/// (RE2 would accept \pL{1000}, ~150 MB).
std::size_t regex_cost(std::string_view re) {
  constexpr std::size_t kCap = std::size_t{1} << 40;
  auto mul = [](std::size_t a, std::size_t b) { return (b != 0 && a > kCap / b) ? kCap : a * b; };
  std::vector<std::size_t> stack{0};  // cost of the open groups
  std::size_t last = 0;               // cost of the last atom (for a repetition)
  for (std::size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    std::size_t atom = 1;
    if (c == '\\' && i + 1 < re.size()) {
      const char e = re[++i];
      if (e == 'p' || e == 'P') {
        atom = 200;
        if (i + 1 < re.size() && re[i + 1] == '{') {
          const std::size_t close = re.find('}', i + 1);
          i = close == std::string_view::npos ? re.size() : close;
        } else {
          ++i;
        }
      }
    } else if (c == '[') {
      std::size_t j = i + 1;
      if (j < re.size() && re[j] == '^') ++j;
      if (j < re.size() && re[j] == ']') ++j;
      atom = 10;
      for (; j < re.size() && re[j] != ']'; ++j) {
        if (re[j] == '\\' && j + 1 < re.size()) {
          if (re[j + 1] == 'p' || re[j + 1] == 'P') atom = 200;
          ++j;
        } else if (re[j] == '[' && j + 1 < re.size() && re[j + 1] == ':') {
          atom = 200;
        }
      }
      i = j;
    } else if (c == '(') {
      stack.push_back(0);
      last = 0;
      continue;
    } else if (c == ')') {
      if (stack.size() > 1) {
        atom = stack.back();
        stack.pop_back();
      }
    } else if (c == '{') {
      std::size_t n = 0, m = 0;
      bool comma = false, ok = false;
      std::size_t j = i + 1;
      for (; j < re.size() && j < i + 16; ++j) {
        const char d = re[j];
        if (d >= '0' && d <= '9') {
          std::size_t& x = comma ? m : n;
          x = std::min<std::size_t>(x * 10 + static_cast<std::size_t>(d - '0'), 100000);
        } else if (d == ',' && !comma) {
          comma = true;
        } else {
          ok = d == '}';
          break;
        }
      }
      if (ok) {
        const std::size_t times = std::max(n, comma && m == 0 ? n + 1 : m);
        stack.back() += mul(last, times > 0 ? times - 1 : 0);
        last = mul(last, times);
        i = j;
        continue;
      }
    } else if (c == '*' || c == '+' || c == '?' || c == '|') {
      continue;
    }
    stack.back() = std::min(kCap, stack.back() + atom);
    last = atom;
  }
  std::size_t total = 0;
  for (std::size_t x : stack) total = std::min(kCap, total + x);
  return total;
}

struct Modifiers {
  MatchType type = MatchType::kEquals;
  bool all = false, cased = false, exists = false, re = false, fieldref = false;
  bool re_i = false, re_m = false, re_s = false;
  std::vector<std::string> transforms;  // windash base64 base64offset, in order
};

Modifiers parse_modifiers(const std::vector<std::string_view>& mods) {
  Modifiers m;
  bool have_type = false;
  auto set_type = [&](MatchType t) {
    if (have_type || m.re) throw Unsupported{"conflicting modifiers"};
    have_type = true;
    m.type = t;
  };
  for (std::string_view mod : mods) {
    if (mod == "contains")
      set_type(MatchType::kContains);
    else if (mod == "startswith")
      set_type(MatchType::kStartsWith);
    else if (mod == "endswith")
      set_type(MatchType::kEndsWith);
    else if (mod == "all")
      m.all = true;
    else if (mod == "cased")
      m.cased = true;
    else if (mod == "exists")
      m.exists = true;
    else if (mod == "fieldref")
      m.fieldref = true;
    else if (mod == "re") {
      if (have_type) throw Unsupported{"conflicting modifiers"};
      m.re = true;
    } else if (mod == "i" || mod == "m" || mod == "s") {
      if (!m.re) throw Unsupported{"modifier '" + std::string(mod) + "' without 're'"};
      (mod == "i" ? m.re_i : mod == "m" ? m.re_m : m.re_s) = true;
    } else if (mod == "windash" || mod == "base64" || mod == "base64offset")
      m.transforms.emplace_back(mod);
    else
      throw Unsupported{"unknown modifier '" + std::string(mod) + "'"};
  }
  if (m.re && !m.transforms.empty()) throw Unsupported{"'re' with value transformations"};
  if (m.exists && (have_type || m.re || !m.transforms.empty() || m.fieldref))
    throw Unsupported{"'exists' with other modifiers"};
  if (m.fieldref && (have_type || m.re || !m.transforms.empty()))
    throw Unsupported{"'fieldref' with other modifiers"};
  for (const std::string& t : m.transforms)
    if (t == "base64offset" && m.type != MatchType::kContains)
      throw Unsupported{"'base64offset' needs 'contains'"};
  return m;
}

class Compiler {
 public:
  /// A `Field|mods` entry, or (keyword) a list of field-less values.
  FieldTest field_test(std::string_view key, const YAML::Node& values, bool keyword = false) {
    std::vector<std::string_view> parts;
    std::size_t from = 0;
    while (true) {
      const std::size_t bar = key.find('|', from);
      parts.push_back(
          key.substr(from, bar == std::string_view::npos ? std::string_view::npos : bar - from));
      if (bar == std::string_view::npos) break;
      from = bar + 1;
    }
    FieldTest t;
    t.field = std::string(text::trim_space(parts[0]));
    parts.erase(parts.begin());
    const Modifiers m = parse_modifiers(parts);
    if (t.field.empty() && !keyword) throw Unsupported{"a selection entry without a field name"};
    t.all = m.all;
    if (m.exists) {
      const std::string v = text::to_lower_ascii(scalar(values));
      if (!values.IsScalar() || (v != "true" && v != "false"))
        throw Unsupported{"'exists' needs true or false"};
      t.exists = true;
      t.exists_want = v == "true";
      return t;
    }
    if (values.IsSequence()) {
      if (values.size() == 0) throw Unsupported{"empty value list"};
      for (const YAML::Node& v : values) add_value(t, m, v);
    } else {
      add_value(t, m, values);
    }
    return t;
  }

  std::size_t values = 0;

 private:
  std::size_t regex_cost_ = 0;
  void count(std::size_t n) {
    values += n;
    if (values > detail::kMaxValues) throw Unsupported{"too many values"};
  }

  void add_value(FieldTest& t, const Modifiers& m, const YAML::Node& node) {
    std::vector<Pattern> variants;
    count(1);
    if (is_null(node)) {
      if (m.re || !m.transforms.empty() || m.type != MatchType::kEquals || m.fieldref)
        throw Unsupported{"null value with modifiers"};
      Pattern p;
      p.shape = Pattern::kNull;
      variants.push_back(std::move(p));
      t.values.push_back(std::move(variants));
      return;
    }
    if (!node.IsScalar()) throw Unsupported{"value is not a scalar"};
    const std::string v = node.Scalar();
    if (v.size() > detail::kMaxValueSize) throw Unsupported{"value too long"};
    if (m.fieldref) {
      Pattern p;
      p.shape = Pattern::kFieldRef;
      p.cased = m.cased;
      p.lit = v;
      variants.push_back(std::move(p));
    } else if (m.re) {
      if (v.size() > detail::kMaxRegex) throw Unsupported{"regular expression too long"};
      const std::size_t cost = regex_cost(v);
      regex_cost_ += cost;
      if (cost > detail::kMaxRegexCost || regex_cost_ > detail::kMaxRuleRegexCost)
        throw Unsupported{"regular expression too large"};
      auto re = text::Regex::compile(
          v, {.case_insensitive = m.re_i, .dot_matches_newline = m.re_s, .multiline = m.re_m});
      if (!re) throw Unsupported{"bad regular expression: " + re.error().message};
      Pattern p;
      p.shape = Pattern::kRegex;
      p.re = std::make_shared<const text::Regex>(std::move(*re));
      variants.push_back(std::move(p));
    } else {
      std::vector<std::string> texts{v};
      bool literal = false;
      for (const std::string& tr : m.transforms) {
        std::vector<std::string> next;
        for (const std::string& s : texts) {
          std::vector<std::string> more;
          if (tr == "windash")
            more = windash_variants(s);
          else if (tr == "base64")
            more.push_back(codec::encode_base64(s));
          else
            more = base64offset_variants(s);
          for (std::string& x : more) next.push_back(std::move(x));
        }
        if (tr != "windash") literal = true;
        texts = std::move(next);
        count(texts.size());
      }
      // Base64 text is case-sensitive.
      for (const std::string& s : texts)
        variants.push_back(make_pattern(s, literal, m.type, m.cased || literal));
    }
    t.values.push_back(std::move(variants));
  }
};

std::shared_ptr<Detection> compile_detection(const YAML::Node& det) {
  if (!det.IsMap()) throw Unsupported{"detection is not a mapping"};
  auto d = std::make_shared<Detection>();
  Compiler c;
  YAML::Node condition;
  for (const auto& kv : det) {
    const std::string key = scalar(kv.first);
    if (key == "condition") {
      condition.reset(kv.second);
      continue;
    }
    if (key == "timeframe") continue;  // only meaningful with aggregations
    if (key.empty()) throw Unsupported{"detection has a non-text key"};
    if (std::find(d->names.begin(), d->names.end(), key) != d->names.end())
      throw Unsupported{"duplicate selection '" + key + "'"};
    detail::Selection sel;
    const YAML::Node& body = kv.second;
    if (body.IsMap()) {
      std::vector<FieldTest> alt;
      for (const auto& f : body) alt.push_back(c.field_test(scalar(f.first), f.second));
      if (alt.empty()) throw Unsupported{"empty selection '" + key + "'"};
      sel.alternatives.push_back(std::move(alt));
    } else if (body.IsSequence()) {
      if (body.size() == 0) throw Unsupported{"empty selection '" + key + "'"};
      bool maps = false, scalars = false;
      for (const YAML::Node& item : body) (item.IsMap() ? maps : scalars) = true;
      if (maps && scalars) throw Unsupported{"selection '" + key + "' mixes maps and keywords"};
      if (maps) {
        for (const YAML::Node& item : body) {
          std::vector<FieldTest> alt;
          for (const auto& f : item) alt.push_back(c.field_test(scalar(f.first), f.second));
          if (alt.empty()) throw Unsupported{"empty selection '" + key + "'"};
          sel.alternatives.push_back(std::move(alt));
        }
      } else {
        sel.alternatives.push_back({c.field_test("|contains", body, true)});
      }
    } else if (body.IsScalar()) {
      sel.alternatives.push_back({c.field_test("|contains", body, true)});
    } else {
      throw Unsupported{"selection '" + key + "' is empty"};
    }
    d->names.push_back(key);
    d->selections.push_back(std::move(sel));
  }
  if (!condition.IsDefined() || condition.IsNull()) throw Unsupported{"detection has no condition"};
  std::vector<std::string> conds;
  if (condition.IsScalar()) {
    conds.push_back(condition.Scalar());
  } else if (condition.IsSequence() && condition.size() > 0) {
    for (const YAML::Node& n : condition) {
      if (!n.IsScalar()) throw Unsupported{"condition list holds a non-text item"};
      conds.push_back(n.Scalar());
    }
  } else {
    throw Unsupported{"condition is not text"};
  }
  std::vector<std::uint32_t> roots;
  for (const std::string& text : conds) {
    std::uint32_t root = 0;
    std::string why = detail::compile_condition(text, d->names, d->condition, &root);
    if (!why.empty()) throw Unsupported{why};
    roots.push_back(root);
  }
  if (roots.size() == 1) {
    d->condition.root = roots[0];
  } else {
    detail::CondNode n;
    n.op = detail::CondNode::kOr;
    n.kids = roots;
    d->condition.nodes.push_back(std::move(n));
    d->condition.root = static_cast<std::uint32_t>(d->condition.nodes.size() - 1);
  }
  return d;
}

std::vector<std::string> string_list(const YAML::Node& n, const char* what) {
  std::vector<std::string> out;
  if (is_null(n)) return out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
  } else if (n.IsSequence()) {
    for (const YAML::Node& x : n) {
      if (!x.IsScalar()) throw Unsupported{std::string(what) + " holds a non-text item"};
      out.push_back(x.Scalar());
    }
  } else {
    throw Unsupported{std::string(what) + " is not a list"};
  }
  return out;
}

/// a[ka] when it is there, else b[kb]. (yaml-cpp's `node = other` writes
/// through the node and throws on a missing key, so no reassignment.)
YAML::Node either(const YAML::Node& a, const char* ka, const YAML::Node& b, const char* kb) {
  const YAML::Node x = a[ka];
  if (x.IsDefined()) return x;
  return b[kb];
}

Correlation compile_correlation(const YAML::Node& doc, const std::string& file) {
  const YAML::Node corr = doc["correlation"];
  if (!corr.IsMap()) throw Unsupported{"correlation is not a mapping"};
  Correlation c;
  c.file = file;
  c.id = scalar(doc["id"]);
  c.name = scalar(doc["name"]);
  c.title = scalar(doc["title"]);
  c.level = scalar(doc["level"]);
  const std::string type = scalar(corr["type"]);
  if (type == "temporal_ordered")
    c.type = CorrelationType::kTemporalOrdered;
  else if (type == "temporal")
    c.type = CorrelationType::kTemporal;
  else if (type == "event_count")
    c.type = CorrelationType::kEventCount;
  else if (type.empty())
    throw Unsupported{"correlation has no type"};
  else
    throw Unsupported{"correlation type '" + type + "' is not supported"};
  c.rules = string_list(corr["rules"], "correlation rules");
  if (c.rules.empty()) throw Unsupported{"correlation names no rules"};
  if (c.rules.size() > 1000) throw Unsupported{"correlation names too many rules"};
  c.group_by = string_list(corr["group-by"], "group-by");
  if (c.group_by.size() > 64) throw Unsupported{"group-by has too many fields"};
  const YAML::Node span = either(corr, "timespan", corr, "timeframe");
  if (is_null(span)) throw Unsupported{"correlation has no timespan"};
  const auto ms = parse_timespan(scalar(span));
  if (!ms) throw Unsupported{"malformed timespan '" + scalar(span) + "'"};
  c.timespan_ms = *ms;
  const YAML::Node cond = corr["condition"];
  if (c.type == CorrelationType::kEventCount) {
    if (!cond.IsMap() || cond.size() != 1)
      throw Unsupported{"event_count needs a condition like {gte: N}"};
    for (const auto& kv : cond) {
      const std::string op = scalar(kv.first);
      if (op != "gte" && op != "gt" && op != "lte" && op != "lt" && op != "eq")
        throw Unsupported{"condition operator '" + op + "' is not supported"};
      const std::string v = scalar(kv.second);
      if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
        throw Unsupported{"condition value '" + v + "' is not a count"};
      c.condition_op = op;
      c.condition_value = std::stoull(v);
    }
  } else if (cond.IsDefined() && !cond.IsNull() && !cond.IsMap()) {
    throw Unsupported{"correlation condition is not a mapping"};
  }
  const YAML::Node gen = either(corr, "generate", doc, "generate");
  if (!is_null(gen)) {
    const std::string g = text::to_lower_ascii(scalar(gen));
    if (g != "true" && g != "false") throw Unsupported{"generate is not true or false"};
    c.generate = g == "true";
  }
  return c;
}

Rule compile_rule(const YAML::Node& doc, const std::string& file) {
  if (doc["action"].IsDefined()) throw Unsupported{"rule collections (action:) are not supported"};
  const YAML::Node ls = doc["logsource"];
  if (!ls.IsMap()) throw Unsupported{"no logsource"};
  const std::string category = scalar(ls["category"]);
  const std::string product = scalar(ls["product"]);
  if (category != "process_creation")
    throw Unsupported{"logsource category '" +
                      (category.empty() ? std::string("(none)") : category) +
                      "' is not process_creation"};
  if (!product.empty() && product != "windows")
    throw Unsupported{"logsource product '" + product + "' is not windows"};
  if (!doc["detection"].IsDefined()) throw Unsupported{"no detection"};
  Rule r;
  r.file = file;
  r.id = scalar(doc["id"]);
  r.name = scalar(doc["name"]);
  r.title = scalar(doc["title"]);
  r.level = scalar(doc["level"]);
  r.status = scalar(doc["status"]);
  r.tags = string_list(doc["tags"], "tags");
  r.detection = compile_detection(doc["detection"]);
  return r;
}

/// Scans flow-collection nesting before yaml-cpp parses it (its own guard is
/// far deeper than ours).
bool flow_too_deep(std::string_view yaml) {
  std::size_t depth = 0;
  for (char c : yaml) {
    if (c == '[' || c == '{') {
      if (++depth > detail::kMaxYamlDepth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

/// Splits a YAML stream at `---` document markers (a line starting with
/// three dashes and then a space, a tab or its end); each piece keeps its marker.
std::vector<std::string_view> split_documents(std::string_view yaml) {
  std::vector<std::string_view> out;
  std::size_t start = 0, line = 0;
  while (line < yaml.size()) {
    const std::size_t nl = yaml.find('\n', line);
    const std::size_t end = nl == std::string_view::npos ? yaml.size() : nl;
    const std::string_view l = yaml.substr(line, end - line);
    const bool marker = l.size() >= 3 && l.substr(0, 3) == "---" &&
                        (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r');
    if (marker && line > start) {
      out.push_back(yaml.substr(start, line - start));
      start = line;
    }
    line = end + 1;
  }
  if (start < yaml.size()) out.push_back(yaml.substr(start));
  return out;
}

std::string doc_title(const YAML::Node& doc) {
  if (!doc.IsMap()) return "(untitled)";
  std::string t = scalar(doc["title"]);
  if (t.empty()) t = scalar(doc["id"]);
  if (t.empty()) t = "(untitled)";
  if (t.size() > 200) t = t.substr(0, 200) + "...";
  return t;
}

}  // namespace

LoadReport load_text(std::string_view yaml, std::string_view name, RuleSet& set) {
  LoadReport rep;
  rep.files = 1;
  const std::string file(name);
  if (flow_too_deep(yaml)) {
    rep.skipped = 1;
    rep.problems.push_back(file + ": YAML nested too deeply (skipped)");
    return rep;
  }
  // Documents are split here and parsed one by one: yaml-cpp 0.7's LoadAll
  // can loop forever on a malformed stream (e.g. ",::"), and a broken
  // document then only costs itself.
  for (std::string_view chunk : split_documents(yaml)) {
    YAML::Node doc;
    try {
      doc = YAML::Load(std::string(chunk));
    } catch (const std::exception& e) {
      ++rep.documents;
      ++rep.skipped;
      rep.problems.push_back(file + ": YAML error: " + e.what() + " (skipped)");
      continue;
    }
    if (is_null(doc)) continue;  // an empty document (a trailing ---)
    ++rep.documents;
    std::string title = "(untitled)";
    try {
      title = doc_title(doc);
      std::size_t budget = 200'000;
      if (too_deep(doc, 0, budget)) throw Unsupported{"YAML nested too deeply or too large"};
      if (!doc.IsMap()) throw Unsupported{"document is not a mapping"};
      if (doc["correlation"].IsDefined()) {
        set.correlations.push_back(compile_correlation(doc, file));
        ++rep.correlations;
      } else {
        set.rules.push_back(compile_rule(doc, file));
        ++rep.rules;
      }
    } catch (const Unsupported& u) {
      ++rep.skipped;
      rep.problems.push_back(file + ": rule '" + title + "': " + u.why + " (skipped)");
    } catch (const std::exception& e) {  // YAML::Exception (bad conversion, ...) and others
      ++rep.skipped;
      rep.problems.push_back(file + ": rule '" + title + "': " + e.what() + " (skipped)");
    }
  }
  return rep;
}

LoadReport load_path(const std::string& path, RuleSet& set) {
  namespace fs = std::filesystem;
  LoadReport rep;
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(path, ec)) {
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      const std::string ext = text::to_lower_ascii(it->path().extension().string());
      if (ext == ".yml" || ext == ".yaml") files.push_back(it->path());
    }
    if (ec) rep.problems.push_back(path + ": " + ec.message());
    std::sort(files.begin(), files.end());
  } else {
    files.emplace_back(path);
  }
  constexpr std::uintmax_t kMaxFile = 16u * 1024 * 1024;
  for (const fs::path& f : files) {
    const std::string name = f.string();
    std::error_code sec;
    const std::uintmax_t size = fs::file_size(f, sec);
    if (sec) {
      ++rep.files;
      ++rep.skipped;
      rep.problems.push_back(name + ": " + sec.message());
      continue;
    }
    if (size > kMaxFile) {
      ++rep.files;
      ++rep.skipped;
      rep.problems.push_back(name + ": file too large (skipped)");
      continue;
    }
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      ++rep.files;
      ++rep.skipped;
      rep.problems.push_back(name + ": cannot open");
      continue;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    LoadReport one = load_text(ss.str(), name, set);
    rep.files += one.files;
    rep.documents += one.documents;
    rep.rules += one.rules;
    rep.correlations += one.correlations;
    rep.skipped += one.skipped;
    for (std::string& p : one.problems) rep.problems.push_back(std::move(p));
  }
  return rep;
}

}  // namespace ioc::sigma
