// Unit tests of ioc/events/evtx.hpp: .evtx files read through libevtx.
// Test data (tests/data/evtx/README.md): three small .evtx files, gzip'd, two
// with the JSON twin SigmaHQ ships for them. When ../shared/corpus is there,
// every file of the corpus is checked as well.
#include "ioc/events/evtx.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ioc/codec/inflate.hpp"
#include "ioc/events/process_event.hpp"
#include "ioc/events/record_assembler.hpp"
#include "ioc/text/ascii.hpp"

using ioc::events::EventReader;
using ioc::events::EvtxReader;
using ioc::events::looks_like_evtx;
using ioc::events::ParseKind;
using ioc::events::ParseResult;
using ioc::events::ProcessEvent;

// libevtx 20181227 leaks on its error paths (part of a binary-XML tree when a
// record fails to parse; see tests/fuzz/evtx_fuzz.cpp), which the tests that
// damage records with the checksums made right take: suppressed for
// LeakSanitizer builds. A leak of ours would still be reported.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfwevt_\nleak:libcdata_\nleak:libfvalue_\nleak:libuna_\nleak:libfdata_\nleak:"
         "libfcache_\n";
}

namespace {

std::filesystem::path data_dir() {
  return std::filesystem::path(IOC_TEST_DATA_DIR) / "evtx";
}

std::filesystem::path corpus_dir() {
  return std::filesystem::path(IOC_SOURCE_DIR) / ".." / "shared" / "corpus";
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// A test .evtx (stored gzip'd), inflated.
std::string evtx_bytes(const std::string& name) {
  const std::string gz = read_file(data_dir() / (name + ".evtx.gz"));
  REQUIRE(!gz.empty());
  auto r = ioc::codec::inflate(gz, ioc::codec::Container::kGzip);
  REQUIRE(r);
  return *r;
}

struct Record {
  ParseResult result;
  std::uint64_t number = 0;
  bool recovered = false;
};

std::vector<Record> read_all(EvtxReader& reader) {
  std::vector<Record> out;
  Record r;
  while (reader.next(r.result, &r.number, &r.recovered)) {
    out.push_back(r);
    REQUIRE(out.size() < 100000);
  }
  return out;
}

std::vector<Record> read_memory(std::string_view bytes, bool recovered = false) {
  EvtxReader reader;
  reader.set_read_recovered(recovered);
  std::string error;
  REQUIRE(reader.open_memory(bytes, &error));
  CHECK(error.empty());
  return read_all(reader);
}

/// Top-level JSON objects of a file holding one or more pretty-printed
/// objects back to back (the SigmaHQ regression twins), split as cmdchain
/// splits them.
std::vector<std::string> split_json_objects(std::string_view text) {
  std::vector<std::string> out;
  ioc::events::RecordAssembler assembler;
  const auto on_record = [&](std::string_view r, std::uint64_t) {
    if (!r.empty()) out.emplace_back(r);
  };
  const auto on_error = [](std::string_view message, std::uint64_t) { FAIL(message); };
  std::uint64_t n = 0;
  ioc::text::for_each_line(text, [&](std::size_t, std::string_view line) {
    assembler.feed(line, ++n, on_record, on_error);
    return true;
  });
  assembler.finish(on_error);
  return out;
}

/// The JSON twins were written by an EVTX-to-JSON converter that drops the
/// braces around GUIDs ("{5AA1...}" in the .evtx, "5AA1..." in the JSON) and
/// the trailing spaces of command lines (the .evtx has them: Windows logs
/// `"C:\...\powershell.exe" `): field values are compared without them.
std::string unbrace(std::string_view v) {
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.size() >= 2 && v.front() == '{' && v.back() == '}') v = v.substr(1, v.size() - 2);
  return std::string(v);
}

std::string lower(std::string v) {
  for (char& c : v)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return v;
}

/// `casefold`: a field (and its member) compared case-insensitively, for the
/// one twin that was edited by hand (see the corpus test).
void require_same_event(const ProcessEvent& a, const ProcessEvent& b,
                        std::string_view casefold = {}) {
  const bool fold_parent_cmd = casefold == "ParentCommandLine";
  CHECK(a.host == b.host);
  CHECK(a.time == b.time);
  CHECK(a.guid == b.guid);
  CHECK(a.pid == b.pid);
  CHECK(a.parent_guid == b.parent_guid);
  CHECK(a.ppid == b.ppid);
  CHECK(a.image == b.image);
  CHECK(a.command_line == b.command_line);
  CHECK(a.parent_image == b.parent_image);
  if (fold_parent_cmd)
    CHECK(lower(a.parent_command_line) == lower(b.parent_command_line));
  else
    CHECK(a.parent_command_line == b.parent_command_line);
  CHECK(a.user == b.user);
  CHECK(a.integrity_level == b.integrity_level);
  CHECK(a.logon_id == b.logon_id);
  CHECK(a.hashes == b.hashes);
  CHECK(a.event_id == b.event_id);
  CHECK(a.source == b.source);
  // EventReader keeps a JSON object's keys sorted (nlohmann::json), the XML
  // path keeps record order: the fields are compared by name.
  std::map<std::string, std::string> want;
  for (const auto& [name, value] : b.fields) want.emplace(name, unbrace(value));
  CHECK(a.fields.size() == want.size());
  for (const auto& [name, value] : a.fields) {
    INFO("field " << name);
    const auto it = want.find(name);
    REQUIRE(it != want.end());
    if (name == casefold)
      CHECK(lower(unbrace(value)) == lower(it->second));
    else
      CHECK(unbrace(value) == it->second);
  }
}

/// Every record of `evtx` against the JSON twin, in order.
void require_matches_twin(std::string_view evtx, const std::string& json_text,
                          std::string_view casefold = {}) {
  const std::vector<Record> records = read_memory(evtx);
  const std::vector<std::string> objects = split_json_objects(json_text);
  REQUIRE(records.size() == objects.size());
  EventReader json_reader;
  for (std::size_t i = 0; i < records.size(); ++i) {
    INFO("record " << records[i].number);
    const ParseResult want = json_reader.parse_line(objects[i]);
    REQUIRE(records[i].result.kind == want.kind);
    CHECK(records[i].result.error == want.error);
    require_same_event(records[i].result.event, want.event, casefold);
  }
}

/// Every member of two results, `fields` in order.
void require_same_result(const ParseResult& a, const ParseResult& b) {
  REQUIRE(a.kind == b.kind);
  CHECK(a.error == b.error);
  const ProcessEvent& x = a.event;
  const ProcessEvent& y = b.event;
  CHECK(x.host == y.host);
  CHECK(x.time == y.time);
  CHECK(x.guid == y.guid);
  CHECK(x.pid == y.pid);
  CHECK(x.parent_guid == y.parent_guid);
  CHECK(x.ppid == y.ppid);
  CHECK(x.image == y.image);
  CHECK(x.command_line == y.command_line);
  CHECK(x.parent_image == y.parent_image);
  CHECK(x.parent_command_line == y.parent_command_line);
  CHECK(x.user == y.user);
  CHECK(x.integrity_level == y.integrity_level);
  CHECK(x.logon_id == y.logon_id);
  CHECK(x.hashes == y.hashes);
  CHECK(x.event_id == y.event_id);
  CHECK(x.source == y.source);
  CHECK(x.fields == y.fields);
}

/// CRC-32 (IEEE, as zlib), for the checksums of a chunk.
std::uint32_t crc32(std::string_view s) {
  std::uint32_t c = 0xffffffffu;
  for (const char ch : s) {
    c ^= static_cast<unsigned char>(ch);
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return ~c;
}

/// The first chunk's checksums made right again: the records checksum (at
/// 52: the CRC-32 of offset 512 up to the free-space offset at 48), then the
/// header checksum (at 124: bytes 0-120 and 128-512).
void fix_records_checksum(std::string& file) {
  const std::size_t chunk = 4096;
  auto u32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(file[at + i]);
    return v;
  };
  auto put = [&](std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) file[at + i] = static_cast<char>(v >> (8 * i));
  };
  const std::size_t free_space = u32(chunk + 48);
  if (free_space >= 512 && free_space <= 65536)
    put(chunk + 52, crc32(std::string_view(file).substr(chunk + 512, free_space - 512)));
  const std::string head = file.substr(chunk, 120) + file.substr(chunk + 128, 384);
  put(chunk + 124, crc32(head));
}

