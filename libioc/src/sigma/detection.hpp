// sigma/detection.hpp — the compiled form of a Sigma detection (private to
// libioc/src/sigma): selections of field tests, and the condition as a small
// AST over selection indices.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/sigma/rules.hpp"
#include "ioc/text/regex.hpp"

namespace ioc::sigma {
namespace detail {

/// Bounds on input-driven work.
inline constexpr std::size_t kMaxConditionDepth = 64;
inline constexpr std::size_t kMaxConditionTokens = 4096;
inline constexpr std::size_t kMaxYamlDepth = 64;
inline constexpr std::size_t kMaxValues = 10000;  ///< values (after expansion) per rule
inline constexpr std::size_t kMaxRegex = 4096;    ///< bytes of one `re` pattern
inline constexpr std::size_t kMaxValueSize = 64 * 1024;
/// Estimated compiled size of one `re` pattern, and of all of a rule's.
inline constexpr std::size_t kMaxRegexCost = 20000;
inline constexpr std::size_t kMaxRuleRegexCost = 100000;

/// One compiled value: how a field's text is tested.
struct Pattern {
  enum Shape : std::uint8_t {
    kExact,     ///< equals lit
    kPrefix,    ///< starts with lit
    kSuffix,    ///< ends with lit
    kContains,  ///< contains lit
    kAny,       ///< "*": any value (the field must exist)
    kGlob,      ///< lit with wild[] marks: 0 literal, 1 '*', 2 '?'
    kRegex,     ///< re (RE2)
    kNull,      ///< null: the field is absent or empty
    kFieldRef,  ///< equals the value of the field named lit
  };
  Shape shape = kExact;
  bool cased = false;  ///< compare case-sensitively
  std::string lit;     ///< lower-cased when !cased (except kFieldRef)
  std::vector<std::uint8_t> wild;
  std::shared_ptr<const text::Regex> re;

  /// Tests a field value (nullopt: the event lacks the field).
  bool matches(std::optional<std::string_view> value, const FieldSource& event) const;
};

/// One `Field|modifiers: values` entry (or keywords when field is empty).
struct FieldTest {
  std::string field;  ///< "" for keywords (searched in every field value)
  bool all = false;   ///< every value must match (else any)
  /// exists modifier: the field's presence must equal `exists_want`.
  bool exists = false;
  bool exists_want = true;
  /// One entry per value of the rule; each holds its variants (windash,
  /// base64offset), any of which may match.
  std::vector<std::vector<Pattern>> values;

  bool matches(const FieldSource& event) const;
};

/// A selection: alternatives (OR) of AND-ed field tests.
struct Selection {
  std::vector<std::vector<FieldTest>> alternatives;
  bool matches(const FieldSource& event) const;
};

/// A condition AST node.
struct CondNode {
  enum Op : std::uint8_t { kSel, kNot, kAnd, kOr, kOf };
  Op op = kSel;
  std::uint32_t sel = 0;            ///< kSel: selection index
  std::size_t need = 1;             ///< kOf: how many must match (SIZE_MAX: all)
  std::vector<std::uint32_t> kids;  ///< kNot/kAnd/kOr: node indices; kOf: selection indices
};

struct Condition {
  std::vector<CondNode> nodes;
  std::uint32_t root = 0;
};

/// Compiles one condition expression against the selection names into
/// `out` (appending nodes); sets *root. Returns "" or the reason it is
/// malformed or unsupported.
std::string compile_condition(std::string_view text, const std::vector<std::string>& names,
                              Condition& out, std::uint32_t* root);

/// Evaluates a compiled condition; `eval_sel(i)` tests selection i.
template <typename SelFn>
bool eval_condition(const Condition& c, std::uint32_t node, SelFn& eval_sel) {
  const CondNode& n = c.nodes[node];
  switch (n.op) {
    case CondNode::kSel: return eval_sel(n.sel);
    case CondNode::kNot: return !eval_condition(c, n.kids[0], eval_sel);
    case CondNode::kAnd:
      for (std::uint32_t k : n.kids)
        if (!eval_condition(c, k, eval_sel)) return false;
      return true;
    case CondNode::kOr:
      for (std::uint32_t k : n.kids)
        if (eval_condition(c, k, eval_sel)) return true;
      return false;
    case CondNode::kOf: {
      if (n.need == static_cast<std::size_t>(-1)) {  // all of
        for (std::uint32_t s : n.kids)
          if (!eval_sel(s)) return false;
        return true;
      }
      std::size_t got = 0;
      for (std::uint32_t s : n.kids)
        if (eval_sel(s) && ++got >= n.need) return true;
      return false;
    }
  }
  return false;
}

/// `*`-wildcard matching in linear time (one backtrack point): pattern
/// position p is a star when is_star(p), and matches text byte c when
/// matches(p, c). Used for Sigma values (with `?` and case rules) and for the
/// selection names of `1 of sel*`.
template <typename IsStar, typename Matches>
bool wildcard_match(std::size_t pattern_size, std::string_view s, IsStar is_star, Matches matches) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < s.size()) {
    if (p < pattern_size && is_star(p)) {
      star = p++;
      mark = t;
    } else if (p < pattern_size && matches(p, s[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern_size && is_star(p)) ++p;
  return p == pattern_size;
}

}  // namespace detail

struct Detection {
  std::vector<std::string> names;  ///< selection names, by index
  std::vector<detail::Selection> selections;
  detail::Condition condition;
};

}  // namespace ioc::sigma
