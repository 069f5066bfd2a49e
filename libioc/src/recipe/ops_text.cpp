// Text operations: metadata plus a one-line forward to ioc::text each.
#include "ioc/text/case.hpp"
#include "ioc/text/normalize.hpp"
#include "ioc/text/regex.hpp"
#include "ioc/text/reverse.hpp"

#include <map>
#include "recipe/ops.hpp"
#include "recipe/strings.hpp"

namespace ioc::recipe::detail {
namespace {

using nlohmann::json;

constexpr ArgSpec kCaseArgs[] = {
    {"locale", ArgType::kString, "",
     "ICU locale for language-specific rules (tr, az, lt); empty = root"},
};

Result<std::string> run_to_lower_case(std::string_view in, const Args& a, OpContext& ctx) {
  IOC_TRY(check_growth(in, 3, ctx, "to_lower_case"));
  return text::to_lower(in, a.text(0));
}
Result<std::string> run_to_upper_case(std::string_view in, const Args& a, OpContext& ctx) {
  IOC_TRY(check_growth(in, 3, ctx, "to_upper_case"));
  return text::to_upper(in, a.text(0));
}

Result<std::vector<std::string>> cc_to_lower_case(const json&) {
  return std::vector<std::string>{""};
}
Result<json> cc_to_to_lower_case(const Args& a) {
  if (!a.text(0).empty()) return cc_unsupported("To Lower case", "a locale");
  return json::array();
}

Result<std::vector<std::string>> cc_to_upper_case(const json& a) {
  IOC_ASSIGN_OR_RETURN(std::string scope, cc_string(a, 0, "All", "To Upper case"));
  if (scope != "All") return cc_unsupported("To Upper case", "scope '" + scope + "'");
  return std::vector<std::string>{""};
}
Result<json> cc_to_to_upper_case(const Args& a) {
  if (!a.text(0).empty()) return cc_unsupported("To Upper case", "a locale");
  return json::array({"All"});
}

constexpr ArgSpec kCaseFoldArgs[] = {
    {"turkic", ArgType::kBool, "false", "use the Turkic mappings (I -> ı)"},
};

Result<std::string> run_case_fold(std::string_view in, const Args& a, OpContext& ctx) {
  IOC_TRY(check_growth(in, 3, ctx, "case_fold"));
  return text::case_fold(in, a.boolean(0));
}

constexpr std::string_view kNormalForms[] = {"nfc", "nfd", "nfkc", "nfkd", "nfkc_cf"};
constexpr ArgSpec kNormalizeArgs[] = {
    {"form", ArgType::kChoice, "nfkc",
     "nfc, nfd, nfkc (folds full-width and other look-alikes), nfkd or nfkc_cf (nfkc + case fold)",
     kNormalForms},
};

Result<std::string> run_normalize_unicode(std::string_view in, const Args& a, OpContext& ctx) {
  IOC_TRY(check_growth(in, 18, ctx, "normalize_unicode"));
  IOC_ASSIGN_OR_RETURN(text::NormalForm form, text::parse_normal_form(a.text(0)));
  return text::normalize(in, form);
}

Result<std::vector<std::string>> cc_normalize_unicode(const json& a) {
  IOC_ASSIGN_OR_RETURN(std::string form, cc_string(a, 0, "NFD", "Normalise Unicode"));
  const std::string ours = ascii_lower(form);
  if (ours != "nfc" && ours != "nfd" && ours != "nfkc" && ours != "nfkd")
    return cc_unsupported("Normalise Unicode", "form '" + form + "'");
  return std::vector<std::string>{ours};
}
Result<json> cc_to_normalize_unicode(const Args& a) {
  if (a.text(0) == "nfkc_cf") return cc_unsupported("Normalise Unicode", "nfkc_cf");
  std::string form = a.text(0);
  for (char& c : form) c = static_cast<char>(c - 'a' + 'A');
  return json::array({form});
}

constexpr std::string_view kReverseUnits[] = {"character", "byte", "line"};
constexpr ArgSpec kReverseArgs[] = {
    {"by", ArgType::kChoice, "character", "character (code point), byte or line", kReverseUnits},
};

Result<std::string> run_reverse(std::string_view in, const Args& a, OpContext&) {
  if (a.text(0) == "byte") return text::reverse_bytes(in);
  if (a.text(0) == "line") return text::reverse_lines(in);
  return text::reverse_characters(in);
}

Result<std::vector<std::string>> cc_reverse(const json& a) {
  IOC_ASSIGN_OR_RETURN(std::string by, cc_string(a, 0, "Character", "Reverse"));
  const std::string ours = ascii_lower(by);
  if (ours != "character" && ours != "byte" && ours != "line")
    return cc_unsupported("Reverse", "unit '" + by + "'");
  return std::vector<std::string>{ours};
}
Result<json> cc_to_reverse(const Args& a) {
  std::string by = a.text(0);
  by[0] = static_cast<char>(by[0] - 'a' + 'A');
  return json::array({by});
}

constexpr ArgSpec kRegexArgs[] = {
    {"pattern", ArgType::kString, "", "RE2 regular expression (linear time; no lookaround)"},
    {"group", ArgType::kInt, "0", "capture group to output; 0 = the whole match"},
    {"case_insensitive", ArgType::kBool, "false", "ignore case"},
    {"multiline", ArgType::kBool, "false", "^ and $ match at line breaks"},
    {"dot_all", ArgType::kBool, "false", ". matches line breaks too"},
};

// Compiled patterns are cached: a recipe runs once per record.
Result<const text::Regex*> compiled(const Args& a) {
  thread_local std::map<std::string, text::Regex> cache;
  std::string key = a.text(0);
  for (std::size_t i = 2; i < 5; ++i) key += a.boolean(i) ? '1' : '0';
  auto it = cache.find(key);
  if (it == cache.end()) {
    IOC_ASSIGN_OR_RETURN(text::Regex re,
                         text::Regex::compile(a.text(0), {.case_insensitive = a.boolean(2),
                                                          .dot_matches_newline = a.boolean(4),
                                                          .multiline = a.boolean(3)}));
    if (cache.size() >= 64) cache.clear();
    it = cache.emplace(std::move(key), std::move(re)).first;
  }
  // The group is checked on every call: the cache is keyed by the pattern only.
  if (a.integer(1) < 0 || a.integer(1) > it->second.groups())
    return make_error(ErrorCode::kUsage, "the pattern has no group " + a.text(1));
  return &it->second;
}

Result<void> validate_regex(const Args& a) {
  if (a.text(0).empty()) return make_error(ErrorCode::kUsage, "pattern is empty");
  IOC_TRY(compiled(a));
  return {};
}

Result<std::string> run_regex_extract(std::string_view in, const Args& a, OpContext&) {
  IOC_ASSIGN_OR_RETURN(const text::Regex* re, compiled(a));
  const auto matches = re->find_all(in, static_cast<int>(a.integer(1)));
  if (matches.empty()) return make_error(ErrorCode::kNotFound, "no match for the pattern");
  std::string out;
  for (std::size_t i = 0; i < matches.size(); ++i) {
    if (i > 0) out += '\n';
    out.append(matches[i]);
  }
  return out;
}

// CyberChef's "Regular expression" with output "List matches" or, for a pattern
// with one group, "List capture groups".
Result<std::vector<std::string>> cc_regex(const json& a) {
  constexpr std::string_view op = "Regular expression";
  IOC_ASSIGN_OR_RETURN(std::string pattern, cc_string(a, 1, "", op));
  IOC_ASSIGN_OR_RETURN(bool icase, cc_bool(a, 2, true, op));
  IOC_ASSIGN_OR_RETURN(bool multiline, cc_bool(a, 3, true, op));
  IOC_ASSIGN_OR_RETURN(bool dot_all, cc_bool(a, 4, false, op));
  IOC_ASSIGN_OR_RETURN(std::string output, cc_string(a, 8, "Highlight matches", op));
  std::string group;
  if (output == "List matches") {
    group = "0";
  } else if (output == "List capture groups" || output == "List matching capture groups") {
    auto re = text::Regex::compile(pattern);
    if (!re) return make_error(re.error().code, re.error().message);
    if (re->groups() != 1) return cc_unsupported(op, "listing a pattern with several groups");
    group = "1";
  } else {
    return cc_unsupported(op, "output format '" + output + "'");
  }
  return std::vector<std::string>{pattern, group, icase ? "true" : "false",
                                  multiline ? "true" : "false", dot_all ? "true" : "false"};
}

Result<json> cc_to_regex(const Args& a) {
  if (a.integer(1) > 1) return cc_unsupported("Regular expression", "a group other than 0 or 1");
  if (a.integer(1) == 1) {
    // "List capture groups" lists every group: the same only with exactly one.
    auto re = text::Regex::compile(a.text(0));
    if (!re || re->groups() != 1)
      return cc_unsupported("Regular expression", "listing one group of a pattern with several");
  }
  return json::array({"User defined", a.text(0), a.boolean(2), a.boolean(3), a.boolean(4), false,
                      false, false, a.integer(1) == 0 ? "List matches" : "List capture groups"});
}

constexpr OperationInfo kTextOperations[] = {
    {"to_lower_case", "Lower-case Unicode text (final sigma and locale rules included)",
     "To Lower case", kCaseArgs, run_to_lower_case, cc_to_lower_case, cc_to_to_lower_case},
    {"to_upper_case", "Upper-case Unicode text", "To Upper case", kCaseArgs, run_to_upper_case,
     cc_to_upper_case, cc_to_to_upper_case},
    {"case_fold", "Fold case for caseless comparison (ß -> ss, ς -> σ)", "", kCaseFoldArgs,
     run_case_fold, nullptr, nullptr},
    {"normalize_unicode",
     "Unicode normalization; nfkc turns full-width ｐｏｗｅｒｓｈｅｌｌ into powershell",
     "Normalise Unicode", kNormalizeArgs, run_normalize_unicode, cc_normalize_unicode,
     cc_to_normalize_unicode},
    {"reverse", "Reverse the characters, bytes or lines", "Reverse", kReverseArgs, run_reverse,
     cc_reverse, cc_to_reverse},
    {"regex_extract",
     "Output every match of a regular expression (or one group of it), one per line",
     "Regular expression", kRegexArgs, run_regex_extract, cc_regex, cc_to_regex, validate_regex},
};

}  // namespace

std::span<const OperationInfo> text_operations() {
  return kTextOperations;
}

}  // namespace ioc::recipe::detail
