#include "ioc/chain/forest.hpp"

#include <catch2/catch.hpp>

using ioc::chain::Forest;
using ioc::chain::kNone;
using ioc::events::ProcessEvent;

namespace {

ProcessEvent ev(std::string host, std::string time, std::string guid, std::string parent_guid,
                std::string image, std::string cmd, std::uint64_t pid = 0, std::uint64_t ppid = 0) {
  ProcessEvent e;
  e.host = std::move(host);
  e.time = std::move(time);
  e.guid = std::move(guid);
  e.parent_guid = std::move(parent_guid);
  e.image = std::move(image);
  e.command_line = std::move(cmd);
  e.pid = pid;
  e.ppid = ppid;
  return e;
}

const std::string kLauncher = "powershell -noP -sta -w 1 -enc SQBFAFgA";

}  // namespace

TEST_CASE("forest: GUID links ignore case and braces; trees stay per host", "[chain]") {
  Forest f;
  f.add(ev("wrk-klagerf", "2017-08-22T23:21:00Z", "{aa-1}", "", "C:\\ps.exe", kLauncher));
  f.add(ev("wrk-klagerf", "2017-08-22T23:21:35Z", "BB-2", "AA-1", "C:\\ftp.exe",
           "ftp.exe -i -s:winsys32.dll"));
  f.add(ev("WRK-KLAGERF", "2017-08-22T23:22:35Z", "cc-3", "{AA-1}", "C:\\whoami.exe",
           "whoami.exe /user"));
  f.add(ev("venus", "2017-08-22T23:30:00Z", "BB-9", "AA-1", "C:\\ftp.exe",
           "ftp.exe -i -s:winsys32.dll"));  // same parent GUID, other host: not linked
  f.finish();
  REQUIRE(f.nodes().size() == 5);  // venus's parent is synthesized
  CHECK(f.node(1).parent == 0);
  CHECK(f.node(2).parent == 0);
  CHECK(f.node(0).children == std::vector<std::size_t>{1, 2});
  CHECK(f.node(3).parent == 4);
  CHECK(f.node(4).synthesized);
  CHECK(f.node(4).event.host == "venus");
  CHECK(f.hosts() == std::vector<std::string>{"venus", "wrk-klagerf"});
  CHECK(f.roots("wrk-klagerf") == std::vector<std::size_t>{0});
  CHECK(f.node(2).depth == 1);
  CHECK(f.find("wrk-klagerf", "{cc-3}") == 2);
  CHECK(f.subtree(0) == std::vector<std::size_t>{0, 1, 2});
  CHECK(f.ancestors(2) == std::vector<std::size_t>{2, 0});
}

TEST_CASE("forest: without GUIDs, the most recent earlier process with the PID", "[chain]") {
  Forest f;
  f.add(ev("h", "2020-01-01T10:00:00Z", "", "", "C:\\a\\cmd.exe", "cmd", 100, 4));
  f.add(ev("h", "2020-01-01T11:00:00Z", "", "", "C:\\b\\notepad.exe", "notepad", 100, 4));  // reuse
  ProcessEvent child = ev("h", "2020-01-01T11:30:00Z", "", "", "C:\\c\\calc.exe", "calc", 200, 100);
  child.parent_image = "C:\\a\\cmd.exe";  // names its parent: the earlier cmd.exe, not notepad
  f.add(child);
  f.add(ev("h", "2020-01-01T11:40:00Z", "", "", "C:\\c\\x.exe", "x", 300, 100));
  f.finish();
  CHECK(f.node(2).parent == 0);
  CHECK(f.node(3).parent == 1);  // no image named: the most recent earlier PID 100
}