struct PathCounts {
  std::size_t records = 0;       ///< read with the fast path on
  std::size_t fast = 0;          ///< of which the fast path read
  std::size_t process = 0;       ///< process creations
  std::size_t process_fast = 0;  ///< of which the fast path read
};

/// The same bytes read with the fast path and through libevtx alone: the
/// same records, numbers and results. Adds to `counts`.
void require_paths_agree(std::string_view bytes, bool recovered, PathCounts& counts) {
  EvtxReader fast, slow;
  fast.set_read_recovered(recovered);
  slow.set_read_recovered(recovered);
  slow.set_fast_path(false);
  std::string e1, e2;
  const bool ok1 = fast.open_memory(bytes, &e1);
  const bool ok2 = slow.open_memory(bytes, &e2);
  REQUIRE(ok1 == ok2);
  CHECK(e1 == e2);
  if (!ok1) return;
  CHECK(fast.records() == slow.records());
  CHECK(fast.recovered() == slow.recovered());
  CHECK(fast.corrupted() == slow.corrupted());
  const std::vector<Record> b = read_all(slow);
  CHECK(slow.fast_records() == 0);
  std::size_t i = 0;
  Record a;
  std::size_t before = 0;
  while (fast.next(a.result, &a.number, &a.recovered)) {
    INFO("record " << i << " number " << a.number);
    REQUIRE(i < b.size());
    CHECK(a.number == b[i].number);
    CHECK(a.recovered == b[i].recovered);
    require_same_result(a.result, b[i].result);
    const bool was_fast = fast.fast_records() > before;
    before = fast.fast_records();
    ++counts.records;
    if (was_fast) ++counts.fast;
    if (a.result.kind == ParseKind::kProcess) {
      ++counts.process;
      if (was_fast) ++counts.process_fast;
    }
    ++i;
  }
  CHECK(i == b.size());
}

}  // namespace

