// ioc/text/case.hpp — Unicode case mapping through ICU.
//
//   to_lower("ΟΔΟΣ")                 -> "οδος"   (final sigma is context-sensitive)
//   to_lower("İSTANBUL")             -> "i̇stanbul" (root locale: İ -> i + U+0307, as JavaScript)
//   to_lower("İSTANBUL", "tr")       -> "istanbul";  to_lower("I", "tr") -> "ı"
//   to_upper("straße")               -> "STRASSE"
//   case_fold("ΣΑΣ") == case_fold("σας")  (folding is for comparison, not display)
//
// Input is UTF-8; ill-formed sequences become U+FFFD. `locale` is a BCP 47 /
// ICU locale id ("" = root, "tr", "az", "lt" change the mapping). Pure ASCII
// input under a locale without special rules takes a fast path with the same result.
#pragma once

#include <string>
#include <string_view>

namespace ioc::text {

std::string to_lower(std::string_view utf8, std::string_view locale = "");
std::string to_upper(std::string_view utf8, std::string_view locale = "");
/// Full case folding (Unicode CaseFolding.txt, C+F); `turkic` uses the T mappings (I -> ı).
std::string case_fold(std::string_view utf8, bool turkic = false);

}  // namespace ioc::text
