// ioc/sigma/correlate.hpp — alerts from Sigma detection and correlation rules
// over a set of process events.
//
//   sigma::Matcher m(set);
//   for (std::size_t i = 0; i < events.size(); ++i) m.add(i, events[i]);   // any order
//   std::vector<sigma::Alert> alerts = m.finish();                          // time order
//
// add() evaluates every detection rule on one event and remembers the matches.
// finish() then runs the correlation rules over the matched events:
//  * temporal_ordered: the referenced rules match in the given order (each
//    later event at or after the previous one), all within `timespan`, in one
//    group-by group; one alert per such sequence, no event used twice.
//  * temporal: every referenced rule matches, in any order, within `timespan`.
//  * event_count: the number of matching events within `timespan` meets the
//    condition (gte, gt, eq, lte, lt); one alert per window.
// A detection rule alone yields one alert per matching event, except when a
// correlation references it and does not say `generate: true` (Sigma's
// default). Group-by values are compared case-insensitively. Events without a
// readable time take no part in correlations (counted in untimed()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/events/process_event.hpp"
#include "ioc/sigma/rules.hpp"

namespace ioc::sigma {

struct Alert {
  std::string rule_id;  ///< the rule's id (or name when it has no id)
  std::string title;
  std::string level;
  bool correlation = false;         ///< raised by a correlation rule
  std::string host;                 ///< of the first event
  std::string time;                 ///< of the first event (ISO 8601 as the event has it)
  std::vector<std::size_t> events;  ///< the caller's event indices, in time order
};

class Matcher {
 public:
  /// The rule set must outlive the matcher.
  explicit Matcher(const RuleSet& rules);

  /// Evaluates the detection rules on event `index`; the event must stay alive
  /// until finish() (its fields are read again for group-by values).
  void add(std::size_t index, const events::ProcessEvent& event);

  /// The detection rules that matched event `index` so far (indices into
  /// RuleSet::rules), in rule order.
  const std::vector<std::size_t>& matches(std::size_t index) const;

  /// All alerts, ordered by time (then by the first event's index).
  std::vector<Alert> finish();

  std::size_t untimed() const noexcept { return untimed_; }

 private:
  struct Hit {
    std::size_t index;
    std::int64_t time_ms;
    bool timed;
    const events::ProcessEvent* event;
  };
  const RuleSet& rules_;
  std::vector<std::vector<Hit>> hits_;               // per rule: matching events
  std::vector<std::vector<std::size_t>> by_event_;   // per event index: matching rules
  std::vector<const events::ProcessEvent*> events_;  // per event index
  std::size_t untimed_ = 0;
};

}  // namespace ioc::sigma
