// ioc/text/ps_fold.hpp — constant folding of PowerShell string obfuscation.
//
// A small tokenizer for PowerShell string literals and the operators that
// obfuscators build strings with, not a full parser. Every expression that is
// made only of constants is replaced by one single-quoted literal; everything
// else is left exactly as it was:
//
//   fold_powershell("[Ref].Assembly.GetType('System.Management.Automation.Amsi'+'Utils')")
//     -> "[Ref].Assembly.GetType('System.Management.Automation.AmsiUtils')"
//   ("{1}{0}" -f 'b','a')              -> 'ab'        (format operator, nested too)
//   [char]0x53+[char]121+[char]83      -> 'SyS'       ([char]N joins, decimal or hex)
//   -join('a','b','c') / ('a','b')-join''  -> 'abc'
//   'xAx'.Replace('A','b') / 'xAx' -replace 'A','b' (literal patterns only) -> 'xbx'
//   -join ('cba'[-1..-3])  /  ('cba'[2..0] -join '')  -> 'abc' (string reversal)
//   "GEtFie`LD" / Get`-Ch`ildItem      -> backticks that escape ordinary characters removed
//   "a`tb" (double-quoted escapes `t `n `r `0 `a `b `f `v) -> the characters; `e and
//   `u{...} are read as Windows PowerShell 5.1 does (plain e and u), since that is
//   what obfuscated scripts target
// Double-quoted strings with $variables or $(subexpressions) are not constant and
// are left alone. Quotes inside folded literals are written as '' (PowerShell's
// escape). Comments (# ... and <# ... #>) and here-strings (@'...'@, @"..."@) are
// tokenized so that quotes inside them do not confuse the folder.
// Folding repeats until nothing changes or max_rounds is reached; the output is
// bounded by max_output (folding stops with `truncated` set).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/core/limits.hpp"

namespace ioc::text {

struct FoldOptions {
  std::size_t max_rounds = 16;
  std::size_t max_output = Limits{}.max_output;
};

struct FoldResult {
  std::string script;              ///< the folded script
  std::size_t folds = 0;           ///< how many expressions were replaced
  std::vector<std::string> kinds;  ///< techniques seen, each once, in first-seen order:
                                   ///< "backtick", "concat", "format", "char", "join",
                                   ///< "replace", "reverse", "escape"
  bool truncated = false;          ///< max_output stopped folding
};

FoldResult fold_powershell(std::string_view script, const FoldOptions& options = {});

/// One PowerShell string literal found in a script.
struct PsString {
  std::string value;      ///< the string's value (escapes resolved)
  std::size_t begin = 0;  ///< the literal's raw text, quotes included: [begin, end)
  std::size_t end = 0;
  char quote = '\'';     ///< '\'' or '"' (here-strings too)
  bool constant = true;  ///< false for double-quoted strings with $ expansions
};

/// Every string literal of the script, in order (comments skipped).
std::vector<PsString> find_powershell_strings(std::string_view script);

}  // namespace ioc::text
