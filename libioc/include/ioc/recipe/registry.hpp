// ioc/recipe/registry.hpp — the table of every operation.
//
// Registration is explicit: each module's operations are one ordered table
// (src/recipe/ops_*.cpp) and this registry joins them. Nothing registers
// itself from a static initializer (a static library would silently lose it).
//
//   for (const auto& op : operations()) std::cout << op.name << '\n';
//   if (!find_operation("from_bas64")) suggest_operations("from_bas64");  // {"from_base64"}
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "ioc/recipe/operation.hpp"

namespace ioc::recipe {

/// Every operation, in a stable order (codec operations, then text).
std::span<const OperationInfo> operations();

/// By our name (exact, lower-case snake_case); nullptr when unknown.
const OperationInfo* find_operation(std::string_view name);

/// By CyberChef's display name ("From Base64", case-insensitive; '_' counts as
/// a space, as in CyberChef's compact recipes); nullptr when unknown.
const OperationInfo* find_cyberchef_operation(std::string_view cyberchef_name);

/// Up to `max` known names close to `name` (edit distance), best first.
std::vector<std::string_view> suggest_operations(std::string_view name, std::size_t max = 3);

/// "unknown operation 'x'" plus "; did you mean 'y'?" when there is a close name.
std::string unknown_operation_message(std::string_view name);

}  // namespace ioc::recipe
