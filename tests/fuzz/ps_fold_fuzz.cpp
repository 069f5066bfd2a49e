// libFuzzer target: PowerShell constant folding and string-literal search.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/text/ps_fold.hpp"

using ioc::text::find_powershell_strings;
using ioc::text::fold_powershell;
using ioc::text::FoldOptions;
using ioc::text::FoldResult;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

// Every literal lies inside the script, is not empty, and they come in order.
void check_strings(std::string_view script) {
  std::size_t previous_end = 0;
  for (const auto& s : find_powershell_strings(script)) {
    check(s.begin < s.end);
    check(s.end <= script.size());
    check(s.begin >= previous_end);
    check(s.quote == '\'' || s.quote == '"');
    previous_end = s.end;
  }
}

void check_result(std::string_view input, const FoldResult& r, const FoldOptions& options) {
  static const std::vector<std::string> kNames = {"backtick", "concat",  "format",  "char",
                                                  "join",     "replace", "reverse", "escape"};
  check(r.script.size() <= options.max_output);
  check(r.kinds.size() <= kNames.size());
  for (std::size_t i = 0; i < r.kinds.size(); ++i) {
    check(std::find(kNames.begin(), kNames.end(), r.kinds[i]) != kNames.end());
    check(std::find(r.kinds.begin() + static_cast<std::ptrdiff_t>(i) + 1, r.kinds.end(),
                    r.kinds[i]) == r.kinds.end());
  }
  if (r.folds == 0) {
    check(r.kinds.empty());
    if (!r.truncated) check(r.script == input);
  }
  if (options.max_rounds == 0 && input.size() <= options.max_output) check(r.script == input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_strings(input);

  FoldOptions options;
  options.max_rounds = 3;
  options.max_output = 2 * size + 64;
  const FoldResult first = fold_powershell(input, options);
  check_result(input, first, options);
  check_strings(first.script);

  // Folding folded output again must be safe (it need not be a no-op).
  const FoldResult second = fold_powershell(first.script, options);
  check_result(first.script, second, options);

  // A limit below the input's size.
  options.max_output = size / 2;
  options.max_rounds = 1 + size % 3;
  const FoldResult tight = fold_powershell(input, options);
  check_result(input, tight, options);
  check(size <= options.max_output || tight.truncated);

  options.max_rounds = 0;
  options.max_output = size;
  check_result(input, fold_powershell(input, options), options);
  return 0;
}
