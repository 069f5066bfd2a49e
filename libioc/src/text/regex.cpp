#include "ioc/text/regex.hpp"

#include <re2/re2.h>

namespace ioc::text {

struct Regex::Impl {
  explicit Impl(std::string_view pattern, const RE2::Options& options)
      : re(re2::StringPiece(pattern.data(), pattern.size()), options) {}
  RE2 re;
};

Regex::Regex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;
Regex::~Regex() = default;

Result<Regex> Regex::compile(std::string_view pattern, const RegexOptions& options) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_case_sensitive(!options.case_insensitive);
  o.set_dot_nl(options.dot_matches_newline);
  o.set_encoding(RE2::Options::EncodingUTF8);
  o.set_max_mem(64 << 20);
  std::string full;
  if (options.multiline) {
    full = "(?m)";
    full.append(pattern);
    pattern = full;
  }
  auto impl = std::make_unique<Impl>(pattern, o);
  if (!impl->re.ok())
    return make_error(ErrorCode::kInvalidInput, "invalid regular expression: " + impl->re.error());
  return Regex(std::move(impl));
}

int Regex::groups() const noexcept {
  return impl_->re.NumberOfCapturingGroups();
}

std::vector<Regex::Match> Regex::match_all(std::string_view text, std::size_t max) const {
  std::vector<Match> out;
  const RE2& re = impl_->re;
  std::vector<re2::StringPiece> sub(static_cast<std::size_t>(re.NumberOfCapturingGroups()) + 1);
  const re2::StringPiece whole(text.data(), text.size());
  std::size_t pos = 0;
  while (pos <= text.size() && out.size() < max) {
    if (!re.Match(whole, pos, text.size(), RE2::UNANCHORED, sub.data(),
                  static_cast<int>(sub.size())))
      break;
    Match m;
    m.groups.reserve(sub.size());
    for (const re2::StringPiece& g : sub) m.groups.emplace_back(g.data(), g.size());
    const std::size_t end = static_cast<std::size_t>(sub[0].data() - text.data()) + sub[0].size();
    pos = sub[0].empty() ? end + 1 : end;  // step over empty matches
    out.push_back(std::move(m));
  }
  return out;
}

std::optional<Regex::Match> Regex::match_prefix(std::string_view text) const {
  const RE2& re = impl_->re;
  std::vector<re2::StringPiece> sub(static_cast<std::size_t>(re.NumberOfCapturingGroups()) + 1);
  if (!re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::ANCHOR_START,
                sub.data(), static_cast<int>(sub.size())))
    return std::nullopt;
  Match m;
  for (const re2::StringPiece& g : sub) m.groups.emplace_back(g.data(), g.size());
  return m;
}

std::vector<std::string_view> Regex::find_all(std::string_view text, int group,
                                              std::size_t max) const {
  std::vector<std::string_view> out;
  if (group < 0 || group > groups()) return out;
  for (Match& m : match_all(text, max)) {
    const std::string_view g = m.groups[static_cast<std::size_t>(group)];
    if (g.data() != nullptr) out.push_back(g);
  }
  return out;
}

}  // namespace ioc::text