TEST_CASE("looks_like_evtx: the ElfFile signature", "[events][evtx]") {
  CHECK(looks_like_evtx(std::string_view("ElfFile\0\0\0", 10)));
  CHECK(looks_like_evtx(std::string_view("ElfFile\0", 8)));
  CHECK_FALSE(looks_like_evtx("ElfFile"));  // 7 bytes: no NUL
  CHECK_FALSE(looks_like_evtx(std::string_view("ElfFilx\0", 8)));
  CHECK_FALSE(looks_like_evtx(""));
  CHECK_FALSE(looks_like_evtx("<Event xmlns='...'>"));
}

TEST_CASE("evtx: Sysmon EventID 1 records equal their JSON twin", "[events][evtx]") {
  for (const char* name : {"findstr_recon_everyone", "dtrace_kernel_dump"}) {
    INFO(name);
    const std::string evtx = evtx_bytes(name);
    require_matches_twin(evtx, read_file(data_dir() / (std::string(name) + ".json")));
  }
}

TEST_CASE("evtx: record counts, numbers and kinds", "[events][evtx]") {
  const std::string evtx = evtx_bytes("sysmon_10_1_ppid_spoofing");
  EvtxReader reader;
  std::string error;
  REQUIRE(reader.open_memory(evtx, &error));
  CHECK(reader.records() == 5);
  CHECK_FALSE(reader.corrupted());
  const std::vector<Record> records = read_all(reader);
  REQUIRE(records.size() == 5);
  // EventIDs 10, 1, 10, 1, 1: process access events are kOther. The file was
  // saved from Event Viewer: the record headers number the records 1..5 (the
  // XML keeps EventRecordID 244865..244869).
  const ParseKind kinds[] = {ParseKind::kOther, ParseKind::kProcess, ParseKind::kOther,
                             ParseKind::kProcess, ParseKind::kProcess};
  for (std::size_t i = 0; i < 5; ++i) {
    INFO(i);
    CHECK(records[i].number == i + 1);
    CHECK(records[i].result.kind == kinds[i]);
    CHECK_FALSE(records[i].recovered);
  }
  const ProcessEvent& e = records[1].result.event;
  CHECK(e.event_id == 1);
  CHECK(e.source == "sysmon");
  CHECK(e.host == "MSEDGEWIN10");
  CHECK(e.time == "2020-03-21T21:45:04.909Z");
  CHECK(e.guid == "747F3D96-8AE0-5E76-0000-0010933B8003");
  CHECK(e.pid == 7708);
  CHECK(e.image == "C:\\Windows\\System32\\cmd.exe");
  CHECK(e.command_line == "\"C:\\windows\\system32\\cmd.exe\"");
  CHECK(e.user == "MSEDGEWIN10\\IEUser");
  CHECK(e.integrity_level == "Medium");
  // libevtx renders 0x000000000002de87: written as Windows writes it.
  CHECK(e.logon_id == "0x2de87");
  CHECK(std::find(e.fields.begin(), e.fields.end(),
                  std::pair<std::string, std::string>("LogonId", "0x2de87")) != e.fields.end());
  CHECK(e.parent_image == "C:\\Windows\\explorer.exe");
  CHECK(e.parent_guid == "747F3D96-06AA-5E76-0000-001046E10400");
  CHECK(e.ppid == 4668);
  CHECK(e.parent_command_line == "C:\\Windows\\Explorer.EXE");
  REQUIRE(!e.fields.empty());
  CHECK(e.fields.front().first == "RuleName");
  // The end is the end, again and again.
  ParseResult r;
  CHECK_FALSE(reader.next(r));
  CHECK_FALSE(reader.next(r));
}

