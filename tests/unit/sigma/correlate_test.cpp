// Unit tests of ioc/sigma/correlate.hpp: detection alerts and the correlation
// types over small hand-made event sets.
#include "ioc/sigma/correlate.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "ioc/sigma/rules.hpp"

using ioc::events::ProcessEvent;
using ioc::sigma::Alert;
using ioc::sigma::Matcher;
using ioc::sigma::RuleSet;

namespace {

ProcessEvent ev(std::string host, std::string time, std::string image, std::string cmd,
                std::string parent_cmd = "powershell -enc AAAA") {
  ProcessEvent e;
  e.host = std::move(host);
  e.time = std::move(time);
  e.image = std::move(image);
  e.command_line = std::move(cmd);
  e.parent_command_line = std::move(parent_cmd);
  e.event_id = 1;
  e.source = "sysmon";
  return e;
}

constexpr const char* kRules = R"(title: FTP Script
name: ftp_script
id: 11111111-1111-1111-1111-111111111111
logsource: {category: process_creation, product: windows}
detection:
    selection:
        Image|endswith: '\ftp.exe'
        CommandLine|contains: '-s:'
    condition: selection
level: medium
---
title: Whoami
name: whoami_run
id: 22222222-2222-2222-2222-222222222222
logsource: {category: process_creation, product: windows}
detection:
    selection:
        Image|endswith: '\whoami.exe'
    condition: selection
level: low
---
title: Schtasks Create
name: schtasks_create
id: 33333333-3333-3333-3333-333333333333
logsource: {category: process_creation, product: windows}
detection:
    selection:
        Image|endswith: '\schtasks.exe'
        CommandLine|contains: '/create'
    condition: selection
level: medium
)";

RuleSet load(const std::string& extra) {
  RuleSet set;
  const auto rep = ioc::sigma::load_text(std::string(kRules) + extra, "test.yml", set);
  INFO(rep.problems.size());
  for (const auto& p : rep.problems) INFO(p);
  REQUIRE(rep.problems.empty());
  return set;
}

std::vector<Alert> run(const RuleSet& set, const std::vector<ProcessEvent>& events) {
  Matcher m(set);
  for (std::size_t i = 0; i < events.size(); ++i) m.add(i, events[i]);
  return m.finish();
}

std::vector<ProcessEvent> sequence(const std::string& host, const std::string& minute,
                                   const std::string& parent = "powershell -enc AAAA") {
  return {ev(host, "2017-08-22T23:" + minute + ":35.219Z", "C:\\Windows\\System32\\ftp.exe",
             "ftp.exe -i -s:winsys32.dll", parent),
          ev(host, "2017-08-22T23:" + minute + ":45.219Z", "C:\\Windows\\System32\\whoami.exe",
             "whoami.exe /user", parent),
          ev(host, "2017-08-22T23:" + minute + ":55.219Z", "C:\\Windows\\System32\\schtasks.exe",
             "schtasks.exe /Create /F /TN Updater", parent)};
}

const char* const kOrdered = R"(---
title: The BOTSv2 Sequence
id: 44444444-4444-4444-4444-444444444444
correlation:
    type: temporal_ordered
    rules: [ftp_script, whoami_run, schtasks_create]
    group-by: [Computer, ParentCommandLine]
    timespan: 15m
level: high
)";

