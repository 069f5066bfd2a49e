// CyberChef's recipe syntaxes (internal; the public entry is parse.hpp).
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "ioc/recipe/parse.hpp"

namespace ioc::recipe::detail {

Result<Recipe> parse_cyberchef_json(std::string_view text);
Result<Recipe> parse_cyberchef_compact(std::string_view text);

/// A JavaScript-literal argument list as CyberChef's compact form writes it:
/// 'strings' and "strings" with escapes, numbers, true/false/null, {objects}, [arrays].
Result<nlohmann::json> parse_js_args(std::string_view text, std::size_t& pos,
                                     std::size_t depth = 0);

}  // namespace ioc::recipe::detail
