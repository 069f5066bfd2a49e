// ioc/text/normalize.hpp — Unicode normalization through ICU.
//
//   normalize("ｐｏｗｅｒｓｈｅｌｌ", NormalForm::kNfkc) -> "powershell"
//   normalize("ﬁle", NormalForm::kNfkc)                  -> "file"
//   normalize("Ⓟⓞⓦⓔⓡ", NormalForm::kNfkcCasefold)      -> "power"
//
// Obfuscated command lines use full-width and other compatibility characters
// that Windows folds but grep does not; NFKC undoes them. Input is UTF-8;
// ill-formed sequences become U+FFFD.
#pragma once

#include <string>
#include <string_view>

#include "ioc/core/result.hpp"

namespace ioc::text {

enum class NormalForm { kNfc, kNfd, kNfkc, kNfkd, kNfkcCasefold };

/// "nfc", "nfd", "nfkc", "nfkd", "nfkc_cf" (case-insensitive) -> form; else kNotFound.
Result<NormalForm> parse_normal_form(std::string_view name);

Result<std::string> normalize(std::string_view utf8, NormalForm form);

}  // namespace ioc::text
