// ioc/text/regex.hpp — linear-time regular expressions (RE2), the one adapter
// between libioc and RE2.
//
//   auto re = Regex::compile(R"(-e[a-z]*\s+([A-Za-z0-9+/=]{20,}))", {.case_insensitive = true});
//   if (!re) report(re.error());                       // kInvalidInput: RE2's message
//   for (std::string_view m : re->find_all(cmdline, 1)) decode(m);
//
// RE2 syntax (no backreferences or lookaround), so matching time is linear in the
// input whatever the pattern: safe on hostile input. Views returned point into
// the searched text.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "ioc/core/result.hpp"

namespace ioc::text {

struct RegexOptions {
  bool case_insensitive = false;
  bool dot_matches_newline = false;
  bool multiline = false;  ///< ^ and $ match at line breaks
};

class Regex {
 public:
  static Result<Regex> compile(std::string_view pattern, const RegexOptions& options = {});

  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;
  ~Regex();

  /// Number of capturing groups.
  int groups() const noexcept;

  /// Every non-overlapping match, left to right: group `group` of each (0 = the
  /// whole match); a group that did not take part is skipped. At most `max` results.
  std::vector<std::string_view> find_all(std::string_view text, int group = 0,
                                         std::size_t max = static_cast<std::size_t>(-1)) const;

  /// Every non-overlapping match with all its groups: groups[0] is the whole
  /// match, groups[i] group i (a view with data() == nullptr when the group did
  /// not take part). Views point into `text`.
  struct Match {
    std::vector<std::string_view> groups;
  };
  std::vector<Match> match_all(std::string_view text,
                               std::size_t max = static_cast<std::size_t>(-1)) const;

  /// A match that starts at the first character of `text` (anchored), if any.
  std::optional<Match> match_prefix(std::string_view text) const;

 private:
  struct Impl;
  explicit Regex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ioc::text