TEST_CASE("evtx: open_file and open_memory read the same", "[events][evtx]") {
  const std::string evtx = evtx_bytes("findstr_recon_everyone");
  const auto path = std::filesystem::temp_directory_path() / "ioc_evtx_test_open_file.evtx";
  {
    std::ofstream out(path, std::ios::binary);
    out.write(evtx.data(), static_cast<std::streamsize>(evtx.size()));
  }
  EvtxReader reader;
  std::string error;
  REQUIRE(reader.open_file(path.string(), &error));
  const std::vector<Record> from_file = read_all(reader);
  reader.close();
  std::filesystem::remove(path);
  const std::vector<Record> from_memory = read_memory(evtx);
  REQUIRE(from_file.size() == 3);
  REQUIRE(from_file.size() == from_memory.size());
  for (std::size_t i = 0; i < from_file.size(); ++i) {
    CHECK(from_file[i].number == from_memory[i].number);
    CHECK(from_file[i].result.kind == ParseKind::kProcess);
    require_same_event(from_file[i].result.event, from_memory[i].result.event);
  }
}

TEST_CASE("evtx: a reader opens one input after another", "[events][evtx]") {
  const std::string a = evtx_bytes("findstr_recon_everyone");
  const std::string b = evtx_bytes("sysmon_10_1_ppid_spoofing");
  EvtxReader reader;
  std::string error;
  ParseResult r;
  CHECK_FALSE(reader.next(r));  // nothing open
  REQUIRE(reader.open_memory(a, &error));
  CHECK(read_all(reader).size() == 3);
  REQUIRE(reader.open_memory(b, &error));
  CHECK(reader.records() == 5);
  CHECK(read_all(reader).size() == 5);
  reader.close();
  CHECK(reader.records() == 0);
  CHECK_FALSE(reader.next(r));
  EvtxReader moved = std::move(reader);
  REQUIRE(moved.open_memory(a, &error));
  CHECK(read_all(moved).size() == 3);
}

TEST_CASE("evtx: files that are not EVTX are refused with a reason", "[events][evtx]") {
  EvtxReader reader;
  std::string error;
  CHECK_FALSE(reader.open_memory("", &error));
  CHECK(error.find("not an EVTX file") != std::string::npos);
  error.clear();
  CHECK_FALSE(reader.open_memory("garbage that is not an event log at all", &error));
  CHECK(error.find("not an EVTX file") != std::string::npos);
  error.clear();
  // The signature and nothing else: the header cannot be read.
  std::string sig("ElfFile\0", 8);
  CHECK_FALSE(reader.open_memory(sig + std::string(100, 'x'), &error));
  CHECK(error.find("unreadable EVTX") != std::string::npos);
  error.clear();
  CHECK_FALSE(reader.open_file((data_dir() / "no-such-file.evtx").string(), &error));
  CHECK(error.find("cannot open") != std::string::npos);
  error.clear();
  CHECK_FALSE(reader.open_file((data_dir() / "findstr_recon_everyone.json").string(), &error));
  CHECK(error.find("not an EVTX file") != std::string::npos);
  ParseResult r;
  CHECK_FALSE(reader.next(r));
}

