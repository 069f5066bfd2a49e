// ioc/sigma/rules.hpp — Sigma detection rules (process_creation) and
// correlation rules, loaded from YAML and evaluated on process events.
//
//   sigma::RuleSet set;
//   sigma::LoadReport rep = sigma::load_path("recipes/sigma", set);   // files or a dir
//   for (const auto& p : rep.problems) warn(p);          // "FILE: rule 'T': why (skipped)"
//   sigma::EventFields f(event);                         // field view of one ProcessEvent
//   for (std::size_t i = 0; i < set.rules.size(); ++i)
//     if (set.rules[i].matches(f)) alert(set.rules[i]);
//
// Supported: logsource category process_creation (product windows or absent;
// a rule of another category is skipped with a message); field names of Sysmon
// EventID 1 (4688 events are seen through the same names: see EventFields);
// value modifiers contains startswith endswith all re cased windash exists
// base64 base64offset (base64* with contains), and `re` sub-modifiers i m s;
// wildcards * and ? with \ escapes; null values; lists (OR) and maps (AND);
// keyword (field-less) lists; conditions with and, or, not, parentheses,
// `1 of X*`, `all of X*`, `1 of them`, `all of them`. Matching is
// case-insensitive (ASCII) unless `cased`. Anything else (an unknown modifier,
// `|near`, a pipe aggregation in the condition, a missing selection) makes the
// rule unsupported: it is reported once and skipped, never half-evaluated.
//
// Correlation rules (`correlation:` documents, in the same files or others)
// of type temporal_ordered, temporal and event_count are parsed here and run
// by sigma::Correlator (correlate.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ioc/events/process_event.hpp"

namespace ioc::sigma {

/// The fields of one event, by Sigma field name (case-insensitive).
class FieldSource {
 public:
  virtual ~FieldSource() = default;
  /// The field's value; nullopt when the event does not have the field.
  virtual std::optional<std::string_view> field(std::string_view name) const = 0;
  /// Every field value (for keyword rules, which search all fields).
  virtual void for_each_value(void (*fn)(void* ctx, std::string_view value), void* ctx) const = 0;
};

/// A FieldSource over a ProcessEvent. Sysmon names map to the normalized
/// members (Image, CommandLine, ParentImage, ParentCommandLine, User,
/// IntegrityLevel, ProcessGuid, ProcessId, ParentProcessGuid,
/// ParentProcessId, LogonId, Hashes, UtcTime, Computer), so Security 4688
/// events (NewProcessName, ParentProcessName, ...) are seen through the same
/// names; md5/sha1/sha256/Imphash come from Hashes ("MD5=..,SHA256=.."); any
/// other name is looked up in event.fields. The event must outlive the view.
class EventFields final : public FieldSource {
 public:
  explicit EventFields(const events::ProcessEvent& event);
  std::optional<std::string_view> field(std::string_view name) const override;
  void for_each_value(void (*fn)(void* ctx, std::string_view value), void* ctx) const override;

 private:
  const events::ProcessEvent& e_;
  std::string pid_, ppid_;  // decimal text of the ids
};

struct Detection;  // compiled detection + condition (opaque)

struct Rule {
  std::string id;    ///< the rule's `id` (UUID); "" when absent
  std::string name;  ///< the rule's `name` (used by correlations); may be ""
  std::string title;
  std::string level;  ///< informational low medium high critical ("" when absent)
  std::string status;
  std::string file;  ///< where it was loaded from
  std::vector<std::string> tags;
  std::shared_ptr<const Detection> detection;

  bool matches(const FieldSource& event) const;
};

enum class CorrelationType { kTemporalOrdered, kTemporal, kEventCount };

struct Correlation {
  std::string id, name, title, level, file;
  CorrelationType type = CorrelationType::kTemporalOrdered;
  /// Referenced rules by id or name, in the order given (the order matters for
  /// temporal_ordered).
  std::vector<std::string> rules;
  /// Sigma field names the events must agree on (e.g. Computer, ParentCommandLine).
  std::vector<std::string> group_by;
  std::int64_t timespan_ms = 0;  ///< "15m" -> 900000 (s, m, h, d units)
  /// event_count: the condition on the count ({gte: N}, gt, lte, lt, eq).
  std::string condition_op;  ///< "gte" "gt" "lte" "lt" "eq"; "" for temporal types
  std::uint64_t condition_value = 0;
  bool generate = false;  ///< `generate: true`: the referenced rules also alert alone
};

struct RuleSet {
  std::vector<Rule> rules;
  std::vector<Correlation> correlations;
  /// Index into `rules` by id or name; npos when absent.
  std::size_t find(std::string_view id_or_name) const;
};

struct LoadReport {
  std::size_t files = 0;         ///< YAML files read
  std::size_t documents = 0;     ///< YAML documents seen
  std::size_t rules = 0;         ///< detection rules loaded
  std::size_t correlations = 0;  ///< correlation rules loaded
  std::size_t skipped = 0;       ///< documents skipped (unsupported, other category, malformed)
  /// One line per skipped document or unreadable file: "FILE: rule 'TITLE': why".
  std::vector<std::string> problems;
};

/// Loads one YAML file or every *.yml / *.yaml under a directory (sorted,
/// recursive) into `set`, appending. Never throws on bad rules: each problem
/// is a line in the report.
LoadReport load_path(const std::string& path, RuleSet& set);
/// Loads rules from YAML text (one or more `---` documents); `name` is used as
/// the file in messages.
LoadReport load_text(std::string_view yaml, std::string_view name, RuleSet& set);

/// Parses a condition expression against a set of selection names; returns ""
/// when it is well formed and supported, else the reason. (For tests and the
/// fuzz target; load_text uses the same parser.)
std::string check_condition(std::string_view condition, const std::vector<std::string>& selections);

/// "15m" -> 900000; "30s", "1h", "2d"; nullopt when malformed.
std::optional<std::int64_t> parse_timespan(std::string_view s);

}  // namespace ioc::sigma
