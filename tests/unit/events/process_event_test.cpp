// Unit tests of ioc/events/process_event.hpp.
#include "ioc/events/process_event.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "../support.hpp"
#include "ioc/codec/inflate.hpp"

using ioc::events::EventReader;
using ioc::events::ParseKind;
using ioc::events::ParseResult;

namespace {

// A Sysmon EventID 1 as Splunk's XmlWinEventLog writes it (one line).
const char* const kSysmonXml =
    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
    "<Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'/>"
    "<EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task>"
    "<TimeCreated SystemTime='2017-08-22T23:21:35.219421600Z'/>"
    "<Channel>Microsoft-Windows-Sysmon/Operational</Channel>"
    "<Computer>wrk-klagerf.frothly.local</Computer></System><EventData>"
    "<Data Name='UtcTime'>2017-08-22 23:21:35.219</Data>"
    "<Data Name='ProcessGuid'>{b34bc01c-369c-5f69-7901-000000000900}</Data>"
    "<Data Name='ProcessId'>4242</Data>"
    "<Data Name='Image'>C:\\Windows\\System32\\cmd.exe</Data>"
    "<Data Name='CommandLine'>cmd.exe /c &quot;echo a &amp; b&quot;</Data>"
    "<Data Name='User'>FROTHLY\\klagerf</Data>"
    "<Data Name='LogonId'>0x10a7df</Data>"
    "<Data Name='IntegrityLevel'>Medium</Data>"
    "<Data Name='Hashes'>SHA1=5B9EA3C45A11D4AEB1B1AC0F72C4C19308FC7D0B</Data>"
    "<Data Name='ParentProcessGuid'>{B34BC01C-2F95-5F69-5F01-000000000900}</Data>"
    "<Data Name='ParentProcessId'>7456</Data>"
    "<Data Name='ParentImage'>C:\\Windows\\explorer.exe</Data>"
    "<Data Name='ParentCommandLine'>C:\\Windows\\Explorer.EXE</Data>"
    "</EventData></Event>";

ParseResult parse(std::string_view line) {
  EventReader reader;
  return reader.parse_line(line);
}

std::string escape_json(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::filesystem::path corpus_dir() {
  return std::filesystem::path(IOC_SOURCE_DIR) / ".." / "shared" / "corpus";
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The first member of a zip archive (OTRF ships one file per zip), or "".
std::string unzip_first(const std::string& zip) {
  auto u16 = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(zip[i]) |
                                      (static_cast<unsigned char>(zip[i + 1]) << 8));
  };
  auto u32 = [&](std::size_t i) { return u16(i) | (u16(i + 2) << 16); };
  if (zip.size() < 30 || u32(0) != 0x04034b50) return {};
  const std::uint32_t method = u16(8), csize = u32(18);
  const std::size_t data = 30 + u16(26) + u16(28);
  if (data + csize > zip.size()) return {};
  const std::string_view body(zip.data() + data, csize);
  if (method == 0) return std::string(body);
  if (method != 8) return {};
  auto r = ioc::codec::inflate(body, ioc::codec::Container::kRaw);
  return r ? *r : std::string();
}

}  // namespace

TEST_CASE("Sysmon XmlWinEventLog line", "[events]") {
  const ParseResult r = parse(kSysmonXml);
  REQUIRE(r.kind == ParseKind::kProcess);
  const auto& e = r.event;
  CHECK(e.source == "sysmon");
  CHECK(e.event_id == 1);
  CHECK(e.host == "wrk-klagerf.frothly.local");
  CHECK(e.time == "2017-08-22T23:21:35.219Z");  // UtcTime, not SystemTime
  CHECK(e.guid == "B34BC01C-369C-5F69-7901-000000000900");
  CHECK(e.parent_guid == "B34BC01C-2F95-5F69-5F01-000000000900");
  CHECK(e.pid == 4242);
  CHECK(e.ppid == 7456);
  CHECK(e.image == "C:\\Windows\\System32\\cmd.exe");
  CHECK(e.command_line == "cmd.exe /c \"echo a & b\"");
  CHECK(e.parent_image == "C:\\Windows\\explorer.exe");
  CHECK(e.parent_command_line == "C:\\Windows\\Explorer.EXE");
  CHECK(e.user == "FROTHLY\\klagerf");
  CHECK(e.integrity_level == "Medium");
  CHECK(e.logon_id == "0x10a7df");
  CHECK(e.hashes == "SHA1=5B9EA3C45A11D4AEB1B1AC0F72C4C19308FC7D0B");
}