TEST_CASE("evtx: a truncated file is refused or says it is truncated", "[events][evtx]") {
  const std::string evtx = evtx_bytes("sysmon_10_1_ppid_spoofing");
  REQUIRE(evtx.size() == 69632);  // a 4 KiB header and one 64 KiB chunk
  for (std::size_t n : {std::size_t{8}, std::size_t{100}, std::size_t{4095}, std::size_t{4096},
                        std::size_t{4200}, std::size_t{20000}, std::size_t{69631}}) {
    INFO("first " << n << " bytes");
    const std::string cut = evtx.substr(0, n);
    EvtxReader reader;
    std::string error;
    if (!reader.open_memory(cut, &error)) {
      CHECK(!error.empty());
      CHECK(n < 4096);
      continue;
    }
    CHECK(reader.corrupted());
    const std::vector<Record> records = read_all(reader);
    REQUIRE(!records.empty());
    CHECK(records.front().result.kind == ParseKind::kError);
    CHECK(records.front().result.error.find("truncated or corrupted") != std::string::npos);
    CHECK(records.front().number == 0);
    CHECK(records.size() <= 1 + 5);
  }
}

TEST_CASE("evtx: damaged bytes give errors, never a crash", "[events][evtx]") {
  const std::string evtx = evtx_bytes("sysmon_10_1_ppid_spoofing");
  std::mt19937 rng(12345);
  std::size_t errors = 0;
  for (int round = 0; round < 200; ++round) {
    std::string bad = evtx;
    // Damage a few bytes in the chunk (after its header: the records).
    const int flips = 1 + round % 8;
    for (int k = 0; k < flips; ++k) {
      const std::size_t pos = 4096 + 512 + rng() % (evtx.size() - 4096 - 512);
      bad[pos] = static_cast<char>(rng());
    }
    for (bool recovered : {false, true}) {
      EvtxReader reader;
      reader.set_read_recovered(recovered);
      std::string error;
      if (!reader.open_memory(bad, &error)) {
        CHECK(!error.empty());
        continue;
      }
      for (const Record& r : read_all(reader)) {
        if (r.result.kind == ParseKind::kError) {
          CHECK(!r.result.error.empty());
          ++errors;
        }
      }
    }
  }
  CHECK(errors > 0);  // the chunk checksum at least catches most of them
}

TEST_CASE("evtx: recovered records are flagged, stale copies and fragments skipped",
          "[events][evtx]") {
  const std::string evtx = evtx_bytes("dtrace_kernel_dump");
  const std::vector<Record> plain = read_memory(evtx);
  REQUIRE(plain.size() == 2);
  EvtxReader reader;
  reader.set_read_recovered(true);
  std::string error;
  REQUIRE(reader.open_memory(evtx, &error));
  CHECK(reader.records() == 2);
  CHECK(reader.recovered() > 0);
  const std::vector<Record> all = read_all(reader);
  REQUIRE(all.size() > 2);
  CHECK_FALSE(all[0].recovered);
  CHECK_FALSE(all[1].recovered);
  for (std::size_t i = 2; i < all.size(); ++i) {
    INFO("recovered record " << all[i].number);
    CHECK(all[i].recovered);
    CHECK(all[i].result.kind != ParseKind::kError);
    CHECK(all[i].number != 0);
    CHECK(all[i].number != all[0].number);
    CHECK(all[i].number != all[1].number);
  }
}

