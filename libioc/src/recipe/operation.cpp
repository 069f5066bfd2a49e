#include "ioc/recipe/operation.hpp"

#include <algorithm>
#include <charconv>

#include "recipe/strings.hpp"

namespace ioc::recipe {

std::string_view arg_type_name(ArgType type) noexcept {
  switch (type) {
    case ArgType::kString: return "string";
    case ArgType::kInt: return "integer";
    case ArgType::kBool: return "boolean";
    case ArgType::kChoice: return "choice";
  }
  return "string";
}

std::int64_t Args::integer(std::size_t i) const {
  std::int64_t v = 0;
  const std::string& s = values_.at(i);
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

namespace {

// Canonical text of `value` for `spec`, or an error naming the operation and argument.
Result<std::string> canonical_value(const OperationInfo& op, const ArgSpec& spec,
                                    std::string_view value) {
  auto fail = [&](std::string why) {
    return make_error(ErrorCode::kUsage,
                      std::string(op.name) + ": argument '" + std::string(spec.name) + "': " + why);
  };
  switch (spec.type) {
    case ArgType::kString: return std::string(value);
    case ArgType::kInt: {
      std::int64_t v = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || end != value.data() + value.size() || value.empty())
        return fail("'" + std::string(value) + "' is not an integer");
      return std::to_string(v);
    }
    case ArgType::kBool: {
      std::string v = detail::ascii_lower(value);
      if (v == "true" || v == "yes" || v == "on" || v == "1") return std::string("true");
      if (v == "false" || v == "no" || v == "off" || v == "0") return std::string("false");
      return fail("'" + std::string(value) + "' is not a boolean (true or false)");
    }
    case ArgType::kChoice: {
      std::string v = detail::ascii_lower(value);
      for (std::string_view c : spec.choices)
        if (detail::ascii_lower(c) == v) return std::string(c);
      std::string list;
      for (std::string_view c : spec.choices) {
        if (!list.empty()) list += ", ";
        list += c;
      }
      return fail("'" + std::string(value) + "' is not one of: " + list);
    }
  }
  return std::string(value);
}

}  // namespace

Result<Args> bind_args(const OperationInfo& op, const std::vector<std::string>& positional,
                       const std::vector<std::pair<std::string, std::string>>& named) {
  const std::size_t n = op.args.size();
  if (positional.size() > n) {
    return make_error(ErrorCode::kUsage, std::string(op.name) + " takes " + std::to_string(n) +
                                             " argument" + (n == 1 ? "" : "s") + ", got " +
                                             std::to_string(positional.size()));
  }
  std::vector<std::string> values(n);
  std::vector<bool> set(n, false);
  for (std::size_t i = 0; i < positional.size(); ++i) {
    IOC_ASSIGN_OR_RETURN(values[i], canonical_value(op, op.args[i], positional[i]));
    set[i] = true;
  }
  for (const auto& entry : named) {
    const std::string& key = entry.first;
    const std::string& value = entry.second;
    auto it = std::find_if(op.args.begin(), op.args.end(),
                           [&](const ArgSpec& a) { return a.name == key; });
    if (it == op.args.end()) {
      std::string names;
      for (const ArgSpec& a : op.args) {
        if (!names.empty()) names += ", ";
        names += a.name;
      }
      return make_error(ErrorCode::kUsage, std::string(op.name) + " has no argument '" + key + "'" +
                                               (names.empty() ? std::string(" (it takes none)")
                                                              : "; its arguments are: " + names));
    }
    const std::size_t i = static_cast<std::size_t>(it - op.args.begin());
    if (set[i]) {
      return make_error(ErrorCode::kUsage,
                        std::string(op.name) + ": argument '" + key + "' given twice");
    }
    IOC_ASSIGN_OR_RETURN(values[i], canonical_value(op, op.args[i], value));
    set[i] = true;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!set[i]) {
      IOC_ASSIGN_OR_RETURN(values[i], canonical_value(op, op.args[i], op.args[i].default_value));
    }
  }
  Args args(std::move(values));
  if (op.validate != nullptr) {
    auto ok = op.validate(args);
    if (!ok) return make_error(ok.error().code, std::string(op.name) + ": " + ok.error().message);
  }
  return args;
}

}  // namespace ioc::recipe