TEST_CASE("forest: one synthesized parent for the children that name it", "[chain]") {
  Forest f;
  for (int i = 0; i < 3; ++i) {
    ProcessEvent e = ev("h", "2020-01-01T10:0" + std::to_string(i) + ":00Z",
                        "C" + std::to_string(i), "P-1", "C:\\x.exe", "x");
    e.parent_image = "C:\\Windows\\System32\\ftp.exe";
    e.parent_command_line = "ftp.exe -i -s:winsys32.dll";
    f.add(e);
  }
  f.finish();
  REQUIRE(f.nodes().size() == 4);
  CHECK(f.node(3).synthesized);
  CHECK(f.node(3).event.image == "C:\\Windows\\System32\\ftp.exe");
  CHECK(f.node(3).children.size() == 3);
  CHECK(f.roots("h") == std::vector<std::size_t>{3});
}

TEST_CASE("forest: groups by parent command line, per host or across hosts", "[chain]") {
  Forest f;
  f.add(ev("wrk-klagerf", "2017-08-22T23:21:00Z", "A1", "", "ps.exe", kLauncher));
  f.add(ev("wrk-klagerf", "2017-08-22T23:21:35Z", "A2", "A1", "ftp.exe", "ftp"));
  f.add(ev("venus", "2017-08-22T23:10:00Z", "B1", "", "ps.exe", kLauncher));
  f.add(ev("venus", "2017-08-22T23:10:30Z", "B2", "B1", "whoami.exe", "whoami /user"));
  f.finish();
  auto across = ioc::chain::group_by_parent_command_line(f, true);
  REQUIRE(across.size() == 1);
  CHECK(across[0].parent_command_line == kLauncher);
  CHECK(across[0].hosts == std::vector<std::string>{"venus", "wrk-klagerf"});
  CHECK(across[0].parent_instances == 2);
  CHECK(across[0].children == std::vector<std::size_t>{3, 1});  // time order
  auto per_host = ioc::chain::group_by_parent_command_line(f, false);
  CHECK(per_host.size() == 2);
}

TEST_CASE("forest: a GUID cycle in corrupt data does not loop", "[chain]") {
  Forest f;
  f.add(ev("h", "t1", "A", "B", "a.exe", "a"));
  f.add(ev("h", "t2", "B", "A", "b.exe", "b"));
  f.finish();
  std::size_t roots = f.roots("h").size();
  CHECK(roots == 1);
  CHECK(f.subtree(f.roots("h")[0]).size() == 2);
  CHECK(ioc::chain::image_name("C:\\Windows\\System32\\ftp.exe") == "ftp.exe");
  CHECK(ioc::chain::normalize_guid("{ab-cd}") == "AB-CD");
  CHECK(f.find("h", "zz") == kNone);
}

TEST_CASE("forest: a process logged by Sysmon and by Security 4688 is one node", "[chain]") {
  Forest f;
  ProcessEvent sysmon =
      ev("h", "2020-09-04T20:09:55.760Z", "G1", "", "C:\\ps.exe", "ps -enc x", 2316, 2440);
  sysmon.event_id = 1;
  ProcessEvent security =
      ev("h", "2020-09-04T20:09:57.091Z", "", "", "C:\\PS.EXE", "ps -enc x", 2316, 2440);
  security.event_id = 4688;
  ProcessEvent other = ev("h", "2020-09-04T20:10:00Z", "", "", "C:\\cmd.exe", "cmd", 999, 2316);
  other.event_id = 4688;
  f.add(sysmon);
  f.add(security);
  f.add(other);
  f.finish();
  int sysmon_nodes = 0, security_nodes = 0;
  for (const auto& n : f.nodes()) {
    if (n.event.event_id == 1) ++sysmon_nodes;
    if (n.event.event_id == 4688) ++security_nodes;
  }
  CHECK(sysmon_nodes == 1);
  CHECK(security_nodes == 1);  // cmd.exe, only in Security
}

TEST_CASE("forest: the same event read twice is one node", "[chain]") {
  Forest f;
  f.add(ev("h", "t1", "{A}", "", "a.exe", "a"));
  f.add(ev("h", "t2", "B", "A", "b.exe", "b"));
  f.add(ev("H", "t2", "{b}", "{a}", "b.exe", "b"));  // the same child from another export
  f.finish();
  CHECK(f.nodes().size() == 2);
  CHECK(f.node(0).children.size() == 1);
}
