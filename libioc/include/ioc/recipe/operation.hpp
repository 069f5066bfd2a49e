// ioc/recipe/operation.hpp — what an operation is.
//
// An operation is a descriptor plus a pure function, as in CyberChef: a stable
// snake_case name, a one-line summary, typed arguments with defaults, the name
// of the same operation in CyberChef (if there is one) and how its CyberChef
// arguments map to ours. The algorithm itself lives in its module (codec,
// text ...); the operation tables in src/recipe/ops_*.cpp only forward to it.
//
//   const OperationInfo* op = find_operation("from_base64");   // registry.hpp
//   auto args = bind_args(*op, {"url"}, {{"strict", "true"}});
//   OpContext ctx;
//   auto out = op->run("aABp", *args, ctx);
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ioc/core/limits.hpp"
#include "ioc/core/result.hpp"

namespace ioc::recipe {

enum class ArgType {
  kString,  ///< any text ('' quoted in recipes when it has spaces)
  kInt,     ///< a decimal integer
  kBool,    ///< true/false, yes/no, on/off, 1/0
  kChoice,  ///< one of `choices`, matched case-insensitively
};

std::string_view arg_type_name(ArgType type) noexcept;

struct ArgSpec {
  std::string_view name;
  ArgType type = ArgType::kString;
  std::string_view default_value;
  std::string_view summary;
  std::span<const std::string_view> choices = {};
};

/// Validated argument values of one step, in the order of the operation's ArgSpecs.
class Args {
 public:
  Args() = default;
  explicit Args(std::vector<std::string> values) : values_(std::move(values)) {}

  /// The canonical text of argument i (choices lower-cased, booleans "true"/"false").
  const std::string& text(std::size_t i) const { return values_.at(i); }
  bool boolean(std::size_t i) const { return values_.at(i) == "true"; }
  std::int64_t integer(std::size_t i) const;
  std::size_t size() const noexcept { return values_.size(); }
  const std::vector<std::string>& values() const noexcept { return values_; }

 private:
  std::vector<std::string> values_;
};

/// What a running recipe may use and report besides its result.
struct OpContext {
  Limits limits;
  /// Things an operation noticed without failing ("dropped a trailing odd byte").
  std::vector<std::string> warnings;
};

using RunFn = Result<std::string> (*)(std::string_view input, const Args& args, OpContext& ctx);
/// CyberChef argument list -> our argument values (positional, as text).
using FromCyberChefFn = Result<std::vector<std::string>> (*)(const nlohmann::json& cc_args);
/// Our arguments -> a CyberChef argument list (for --explain).
using ToCyberChefFn = Result<nlohmann::json> (*)(const Args& args);
/// Checks argument values beyond their type (a regular expression compiles, a
/// hex key is hex) when the recipe is parsed, not once per record.
using ValidateFn = Result<void> (*)(const Args& args);

struct OperationInfo {
  std::string_view name;            ///< stable snake_case name
  std::string_view summary;         ///< one line, for --list-operations
  std::string_view cyberchef_name;  ///< "From Base64"; empty when CyberChef has no equivalent
  std::span<const ArgSpec> args;
  RunFn run = nullptr;
  FromCyberChefFn from_cyberchef = nullptr;  ///< set when cyberchef_name is
  ToCyberChefFn to_cyberchef = nullptr;      ///< set when cyberchef_name is
  ValidateFn validate = nullptr;             ///< optional
};

/// Binds positional and named argument texts to `op`'s ArgSpecs: checks names,
/// types and choices, fills defaults, then runs op.validate. Errors (kUsage) name the operation and
/// the argument, and list the valid names or choices.
Result<Args> bind_args(const OperationInfo& op, const std::vector<std::string>& positional,
                       const std::vector<std::pair<std::string, std::string>>& named = {});

}  // namespace ioc::recipe