TEST_CASE("Security 4688 XML with hex pids and a mandatory label", "[events]") {
  const ParseResult r = parse(ioc::test::kSecurity4688Xml);
  REQUIRE(r.kind == ParseKind::kProcess);
  const auto& e = r.event;
  CHECK(e.source == "security");
  CHECK(e.event_id == 4688);
  CHECK(e.pid == 0x1a2c);
  CHECK(e.ppid == 0x1d20);
  CHECK(e.image == "C:\\Windows\\System32\\net.exe");
  CHECK(e.command_line == "\"C:\\windows\\system32\\net.exe\" user");
  CHECK(e.parent_image == "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe");
  CHECK(e.user == "THESHIRE\\pgustavo");
  CHECK(e.integrity_level == "High");
  CHECK(e.logon_id == "0x10a7df");
  CHECK(e.host == "WORKSTATION5.theshire.local");
  CHECK(e.time == "2020-09-21T23:26:20.8692345Z");
  CHECK(e.guid.empty());
}

TEST_CASE("Security 4688 user falls back to TargetUserName; labels map", "[events]") {
  const std::string line =
      R"({"EventID":4688,"Channel":"Security","NewProcessName":"C:\\x.exe",)"
      R"("SubjectUserName":"-","TargetUserName":"bob","TargetDomainName":"CORP",)"
      R"("MandatoryLabel":"S-1-16-8448","NewProcessId":"0x10","ProcessId":"0X20"})";
  const ParseResult r = parse(line);
  REQUIRE(r.kind == ParseKind::kProcess);
  CHECK(r.event.user == "CORP\\bob");
  CHECK(r.event.integrity_level == "MediumPlus");
  CHECK(r.event.pid == 16);
  CHECK(r.event.ppid == 32);
  for (auto [sid, name] : {std::pair{"S-1-16-4096", "Low"}, std::pair{"S-1-16-8192", "Medium"},
                           std::pair{"S-1-16-16384", "System"}}) {
    std::string l = line;
    l.replace(l.find("S-1-16-8448"), 11, sid);
    CHECK(parse(l).event.integrity_level == name);
  }
}

TEST_CASE("Splunk JSON export with _raw: the BOTSv2 ftp.exe facts", "[events]") {
  const std::string xml =
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
      "<Provider Name='Microsoft-Windows-Sysmon'/><EventID>1</EventID>"
      "<TimeCreated SystemTime='2017-08-22T23:21:35.219421600Z'/>"
      "<Channel>Microsoft-Windows-Sysmon/Operational</Channel>"
      "<Computer>wrk-klagerf</Computer></System><EventData>"
      "<Data Name='UtcTime'>2017-08-22 23:21:35.219</Data>"
      "<Data Name='ProcessGuid'>{AB8A2BBB-BC0F-599C-0000-0010F16E1C00}</Data>"
      "<Data Name='ProcessId'>3964</Data>"
      "<Data Name='Image'>C:\\Windows\\SysWOW64\\ftp.exe</Data>"
      "<Data Name='CommandLine'>ftp.exe -i -s:winsys32.dll</Data>"
      "<Data Name='ParentProcessId'>4520</Data>"
      "<Data Name='ParentImage'>C:\\Windows\\SysWOW64\\WindowsPowerShell\\v1.0\\powershell.exe"
      "</Data><Data Name='ParentCommandLine'>powershell -noP -sta -w 1 -enc "
      "SQBGACgAJABQAFMAVgBlAHIAUwBJAG8AbgBUAGEAYgBMAGUALgBQAFMAVgBFAFIAcwBJAE8ATgAuAE0AYQBKAE8A"
      "</Data></EventData></Event>";
  const std::string line = R"({"preview":false,"result":{"host":"splunk-collector","_raw":")" +
                           escape_json(xml) + R"(","sourcetype":"XmlWinEventLog"}})";
  const ParseResult r = parse(line);
  REQUIRE(r.kind == ParseKind::kProcess);
  CHECK(r.event.host == "wrk-klagerf");
  CHECK(r.event.command_line == "ftp.exe -i -s:winsys32.dll");
  CHECK(r.event.parent_command_line.rfind("powershell -noP -sta -w 1 -enc ", 0) == 0);
  CHECK(r.event.pid == 3964);
  CHECK(r.event.ppid == 4520);
  CHECK(r.event.time == "2017-08-22T23:21:35.219Z");
  CHECK(r.event.guid == "AB8A2BBB-BC0F-599C-0000-0010F16E1C00");
}