TEST_CASE("evtx: the corpus (when present)", "[events][evtx][corpus]") {
  const auto corpus = corpus_dir();
  if (!std::filesystem::exists(corpus / "sigma" / "regression")) {
    WARN("skipped: no ../shared/corpus");
    return;
  }
  std::size_t files = 0;
  for (const auto& dir : std::filesystem::directory_iterator(corpus / "sigma" / "regression")) {
    for (const auto& f : std::filesystem::directory_iterator(dir.path())) {
      if (f.path().extension() != ".evtx") continue;
      INFO(f.path().string());
      auto json = f.path();
      json.replace_extension(".json");
      // SigmaHQ's twin of this one was edited: "Explorer.exe" where the
      // .evtx has "Explorer.EXE".
      const bool edited = f.path().filename() == "ad691d92-15f2-4181-9aa4-723c74f9ddc3.evtx";
      require_matches_twin(read_file(f.path()), read_file(json), edited ? "ParentCommandLine" : "");
      ++files;
    }
  }
  CHECK(files == 130);
  for (const auto& f : std::filesystem::directory_iterator(corpus / "sysmon" / "evtx")) {
    INFO(f.path().string());
    EvtxReader reader;
    std::string error;
    REQUIRE(reader.open_file(f.path().string(), &error));
    for (const Record& r : read_all(reader)) CHECK(r.result.kind != ParseKind::kError);
  }
}

TEST_CASE("evtx: the fast path gives what libevtx gives", "[events][evtx]") {
  PathCounts counts;
  for (const char* name :
       {"findstr_recon_everyone", "dtrace_kernel_dump", "sysmon_10_1_ppid_spoofing"}) {
    INFO(name);
    const std::string evtx = evtx_bytes(name);
    for (bool recovered : {false, true}) require_paths_agree(evtx, recovered, counts);
  }
  // Every allocated record of these files is a plain Sysmon template instance.
  CHECK(counts.process == 2 * (3 + 2 + 3));
  CHECK(counts.process_fast == counts.process);
  // A file read from disk takes the fast path as well.
  const std::string evtx = evtx_bytes("sysmon_10_1_ppid_spoofing");
  const auto path = std::filesystem::temp_directory_path() / "ioc_evtx_test_fast_path.evtx";
  {
    std::ofstream out(path, std::ios::binary);
    out.write(evtx.data(), static_cast<std::streamsize>(evtx.size()));
  }
  EvtxReader reader;
  std::string error;
  REQUIRE(reader.open_file(path.string(), &error));
  const std::vector<Record> from_file = read_all(reader);
  CHECK(reader.fast_records() == 5);
  reader.close();
  std::filesystem::remove(path);
  const std::vector<Record> from_memory = read_memory(evtx);
  REQUIRE(from_file.size() == from_memory.size());
  for (std::size_t i = 0; i < from_file.size(); ++i)
    require_same_result(from_file[i].result, from_memory[i].result);
}

TEST_CASE("evtx: damaged files read the same with and without the fast path", "[events][evtx]") {
  const std::string evtx = evtx_bytes("sysmon_10_1_ppid_spoofing");
  std::mt19937 rng(777);
  PathCounts counts;
  for (int round = 0; round < 300; ++round) {
    std::string bad = evtx;
    const int flips = 1 + round % 4;
    for (int k = 0; k < flips; ++k) {
      const std::size_t pos = 4096 + 512 + rng() % (evtx.size() - 4096 - 512);
      bad[pos] = static_cast<char>(rng());
    }
    // Half the rounds fix the chunk's records checksum, so that libevtx
    // reads the damaged records instead of flagging the chunk.
    if (round % 4 < 2) fix_records_checksum(bad);
    INFO("round " << round);
    require_paths_agree(bad, round % 2 == 1, counts);
  }
  for (std::size_t n : {std::size_t{4096}, std::size_t{20000}, std::size_t{69631}}) {
    INFO("first " << n << " bytes");
    require_paths_agree(evtx.substr(0, n), false, counts);
  }
  WARN("damaged: " << counts.records << " records, " << counts.fast << " through the fast path");
  CHECK(counts.fast > 0);
  CHECK(counts.fast < counts.records);
}

