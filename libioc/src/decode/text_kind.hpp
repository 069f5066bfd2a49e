// What decoded bytes are, and what an input record is (internal to decode).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ioc::decode {

enum class TextKind { kUtf16Le, kUtf8, kBinary };

/// UTF-16LE by its NUL pattern, UTF-8 when well-formed and mostly printable, else binary.
TextKind classify_bytes(std::string_view bytes);

bool is_ascii(std::string_view bytes) noexcept;

/// "pe" (MZ with a PE header), "shellcode" (a known stager prologue, or bytes a
/// script hands to VirtualAlloc & co. when `loader_context`), else "binary".
std::string binary_kind(std::string_view bytes, bool loader_context);

/// A bare base64 blob that decodes to text (or to gzip/zlib/PE bytes).
bool looks_like_base64_blob(std::string_view text);

/// Starts like a Windows command line: a known program, a path to an executable,
/// %COMSPEC%.
bool is_command_line(std::string_view text);

std::size_t first_non_space(std::string_view s) noexcept;
std::size_t last_non_space(std::string_view s) noexcept;  ///< one past the last non-space

/// The value of a JSON string literal ("..." with escapes), nullopt if it is not one.
std::optional<std::string> json_string_value(std::string_view literal);

}  // namespace ioc::decode