std::size_t count_title(const std::vector<Alert>& alerts, const std::string& title) {
  std::size_t n = 0;
  for (const Alert& a : alerts) n += a.title == title ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("matcher: detection rules alone alert once per matching event", "[sigma]") {
  const RuleSet set = load("");
  const auto events = sequence("venus", "21");
  const auto alerts = run(set, events);
  REQUIRE(alerts.size() == 3);
  CHECK(alerts[0].title == "FTP Script");
  CHECK(alerts[0].rule_id == "11111111-1111-1111-1111-111111111111");
  CHECK(alerts[0].host == "venus");
  CHECK(alerts[0].time == "2017-08-22T23:21:35.219Z");
  CHECK(alerts[0].events == std::vector<std::size_t>{0});
  CHECK_FALSE(alerts[0].correlation);
  CHECK(alerts[2].title == "Schtasks Create");
}

TEST_CASE("matcher: temporal_ordered finds the sequence per host and parent", "[sigma]") {
  const RuleSet set = load(kOrdered);
  REQUIRE(set.correlations.size() == 1);
  std::vector<ProcessEvent> events = sequence("venus", "21");
  for (auto& e : sequence("wrk-klagerf", "31")) events.push_back(e);
  const auto alerts = run(set, events);
  // The referenced rules stay quiet (no `generate: true`): only the correlation alerts.
  REQUIRE(alerts.size() == 2);
  CHECK(alerts[0].correlation);
  CHECK(alerts[0].title == "The BOTSv2 Sequence");
  CHECK(alerts[0].level == "high");
  CHECK(alerts[0].host == "venus");
  CHECK(alerts[0].events == std::vector<std::size_t>{0, 1, 2});
  CHECK(alerts[1].host == "wrk-klagerf");
  CHECK(alerts[1].events == std::vector<std::size_t>{3, 4, 5});
}

TEST_CASE("matcher: temporal_ordered needs the order, the group and the time span", "[sigma]") {
  const RuleSet set = load(kOrdered);
  SECTION("out of order: whoami before ftp") {
    auto events = sequence("venus", "21");
    events[1].time = "2017-08-22T23:21:30.000Z";
    CHECK(run(set, events).empty());
  }
  SECTION("another parent command line splits the group") {
    auto events = sequence("venus", "21");
    events[2].parent_command_line = "cmd.exe";
    CHECK(run(set, events).empty());
  }
  SECTION("the same sequence on two hosts' halves does not join") {
    auto a = sequence("venus", "21");
    a[2].host = "mars";
    CHECK(run(set, a).empty());
  }
  SECTION("longer than 15 minutes") {
    auto events = sequence("venus", "21");
    events[2].time = "2017-08-22T23:37:00.000Z";
    CHECK(run(set, events).empty());
  }
  SECTION("group-by values compare without case") {
    auto events = sequence("venus", "21");
    events[1].host = "VENUS";
    events[2].parent_command_line = "POWERSHELL -ENC AAAA";
    CHECK(count_title(run(set, events), "The BOTSv2 Sequence") == 1);
  }
  SECTION("two sequences in a row are two alerts; no event is used twice") {
    auto events = sequence("venus", "21");
    for (auto& e : sequence("venus", "22")) events.push_back(e);
    const auto alerts = run(set, events);
    REQUIRE(alerts.size() == 2);
    CHECK(alerts[0].events == std::vector<std::size_t>{0, 1, 2});
    CHECK(alerts[1].events == std::vector<std::size_t>{3, 4, 5});
  }
  SECTION("events without a time take no part") {
    auto events = sequence("venus", "21");
    events[0].time.clear();
    Matcher m(set);
    for (std::size_t i = 0; i < events.size(); ++i) m.add(i, events[i]);
    CHECK(m.finish().empty());
    CHECK(m.untimed() == 1);
    CHECK(m.matches(0) == std::vector<std::size_t>{0});
  }
}

TEST_CASE("matcher: generate: true keeps the referenced rules' own alerts", "[sigma]") {
  std::string rules = kOrdered;
  const std::string span = "    timespan: 15m\n";
  rules.insert(rules.find(span) + span.size(), "    generate: true\n");
  const RuleSet set = load(rules);
  REQUIRE(set.correlations.size() == 1);
  CHECK(set.correlations[0].generate);
  const auto alerts = run(set, sequence("venus", "21"));
  CHECK(alerts.size() == 4);
  CHECK(count_title(alerts, "The BOTSv2 Sequence") == 1);
}

TEST_CASE("matcher: temporal (any order) and event_count", "[sigma]") {
  SECTION("temporal") {
    const RuleSet set = load(R"(---
title: Any Order
id: 55555555-5555-5555-5555-555555555555
correlation:
    type: temporal
    rules: [schtasks_create, ftp_script]
    group-by: [Computer]
    timespan: 1m
level: high
)");
    auto events = sequence("venus", "21");
    CHECK(count_title(run(set, events), "Any Order") == 1);
    events[2].time = "2017-08-22T23:25:00.000Z";  // schtasks 3.5 minutes after ftp
    CHECK(count_title(run(set, events), "Any Order") == 0);
  }
  SECTION("event_count") {
    const RuleSet set = load(R"(---
title: Many Whoami
id: 66666666-6666-6666-6666-666666666666
correlation:
    type: event_count
    rules: [whoami_run]
    group-by: [Computer]
    timespan: 10m
    condition:
        gte: 3
level: medium
)");
    std::vector<ProcessEvent> events;
    for (const char* t : {"23:00:00", "23:02:00", "23:04:00", "23:30:00", "23:31:00"})
      events.push_back(ev("venus", std::string("2017-08-22T") + t + ".000Z",
                          "C:\\Windows\\System32\\whoami.exe", "whoami"));
    const auto alerts = run(set, events);
    REQUIRE(count_title(alerts, "Many Whoami") == 1);
    for (const Alert& a : alerts)
      if (a.title == "Many Whoami") CHECK(a.events == std::vector<std::size_t>{0, 1, 2});
    events.push_back(
        ev("venus", "2017-08-22T23:32:00.000Z", "C:\\Windows\\System32\\whoami.exe", "whoami"));
    CHECK(count_title(run(set, events), "Many Whoami") == 2);
  }
}

TEST_CASE("time_ms reads the normalized event time", "[sigma]") {
  using ioc::events::time_ms;
  CHECK(time_ms("1970-01-01T00:00:01Z") == 1000);
  CHECK(time_ms("1970-01-01T00:00:00.5Z") == 500);
  CHECK(time_ms("2017-08-22T23:21:35.219Z") == 1503444095219);
  CHECK(time_ms("2017-08-22T23:21:35.2194216Z") == 1503444095219);
  CHECK_FALSE(time_ms("2017-08-22 23:21:35"));
  CHECK_FALSE(time_ms("yesterday"));
  CHECK_FALSE(time_ms(""));
}