TEST_CASE("Splunk JSON export with extracted fields", "[events]") {
  const ParseResult top =
      parse(R"({"EventCode":"1","SourceName":"Microsoft-Windows-Sysmon","Computer":"wrk-klagerf",)"
            R"("host":"collector","Image":"C:\\a.exe","CommandLine":"a.exe -x",)"
            R"("_time":"2017-08-22T19:21:35.000-04:00"})");
  REQUIRE(top.kind == ParseKind::kProcess);
  CHECK(top.event.host == "wrk-klagerf");
  CHECK(top.event.time == "2017-08-22T23:21:35.000Z");
  const ParseResult nested =
      parse(R"({"result":{"EventCode":"4688","host":"wrk-klagerf","NewProcessName":"C:\\b.exe"}})");
  REQUIRE(nested.kind == ParseKind::kProcess);
  CHECK(nested.event.source == "security");
  CHECK(nested.event.image == "C:\\b.exe");
  CHECK(nested.event.host == "wrk-klagerf");  // only `host` names it
}

TEST_CASE("Winlogbeat / ECS", "[events]") {
  const ParseResult r =
      parse(R"({"@timestamp":"2020-09-21T23:26:20.869Z","host":{"name":"ws5"},)"
            R"("winlog":{"event_id":1,"provider_name":"Microsoft-Windows-Sysmon",)"
            R"("channel":"Microsoft-Windows-Sysmon/Operational",)"
            R"("computer_name":"WORKSTATION5.theshire.local","event_data":{)"
            R"("Image":"C:\\Windows\\System32\\whoami.exe","CommandLine":"whoami /all",)"
            R"("ProcessGuid":"{b34bc01c-0000-0000-0000-000000000001}","ProcessId":"812",)"
            R"("ParentProcessId":"640","User":"THESHIRE\\pgustavo"}}})");
  REQUIRE(r.kind == ParseKind::kProcess);
  CHECK(r.event.host == "WORKSTATION5.theshire.local");
  CHECK(r.event.time == "2020-09-21T23:26:20.869Z");
  CHECK(r.event.guid == "B34BC01C-0000-0000-0000-000000000001");
  CHECK(r.event.pid == 812);
  CHECK(r.event.ppid == 640);

  // No event_data: the ECS process.* fields.
  const ParseResult ecs =
      parse(R"({"@timestamp":"2020-09-21T23:26:20.869Z","host":{"name":"ws5"},)"
            R"("winlog":{"event_id":"4688","provider_name":"Microsoft-Windows-Security-Auditing"},)"
            R"("process":{"executable":"C:\\x.exe","command_line":"x.exe /q","pid":77,)"
            R"("parent":{"executable":"C:\\p.exe","pid":66}},"user":{"name":"u","domain":"D"}})");
  REQUIRE(ecs.kind == ParseKind::kProcess);
  CHECK(ecs.event.host == "ws5");
  CHECK(ecs.event.image == "C:\\x.exe");
  CHECK(ecs.event.command_line == "x.exe /q");
  CHECK(ecs.event.pid == 77);
  CHECK(ecs.event.ppid == 66);
  CHECK(ecs.event.parent_image == "C:\\p.exe");
  CHECK(ecs.event.user == "D\\u");
  CHECK(ecs.event.source == "security");
}