TEST_CASE("evtx: the corpus reads the same with and without the fast path",
          "[events][evtx][corpus]") {
  const auto corpus = corpus_dir();
  if (!std::filesystem::exists(corpus / "sigma" / "regression")) {
    WARN("skipped: no ../shared/corpus");
    return;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& f : std::filesystem::directory_iterator(corpus / "sysmon" / "evtx"))
    if (f.path().extension() == ".evtx") files.push_back(f.path());
  for (const auto& dir : std::filesystem::directory_iterator(corpus / "sigma" / "regression"))
    for (const auto& f : std::filesystem::directory_iterator(dir.path()))
      if (f.path().extension() == ".evtx") files.push_back(f.path());
  std::sort(files.begin(), files.end());
  PathCounts counts;
  for (const auto& f : files) {
    INFO(f.string());
    const std::string bytes = read_file(f);
    require_paths_agree(bytes, false, counts);
  }
  PathCounts recovered;
  for (const auto& f : files) {
    INFO(f.string());
    require_paths_agree(read_file(f), true, recovered);
  }
  WARN("corpus: " << files.size() << " files, " << counts.records << " records, " << counts.fast
                  << " through the fast path, " << counts.records - counts.fast
                  << " through libevtx; process creations " << counts.process << ", "
                  << counts.process_fast << " through the fast path");
  CHECK(files.size() == 137);
  CHECK(counts.process_fast == counts.process);
}

