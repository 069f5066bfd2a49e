// The operation tables of each module, joined by registry.cpp (internal).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ioc/recipe/operation.hpp"

namespace ioc::recipe::detail {

std::span<const OperationInfo> codec_operations();
std::span<const OperationInfo> text_operations();

// Helpers for the CyberChef argument mappings.

/// cc_args[i] as a string, `fallback` when absent; kUnsupported when not a string.
Result<std::string> cc_string(const nlohmann::json& cc_args, std::size_t i,
                              std::string_view fallback, std::string_view op);
/// cc_args[i] as a boolean, `fallback` when absent.
Result<bool> cc_bool(const nlohmann::json& cc_args, std::size_t i, bool fallback,
                     std::string_view op);
/// kUnsupported "CyberChef's <op>: <what> is not supported".
Unexpected cc_unsupported(std::string_view op, std::string_view what);

/// kLimitExceeded when an operation that grows its input by up to `factor`
/// could pass the per-layer output limit.
Result<void> check_growth(std::string_view input, std::size_t factor, const OpContext& ctx,
                          std::string_view op);

}  // namespace ioc::recipe::detail