TEST_CASE("OTRF / NXLog flattened records", "[events]") {
  const ParseResult r = parse(
      R"({"EventID":1,"SourceName":"Microsoft-Windows-Sysmon","host":"wec.internal.cloudapp.net",)"
      R"("Hostname":"WORKSTATION5.theshire.local","EventTime":"2020-09-21 19:26:20",)"
      R"("ExecutionProcessID":3172,"ProcessGuid":"{b34bc01c-369c-5f69-7901-000000000900}",)"
      R"("ParentProcessGuid":"{b34bc01c-2f95-5f69-5f01-000000000900}","ParentProcessId":"7456",)"
      R"("Image":"C:\\Windows\\System32\\net.exe","CommandLine":"\"C:\\windows\\system32\\net.exe\" user",)"
      R"("ParentCommandLine":"powershell -noP -sta -w 1 -enc  SQBmACgA",)"
      R"("UtcTime":"2020-09-21 23:26:20.869","@timestamp":"2020-09-21T23:26:21.517Z"})");
  REQUIRE(r.kind == ParseKind::kProcess);
  CHECK(r.event.host == "WORKSTATION5.theshire.local");  // not the collector
  CHECK(r.event.pid == 0);                               // child ProcessId missing
  CHECK(r.event.ppid == 7456);                           // a string
  CHECK(r.event.guid == "B34BC01C-369C-5F69-7901-000000000900");
  CHECK(r.event.parent_guid == "B34BC01C-2F95-5F69-5F01-000000000900");
  CHECK(r.event.time == "2020-09-21T23:26:20.869Z");
  CHECK(r.event.parent_command_line == "powershell -noP -sta -w 1 -enc  SQBmACgA");
}

TEST_CASE("EVTX-to-JSON converters", "[events]") {
  const ParseResult r =
      parse(R"({"Event":{"#attributes":{"xmlns":"x"},"System":{"Provider":{"#attributes":)"
            R"({"Name":"Microsoft-Windows-Sysmon"}},"EventID":1,"TimeCreated":{"#attributes":)"
            R"({"SystemTime":"2025-12-25T14:30:27.369114Z"}},"Computer":"swachchhanda"},)"
            R"("EventData":{"ProcessId":14144,"ParentProcessId":12456,"Image":"C:\\reg.exe",)"
            R"("CommandLine":"reg add x","ProcessGuid":"0197231E-4A83-694D-9E0E-000000000800"}}})");
  REQUIRE(r.kind == ParseKind::kProcess);
  CHECK(r.event.host == "swachchhanda");
  CHECK(r.event.pid == 14144);
  CHECK(r.event.ppid == 12456);
  CHECK(r.event.time == "2025-12-25T14:30:27.369114Z");  // no UtcTime: SystemTime

  const ParseResult alt =
      parse(R"({"Event":{"System":{"Provider":{"@Name":"Microsoft-Windows-Security-Auditing"},)"
            R"("EventID":{"#text":4688,"@Qualifiers":""},"TimeCreated":{"@SystemTime":)"
            R"("2020-01-01T00:00:00Z"},"Computer":"h"},"EventData":{"NewProcessName":"C:\\n.exe",)"
            R"("NewProcessId":"0xff","ProcessId":"0x1"}}})");
  REQUIRE(alt.kind == ParseKind::kProcess);
  CHECK(alt.event.event_id == 4688);
  CHECK(alt.event.pid == 255);
  CHECK(alt.event.ppid == 1);
  CHECK(alt.event.time == "2020-01-01T00:00:00Z");
}

TEST_CASE("CSV with a header", "[events]") {
  EventReader reader;
  const std::string header =
      "_time,host,EventCode,Image,CommandLine,ParentCommandLine,ProcessId,ParentProcessId";
  CHECK(EventReader::looks_like_csv_header(header));
  CHECK(EventReader::looks_like_csv_header("\"Computer\",\"image\""));
  CHECK_FALSE(EventReader::looks_like_csv_header("a,b,c"));
  CHECK_FALSE(EventReader::looks_like_csv_header("{\"Image\":1}"));

  CHECK(reader.parse_csv_row("x,y").kind == ParseKind::kError);  // no header yet
  std::string err;
  REQUIRE(reader.parse_csv_header(header, &err));
  const ParseResult r = reader.parse_csv_row(
      "2017-08-22 23:21:35.219,wrk-klagerf,1,C:\\Windows\\SysWOW64\\ftp.exe,"
      "ftp.exe -i -s:winsys32.dll,\"powershell -noP -sta -w 1 -enc \"\"x\"\", y\",3964,0x11a8\r");
  REQUIRE(r.kind == ParseKind::kProcess);
  CHECK(r.event.host == "wrk-klagerf");
  CHECK(r.event.command_line == "ftp.exe -i -s:winsys32.dll");
  CHECK(r.event.parent_command_line == "powershell -noP -sta -w 1 -enc \"x\", y");
  CHECK(r.event.pid == 3964);
  CHECK(r.event.ppid == 0x11a8);
  CHECK(r.event.time == "2017-08-22T23:21:35.219Z");
  CHECK(reader.parse_csv_row(",,3,,,,,").kind == ParseKind::kOther);
  CHECK(reader.parse_csv_row("").kind == ParseKind::kOther);
  CHECK(reader.parse_csv_row("a,\"unterminated").kind == ParseKind::kError);

  // A `| table` without an EventCode column: inferred from the columns;
  // names are case-insensitive.
  EventReader t;
  REQUIRE(t.parse_csv_header("HOSTNAME,image,commandline", nullptr));
  const ParseResult inferred = t.parse_csv_row("ws1,C:\\a.exe,a.exe");
  REQUIRE(inferred.kind == ParseKind::kProcess);
  CHECK(inferred.event.event_id == 1);
  CHECK(inferred.event.host == "ws1");
  CHECK_FALSE(t.parse_csv_header("", &err));
  CHECK_FALSE(err.empty());
}

