// ioc/core/version.hpp — the toolkit's version, set by CMake.
#pragma once

namespace ioc {

/// "0.1.0"
const char* version() noexcept;

}  // namespace ioc
