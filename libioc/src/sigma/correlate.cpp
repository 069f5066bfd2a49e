// Alerts from detection and correlation rules: see ioc/sigma/correlate.hpp.
#include "ioc/sigma/correlate.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "ioc/text/ascii.hpp"

namespace ioc::sigma {
namespace {

// A matched event of one correlation: which referenced rule (position in
// Correlation::rules) it matched, and when.
struct Step {
  std::size_t ref;    // position in Correlation::rules
  std::int64_t time;  // ms
  std::size_t index;  // the caller's event index
};

bool before(const Step& a, const Step& b) {
  return std::tie(a.time, a.index, a.ref) < std::tie(b.time, b.index, b.ref);
}

std::string group_key(const Correlation& c, const events::ProcessEvent& e) {
  if (c.group_by.empty()) return {};
  EventFields f(e);
  std::string key;
  for (const std::string& name : c.group_by) {
    const auto v = f.field(name);
    key += v ? text::to_lower_ascii(*v) : std::string("\x01");  // absent != empty
    key += '\0';
  }
  return key;
}

bool count_meets(const Correlation& c, std::uint64_t n) {
  if (c.condition_op == "gte") return n >= c.condition_value;
  if (c.condition_op == "gt") return n > c.condition_value;
  if (c.condition_op == "eq") return n == c.condition_value;
  if (c.condition_op == "lte") return n <= c.condition_value;
  if (c.condition_op == "lt") return n < c.condition_value;
  return false;
}

// temporal_ordered: sequences ref 0, 1, ..., k-1 in time order within the
// span. Greedy from each unused start: the earliest unused event of the next
// step at or after the previous one.
void ordered(const Correlation& c, const std::vector<Step>& steps,
             std::vector<std::vector<std::size_t>>& found) {
  const std::size_t k = c.rules.size();
  std::vector<char> used(steps.size(), 0);
  for (std::size_t s = 0; s < steps.size(); ++s) {
    if (used[s] || steps[s].ref != 0) continue;
    std::vector<std::size_t> seq{s};
    std::size_t at = s;
    for (std::size_t want = 1; want < k; ++want) {
      std::size_t next = steps.size();
      for (std::size_t j = at + 1; j < steps.size(); ++j) {
        if (steps[j].time - steps[s].time > c.timespan_ms) break;
        if (!used[j] && steps[j].ref == want && steps[j].index != steps[at].index) {
          next = j;
          break;
        }
      }
      if (next == steps.size()) break;
      seq.push_back(next);
      at = next;
    }
    if (seq.size() != k) continue;
    std::vector<std::size_t> events;
    for (std::size_t j : seq) {
      used[j] = 1;
      events.push_back(steps[j].index);
    }
    found.push_back(std::move(events));
  }
}

// temporal: every referenced rule within the span, any order. A window slides
// over the steps; when it holds every rule, the earliest step of each rule in
// it forms the alert and the window restarts after the last of them.
void unordered(const Correlation& c, const std::vector<Step>& steps,
               std::vector<std::vector<std::size_t>>& found) {
  const std::size_t k = c.rules.size();
  std::size_t lo = 0;
  std::vector<std::size_t> count(k, 0);
  std::size_t distinct = 0;
  for (std::size_t hi = 0; hi < steps.size(); ++hi) {
    if (count[steps[hi].ref]++ == 0) ++distinct;
    while (steps[hi].time - steps[lo].time > c.timespan_ms) {
      if (--count[steps[lo].ref] == 0) --distinct;
      ++lo;
    }
    if (distinct < k) continue;
    std::vector<char> have(k, 0);
    std::vector<std::size_t> events;
    for (std::size_t j = lo; j <= hi; ++j) {
      if (have[steps[j].ref]) continue;
      have[steps[j].ref] = 1;
      events.push_back(steps[j].index);
    }
    found.push_back(std::move(events));
    std::fill(count.begin(), count.end(), 0);
    distinct = 0;
    lo = hi + 1;
  }
}

// event_count: a window of at most `timespan` from its first event; an alert
// when the count in it meets the condition (for gte/gt/eq: as soon as it
// does; for lte/lt: when the window closes with few enough events).
void counted(const Correlation& c, const std::vector<Step>& steps,
             std::vector<std::vector<std::size_t>>& found) {
  const bool at_most = c.condition_op == "lte" || c.condition_op == "lt";
  std::size_t lo = 0;
  while (lo < steps.size()) {
    std::size_t hi = lo;
    std::vector<std::size_t> events;
    bool fired = false;
    while (hi < steps.size() && steps[hi].time - steps[lo].time <= c.timespan_ms) {
      events.push_back(steps[hi].index);
      ++hi;
      if (!at_most && count_meets(c, events.size()) &&
          (c.condition_op != "eq" || hi == steps.size() ||
           steps[hi].time - steps[lo].time > c.timespan_ms)) {
        fired = true;
        break;
      }
    }
    if (at_most && count_meets(c, events.size())) fired = true;
    if (fired) found.push_back(std::move(events));
    lo = fired ? hi : lo + 1;
  }
}

}  // namespace

Matcher::Matcher(const RuleSet& rules) : rules_(rules), hits_(rules.rules.size()) {}

void Matcher::add(std::size_t index, const events::ProcessEvent& event) {
  if (by_event_.size() <= index) {
    by_event_.resize(index + 1);
    events_.resize(index + 1, nullptr);
  }
  events_[index] = &event;
  const EventFields fields(event);
  const auto t = events::time_ms(event.time);
  if (!t) ++untimed_;
  for (std::size_t r = 0; r < rules_.rules.size(); ++r) {
    if (!rules_.rules[r].matches(fields)) continue;
    by_event_[index].push_back(r);
    hits_[r].push_back(Hit{index, t.value_or(0), t.has_value(), &event});
  }
}

const std::vector<std::size_t>& Matcher::matches(std::size_t index) const {
  static const std::vector<std::size_t> none;
  return index < by_event_.size() ? by_event_[index] : none;
}

std::vector<Alert> Matcher::finish() {
  std::vector<Alert> alerts;
  const auto make = [&](const std::string& id, const std::string& name, const std::string& title,
                        const std::string& level, bool correlation,
                        std::vector<std::size_t> events) {
    Alert a;
    a.rule_id = id.empty() ? name : id;
    a.title = title;
    a.level = level;
    a.correlation = correlation;
    if (!events.empty()) {
      const events::ProcessEvent* first = events_[events.front()];
      a.host = first->host;
      a.time = first->time;
    }
    a.events = std::move(events);
    alerts.push_back(std::move(a));
  };

  // Detection rules referenced by a correlation stay quiet unless it says
  // generate: true.
  std::vector<char> quiet(rules_.rules.size(), 0);
  for (const Correlation& c : rules_.correlations) {
    for (const std::string& ref : c.rules) {
      const std::size_t r = rules_.find(ref);
      if (r != static_cast<std::size_t>(-1) && !c.generate) quiet[r] = 1;
    }
  }
  for (std::size_t r = 0; r < rules_.rules.size(); ++r) {
    if (quiet[r]) continue;
    const Rule& rule = rules_.rules[r];
    for (const Hit& h : hits_[r])
      make(rule.id, rule.name, rule.title, rule.level, false, {h.index});
  }

  for (const Correlation& c : rules_.correlations) {
    // The matched events of every referenced rule, by group.
    std::map<std::string, std::vector<Step>> groups;
    for (std::size_t ref = 0; ref < c.rules.size(); ++ref) {
      const std::size_t r = rules_.find(c.rules[ref]);
      if (r == static_cast<std::size_t>(-1)) continue;
      for (const Hit& h : hits_[r]) {
        if (!h.timed) continue;
        groups[group_key(c, *h.event)].push_back(Step{ref, h.time_ms, h.index});
      }
    }
    for (auto& entry : groups) {
      std::vector<Step>& steps = entry.second;
      std::sort(steps.begin(), steps.end(), before);
      std::vector<std::vector<std::size_t>> found;
      switch (c.type) {
        case CorrelationType::kTemporalOrdered: ordered(c, steps, found); break;
        case CorrelationType::kTemporal: unordered(c, steps, found); break;
        case CorrelationType::kEventCount: counted(c, steps, found); break;
      }
      for (auto& events : found) make(c.id, c.name, c.title, c.level, true, std::move(events));
    }
  }

  std::stable_sort(alerts.begin(), alerts.end(), [&](const Alert& a, const Alert& b) {
    const auto ta = events::time_ms(a.time).value_or(0);
    const auto tb = events::time_ms(b.time).value_or(0);
    if (ta != tb) return ta < tb;
    const std::size_t ia = a.events.empty() ? 0 : a.events.front();
    const std::size_t ib = b.events.empty() ? 0 : b.events.front();
    return ia < ib;
  });
  return alerts;
}

}  // namespace ioc::sigma