TEST_CASE("Unicode command lines survive", "[events]") {
  const std::string cmd = "notepad.exe C:\\Users\\J\xC3\xBCrgen\\\xE6\x96\x87\xE6\xA1\xA3.txt";
  const ParseResult j =
      parse(R"({"EventID":1,"Image":"C:\\n.exe","CommandLine":")" + escape_json(cmd) + "\"}");
  REQUIRE(j.kind == ParseKind::kProcess);
  CHECK(j.event.command_line == cmd);
  const ParseResult u = parse(R"({"EventID":1,"CommandLine":"\u00e9\ud83d\ude00"})");
  REQUIRE(u.kind == ParseKind::kProcess);
  CHECK(u.event.command_line == "\xC3\xA9\xF0\x9F\x98\x80");
  std::string xml = kSysmonXml;
  xml.replace(xml.find("cmd.exe /c"), 10, cmd);
  CHECK(parse(xml).event.command_line.rfind(cmd, 0) == 0);
}

TEST_CASE("Other events are kOther", "[events]") {
  std::string net = kSysmonXml;
  net.replace(net.find("<EventID>1<"), 11, "<EventID>3<");
  CHECK(parse(net).kind == ParseKind::kOther);
  std::string other = kSysmonXml;
  other.replace(other.find("Microsoft-Windows-Sysmon'"), 25, "Microsoft-Windows-Kernel'");
  other.replace(other.find("Microsoft-Windows-Sysmon/Operational"), 36, "System");
  CHECK(parse(other).kind == ParseKind::kOther);  // EventID 1 from another provider
  CHECK(parse(R"({"EventID":4624,"Hostname":"h"})").kind == ParseKind::kOther);
  CHECK(
      parse(R"({"EventID":1,"SourceName":"Microsoft-Windows-Kernel-General","Image":"x"})").kind ==
      ParseKind::kOther);
  CHECK(parse(R"({"EventID":4688,"SourceName":"Something-Else","NewProcessName":"x"})").kind ==
        ParseKind::kOther);
  CHECK(parse("").kind == ParseKind::kOther);
  CHECK(parse("  \r").kind == ParseKind::kOther);
}

TEST_CASE("Malformed records are kError, never exceptions", "[events]") {
  auto is_error = [](std::string_view line) {
    const ParseResult r = parse(line);
    INFO(line.substr(0, 80));
    CHECK(r.kind == ParseKind::kError);
    CHECK_FALSE(r.error.empty());
    return r.error;
  };
  CHECK(is_error("<Event><System><EventID>1</EventID>").find("XML") != std::string::npos);
  CHECK(is_error("{\"EventID\":1,").find("JSON") != std::string::npos);
  is_error("[1,2,3]");
  is_error("{\"EventID\":\"abc\",\"Image\":\"x\"}");
  is_error("{\"Hostname\":\"h\"}");                                         // no EventID
  is_error("{\"EventID\":1,\"SourceName\":\"Microsoft-Windows-Sysmon\"}");  // no Image
  is_error("just some text");
  is_error("<Other/>");
  is_error("{\"EventID\":1,\"Image\":\"\xff\xfe\"}");  // invalid UTF-8
  CHECK(is_error(std::string(300, '[') + std::string(300, ']')).find("256") != std::string::npos);
  CHECK(is_error("{\"a\":" + std::string(257, '[') + std::string(257, ']') + "}").find("nested") !=
        std::string::npos);
  std::string big(16u * 1024 * 1024 + 1, ' ');
  big[0] = '{';
  CHECK(is_error(big).find("16 MiB") != std::string::npos);
  // Depth 256 is allowed.
  const std::string ok = std::string(255, '[') + std::string(255, ']');
  CHECK(parse("{\"EventID\":3,\"x\":" + ok + "}").kind == ParseKind::kOther);
}