TEST_CASE("evtx: values the fast path leaves to libevtx", "[events][evtx]") {
  // Offsets in sysmon_10_1_ppid_spoofing: the second record (Sysmon EventID
  // 1) holds its EventData as binary XML whose first value (RuleName, an
  // empty string) has its type at 9895, and whose Image value (the UTF-16 of
  // C:\Windows\System32\cmd.exe) starts at 10047.
  const std::string evtx = evtx_bytes("sysmon_10_1_ppid_spoofing");
  REQUIRE(evtx[9895] == 0x01);
  REQUIRE(evtx.substr(10047, 6) == std::string("C\0:\0\\\0", 6));
  struct Case {
    const char* what;
    std::size_t at;
    std::string bytes;
    ParseKind kind;     // of the second record
    std::size_t fast;   // records the fast path reads
    const char* image;  // of the second record, when kProcess
  };
  const Case cases[] = {
      // A normal substitution with a null value: libevtx cannot render it.
      {"null RuleName", 9895, std::string(1, '\0'), ParseKind::kError, 4, nullptr},
      // An empty value of another type: libevtx writes "".
      {"binary RuleName", 9895, "\x0e", ParseKind::kProcess, 4, "C:\\Windows\\System32\\cmd.exe"},
      // Escaped by libevtx and read back by pugixml; UTF-16 pairs.
      {"& < > in Image", 10047 + 6, std::string("&\0<\0>\0", 6), ParseKind::kProcess, 5,
       "C:\\&<>dows\\System32\\cmd.exe"},
      {"quotes in Image", 10047 + 6, std::string("\"\0'\0", 4), ParseKind::kProcess, 5,
       "C:\\\"'ndows\\System32\\cmd.exe"},
      {"non-ASCII in Image", 10047 + 6, std::string("\xe9\0\x2d\x4e\x20\x00", 6),
       ParseKind::kProcess, 5, "C:\\\xc3\xa9\xe4\xb8\xad dows\\System32\\cmd.exe"},
      // libevtx 20181227 decodes this pair (U+1F600) as U+1F201: left to it.
      {"surrogate pair in Image", 10047 + 6, std::string("\xe9\0\x3d\xd8\x00\xde", 6),
       ParseKind::kProcess, 4,
       "C:\\\xc3\xa9\xf0\x9f\x88\x81"
       "dows\\System32\\cmd.exe"},
      // Control characters, NULs and unpaired surrogates: libevtx decides
      // (it keeps the first two, cuts at a NUL, writes U+FFFD for the last).
      {"newline in Image", 10047 + 6, std::string("\n\0", 2), ParseKind::kProcess, 4,
       "C:\\\nindows\\System32\\cmd.exe"},
      {"tab in Image", 10047 + 6, std::string("\t\0", 2), ParseKind::kProcess, 4,
       "C:\\\tindows\\System32\\cmd.exe"},
      {"NUL in Image", 10047 + 6, std::string("\0\0", 2), ParseKind::kProcess, 4, "C:\\"},
      {"lone surrogate in Image", 10047 + 6, std::string("\x00\xd8", 2), ParseKind::kProcess, 4,
       "C:\\\xef\xbf\xbdndows\\System32\\cmd.exe"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    std::string bad = evtx;
    bad.replace(c.at, c.bytes.size(), c.bytes);
    fix_records_checksum(bad);
    PathCounts counts;
    require_paths_agree(bad, false, counts);
    CHECK(counts.records == 5);
    CHECK(counts.fast == c.fast);
    const std::vector<Record> records = read_memory(bad);
    REQUIRE(records.size() == 5);
    CHECK(records[1].result.kind == c.kind);
    if (c.image != nullptr) CHECK(records[1].result.event.image == c.image);
  }
}

TEST_CASE("evtx: value types written as libevtx writes them", "[events][evtx]") {
  // The second record of sysmon_10_1_ppid_spoofing again: the types (at
  // 9895 + 4 * i) and values of its EventData substitutions changed in place
  // (same sizes), so that both paths write each type.
  const std::string evtx = evtx_bytes("sysmon_10_1_ppid_spoofing");
  struct Edit {
    std::size_t at;
    std::string bytes;
  };
  struct Case {
    const char* what;
    std::vector<Edit> edits;
    const char* field;  // a field to check, and its value
    const char* value;
    std::size_t fast = 5;  // records the fast path reads
  };
  auto type_at = [](int i) { return std::size_t{9895} + 4 * static_cast<std::size_t>(i); };
  const std::vector<Case> cases = {
      {"SID",
       {{type_at(16), "\x13"}, {10507, std::string("\1\1\0\0\0\0\0\x10\0\x20\0\0", 12)}},
       "IntegrityLevel",
       "S-1-16-8192"},
      {"HexInt32", {{type_at(3), "\x14"}}, "ProcessId", "0x1e1c"},
      {"Int32",
       {{type_at(15), "\x07"}, {10503, std::string("\x07\0\0\0", 4)}},
       "TerminalSessionId",
       "7"},
      // libevtx 20181227 writes negative integers wrongly: left to it.
      {"negative Int32",
       {{type_at(15), "\x07"}, {10503, "\xff\xff\xff\xff"}},
       "TerminalSessionId",
       "-2147483647",
       4},
      {"UInt32 at its largest", {{10503, "\xff\xff\xff\xff"}}, "TerminalSessionId", "4294967295"},
      {"UInt64", {{type_at(14), "\x0a"}}, "LogonId", "188039"},
      {"negative Int64",
       {{type_at(14), "\x09"}, {10495, std::string(8, '\xff')}},
       "LogonId",
       "-9223372036854775807",
       4},
      {"HexInt64 at its largest",
       {{10495, std::string(8, '\xff')}},
       "LogonId",
       "0xffffffffffffffff"},
      {"FILETIME",
       {{type_at(14), "\x11"}, {10495, "\x78\x56\x34\x12\xcd\xff\xd5\x01"}},
       "LogonId",
       "2020-03-21T22:07:11.609612000Z"},
      {"GUID",
       {{10027,
         std::string("\xab\xcd\xef\x01\x23\x45\x67\x89\xab\xcd\xef\x01\x23\x45\x67\x89", 16)}},
       "ProcessGuid",
       "{01EFCDAB-4523-8967-ABCD-EF0123456789}"},
      // Only spaces: pugixml drops the text, so the time is SystemTime's.
      {"blank UtcTime", {{9981, std::string(46, '\0')}}, nullptr, nullptr},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    std::string edited = evtx;
    for (const Edit& e : c.edits) edited.replace(e.at, e.bytes.size(), e.bytes);
    if (std::string_view(c.what) == "blank UtcTime")
      for (std::size_t i = 0; i < 46; i += 2) edited[9981 + i] = ' ';
    fix_records_checksum(edited);
    PathCounts counts;
    require_paths_agree(edited, false, counts);
    CHECK(counts.records == 5);
    CHECK(counts.fast == c.fast);
    const std::vector<Record> records = read_memory(edited);
    REQUIRE(records.size() == 5);
    REQUIRE(records[1].result.kind == ParseKind::kProcess);
    const ProcessEvent& e = records[1].result.event;
    if (c.field != nullptr) {
      const auto it = std::find_if(
          e.fields.begin(), e.fields.end(),
          [&](const std::pair<std::string, std::string>& f) { return f.first == c.field; });
      REQUIRE(it != e.fields.end());
      CHECK(it->second == c.value);
    }
    if (std::string_view(c.what) == "blank UtcTime")
      CHECK(e.time == "2020-03-21T21:45:04.922610800Z");
    if (std::string_view(c.what) == "SID") CHECK(e.integrity_level == "Medium");
  }
}
