// ioc/text/reverse.hpp — string reversal, an obfuscation PowerShell loves
// (`-join $s[-1..-$s.Length]`, `[array]::Reverse`).
//
//   reverse_characters("llehsrewop")   -> "powershell"
//   reverse_characters("aé😀")        -> "😀éa"   (code points, not bytes)
//   reverse_lines("a\nb\nc")           -> "c\nb\na"
//   reverse_bytes("\x01\x02")          -> "\x02\x01"
// Ill-formed UTF-8 sequences are kept as single bytes, in reversed order.
#pragma once

#include <string>
#include <string_view>

namespace ioc::text {

std::string reverse_characters(std::string_view utf8);
std::string reverse_lines(std::string_view text);
std::string reverse_bytes(std::string_view bytes);

}  // namespace ioc::text