TEST_CASE("JSON objects: fields in key order, the last of a duplicated key", "[events]") {
  // As nlohmann::json's std::map read them: bytewise key order ("Image"
  // before "image"), and of a key given twice only the last value.
  const ParseResult r = parse(
      R"({"Zeta":"z","EventID":1,"image":"C:\\lower.exe","CommandLine":"first","Image":"C:\\up.exe",)"
      R"("CommandLine":"second","Alpha":"a","Gone":"x","Gone":null})");
  REQUIRE(r.kind == ParseKind::kProcess);
  CHECK(r.event.image == "C:\\up.exe");
  CHECK(r.event.command_line == "second");
  std::vector<std::string> names;
  for (const auto& [k, v] : r.event.fields) names.push_back(k);
  CHECK(names ==
        std::vector<std::string>{"Alpha", "CommandLine", "EventID", "Image", "Zeta", "image"});

  // The same in Event.EventData and winlog.event_data, and for the record's keys.
  const ParseResult evtx =
      parse(R"({"Event":{"System":{"EventID":3,"EventID":1,"Provider":{"@Name":"x-sysmon"}},)"
            R"("EventData":{"b":"2","Image":"C:\\1.exe","a":"1","Image":"C:\\2.exe"}}})");
  REQUIRE(evtx.kind == ParseKind::kProcess);
  CHECK(evtx.event.image == "C:\\2.exe");
  REQUIRE(evtx.event.fields.size() == 3);
  CHECK(evtx.event.fields[0].first == "Image");
  CHECK(evtx.event.fields[1] == std::pair<std::string, std::string>{"a", "1"});
  const ParseResult wl = parse(
      R"({"winlog":{"event_id":1,"event_data":{"Image":"C:\\1.exe","CommandLine":"c","Image":"C:\\2.exe"}},)"
      R"("winlog":{"event_id":1,"event_data":{"Image":"C:\\3.exe"}}})");
  REQUIRE(wl.kind == ParseKind::kProcess);
  CHECK(wl.event.image == "C:\\3.exe");
  CHECK(wl.event.fields.size() == 1);
}

TEST_CASE("JSON numbers and other scalars as text", "[events]") {
  const ParseResult r = parse(
      R"({"EventID":1.0,"Image":"x","ProcessId":4242.0,"ParentProcessId":18446744073709551615,)"
      R"("Neg":-3,"Half":1.5,"Exp":2e3,"Yes":true,"No":false,"Nil":null,"List":[1],)"
      R"("Obj":{"a":1},"Text":{"#text":7,"@x":"y"},"Big":123456789012345678901234567890})");
  REQUIRE(r.kind == ParseKind::kProcess);
  CHECK(r.event.pid == 4242);
  CHECK(r.event.ppid == 18446744073709551615u);
  auto field = [&](std::string_view name) -> std::string {
    for (const auto& kv : r.event.fields)
      if (kv.first == name) return kv.second;
    return "<absent>";
  };
  CHECK(field("EventID") == "1");
  CHECK(field("ProcessId") == "4242");
  CHECK(field("ParentProcessId") == "18446744073709551615");
  CHECK(field("Neg") == "-3");
  CHECK(field("Half") == "1.500000");
  CHECK(field("Exp") == "2000");
  CHECK(field("Yes") == "true");
  CHECK(field("No") == "false");
  CHECK(field("Nil") == "<absent>");
  CHECK(field("List") == "<absent>");
  CHECK(field("Obj") == "<absent>");
  CHECK(field("Text") == "7");
  // Beyond 64 bits: a double, as nlohmann-json read it.
  CHECK(field("Big") == "123456789012345677877719597056.000000");
}

TEST_CASE("One EventReader reads JSON record after record", "[events]") {
  EventReader reader;
  const std::string small = R"({"EventID":1,"Image":"C:\\a.exe","CommandLine":"a"})";
  CHECK(reader.parse_line(small).event.image == "C:\\a.exe");
  CHECK(reader.parse_line("{\"EventID\":1,").error == "malformed JSON");
  CHECK(reader.parse_line("{\"EventID\":1,\"Image\":\"\xC3\x28\"}").error == "malformed JSON");
  CHECK(reader.parse_line("{\"EventID\":1,\"Ima\xff\":\"x\"}").error == "malformed JSON");
  CHECK(reader.parse_line("[" + small + "]").error == "JSON value is not an object");
  CHECK(reader.parse_line("{\"a\":" + std::string(300, '[')).error ==
        "JSON nested deeper than 256 levels");
  // A record of 2 MiB, then small ones again.
  const std::string big = R"({"EventID":1,"Image":"C:\\b.exe","CommandLine":")" +
                          std::string(2u * 1024 * 1024, 'x') + "\"}";
  const ParseResult b = reader.parse_line(big);
  REQUIRE(b.kind == ParseKind::kProcess);
  CHECK(b.event.command_line.size() == 2u * 1024 * 1024);
  const ParseResult again = reader.parse_line(small);
  REQUIRE(again.kind == ParseKind::kProcess);
  CHECK(again.event.command_line == "a");
}

