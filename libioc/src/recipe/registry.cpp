#include "ioc/recipe/registry.hpp"

#include <algorithm>
#include <vector>

#include "recipe/ops.hpp"
#include "recipe/strings.hpp"

namespace ioc::recipe {

namespace detail {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace detail

std::span<const OperationInfo> operations() {
  // Joined once from the per-module tables, in a fixed order.
  static const std::vector<OperationInfo> all = [] {
    std::vector<OperationInfo> v;
    for (auto table : {detail::codec_operations(), detail::text_operations()})
      v.insert(v.end(), table.begin(), table.end());
    return v;
  }();
  return all;
}

const OperationInfo* find_operation(std::string_view name) {
  for (const OperationInfo& op : operations())
    if (op.name == name) return &op;
  return nullptr;
}

namespace {

// "From_Base64" / "from base64" / "From Base64" all compare equal.
std::string cyberchef_key(std::string_view name) {
  std::string key = detail::ascii_lower(name);
  std::replace(key.begin(), key.end(), '_', ' ');
  return key;
}

}  // namespace

const OperationInfo* find_cyberchef_operation(std::string_view cyberchef_name) {
  const std::string key = cyberchef_key(cyberchef_name);
  for (const OperationInfo& op : operations())
    if (!op.cyberchef_name.empty() && cyberchef_key(op.cyberchef_name) == key) return &op;
  return nullptr;
}

std::vector<std::string_view> suggest_operations(std::string_view name, std::size_t max) {
  const std::string lower = detail::ascii_lower(name);
  std::vector<std::pair<std::size_t, std::string_view>> scored;
  for (const OperationInfo& op : operations()) {
    const std::size_t d = detail::edit_distance(lower, op.name);
    // Close enough to be a typo, or a name that contains what was typed.
    const std::size_t allowed = std::max<std::size_t>(2, op.name.size() / 3);
    if (d <= allowed || (lower.size() >= 3 && op.name.find(lower) != std::string_view::npos))
      scored.emplace_back(d, op.name);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string_view> names;
  for (const auto& [d, n] : scored) {
    if (names.size() == max) break;
    names.push_back(n);
  }
  return names;
}

std::string unknown_operation_message(std::string_view name) {
  std::string msg = "unknown operation '" + std::string(name) + "'";
  const auto suggestions = suggest_operations(name);
  if (!suggestions.empty()) {
    msg += "; did you mean ";
    for (std::size_t i = 0; i < suggestions.size(); ++i) {
      if (i > 0) msg += i + 1 == suggestions.size() ? " or " : ", ";
      msg += "'" + std::string(suggestions[i]) + "'";
    }
    msg += "?";
  }
  msg += " (--list-operations shows them all)";
  return msg;
}

}  // namespace ioc::recipe