TEST_CASE("EventReader is movable", "[events]") {
  EventReader a;
  REQUIRE(a.parse_csv_header("Image,CommandLine", nullptr));
  EventReader b = std::move(a);
  CHECK(b.parse_csv_row("C:\\x.exe,x").kind == ParseKind::kProcess);
}

TEST_CASE("OTRF Security-Datasets corpus", "[events][corpus]") {
  const auto dir = corpus_dir() / "sysmon" / "otrf";
  if (!std::filesystem::is_directory(dir)) {
    WARN("skipped: " << dir.string() << " is absent");
    return;
  }
  std::size_t files = 0, sysmon = 0, security = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".zip") continue;
    const std::string text = unzip_first(read_file(entry.path()));
    REQUIRE_FALSE(text.empty());
    ++files;
    EventReader reader;
    std::size_t process = 0, other = 0, errors = 0;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      const ParseResult r = reader.parse_line(line);
      if (r.kind == ParseKind::kError) {
        ++errors;
        WARN(entry.path().filename().string() << ": " << r.error);
        continue;
      }
      if (r.kind == ParseKind::kOther) {
        ++other;
        continue;
      }
      ++process;
      const auto& e = r.event;
      CHECK_FALSE(e.host.empty());
      CHECK(e.host.find('.') != std::string::npos);  // the endpoint FQDN, not "wec..."
      CHECK(e.host.rfind("wec", 0) != 0);
      CHECK(e.time.size() >= 20);
      CHECK(e.time.back() == 'Z');
      CHECK(e.ppid != 0);
      if (e.source == "sysmon") {
        ++sysmon;
        CHECK(e.guid.size() == 36);
        CHECK(e.guid.find_first_of("abcdef{}") == std::string::npos);
        CHECK_FALSE(e.image.empty());
      } else {
        ++security;
        CHECK(e.source == "security");
        CHECK(e.pid != 0);
        CHECK(e.user.find('\\') != std::string::npos);
      }
    }
    UNSCOPED_INFO(entry.path().filename().string()
                  << ": process " << process << ", other " << other << ", error " << errors);
    CHECK(errors == 0);
    CHECK(process > 0);
  }
  CHECK(files == 7);
  CHECK(sysmon == 57);
  CHECK(security == 58);
}

TEST_CASE("SigmaHQ regression EVTX-JSON corpus", "[events][corpus]") {
  const auto dir = corpus_dir() / "sigma" / "regression";
  if (!std::filesystem::is_directory(dir)) {
    WARN("skipped: " << dir.string() << " is absent");
    return;
  }
  std::size_t process = 0, multi = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    const std::string text = read_file(entry.path());
    EventReader reader;
    const ParseResult r = reader.parse_line(text);
    if (r.kind == ParseKind::kError) {
      ++multi;  // a few files hold more than one pretty-printed document
      continue;
    }
    REQUIRE(r.kind == ParseKind::kProcess);
    ++process;
    CHECK(r.event.source == "sysmon");
    CHECK_FALSE(r.event.host.empty());
    CHECK(r.event.pid != 0);
    CHECK(r.event.time.back() == 'Z');
  }
  CHECK(process >= 120);
  CHECK(multi <= 10);
}
