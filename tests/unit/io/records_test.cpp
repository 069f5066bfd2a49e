#include "ioc/io/records.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../support.hpp"

using ioc::io::Diagnostics;
using ioc::io::for_each_record;
using ioc::io::InputOptions;
using ioc::io::Record;
using ioc::io::RecordFormat;
using ioc::test::TempDir;

namespace {

struct Seen {
  std::string name;
  std::uint64_t line;
  std::uint64_t offset;
  std::string text;
  std::string fields;  // the record's JSON, when there is one
};

std::vector<Seen> collect(const InputOptions& opt, Diagnostics& diag, bool* result = nullptr) {
  std::vector<Seen> seen;
  const bool r = for_each_record(opt, diag, [&](Record& rec) {
    seen.push_back(Seen{std::string(rec.source.name), rec.source.line, rec.source.offset,
                        std::string(rec.text), rec.fields ? rec.fields->dump() : ""});
    return true;
  });
  if (result) *result = r;
  return seen;
}

}  // namespace

TEST_CASE("for_each_record reads lines from several files", "[io]") {
  TempDir dir;
  const auto a = dir.file("a.txt", "one\ntwo\r\n\nlast");
  const auto missing = dir.path("missing.txt");
  const auto b = dir.file("b.txt", "b1\n");
  InputOptions opt;
  opt.paths = {a, missing, b};
  std::ostringstream err;
  Diagnostics diag("tool", "ok", err);
  bool result = false;
  const auto seen = collect(opt, diag, &result);
  CHECK(result);
  REQUIRE(seen.size() == 5);
  CHECK(seen[0].name == a);
  CHECK(seen[0].line == 1);
  CHECK(seen[0].text == "one");
  CHECK(seen[1].text == "two");
  CHECK(seen[1].offset == 4);
  CHECK(seen[2].text == "");
  CHECK(seen[2].line == 3);
  CHECK(seen[3].text == "last");
  CHECK(seen[3].offset == 10);
  CHECK(seen[4].name == b);
  CHECK(seen[4].line == 1);
  CHECK(seen[4].text == "b1");
  CHECK(seen[4].fields.empty());
  CHECK(diag.read() == 5);
  CHECK(diag.had_error());
  CHECK(diag.exit_code() == 2);
  CHECK(err.str() == "tool: " + missing + ": No such file or directory\n");
}

TEST_CASE("for_each_record reports overlong lines with FILE:LINE", "[io]") {
  TempDir dir;
  const auto f = dir.file("blobs.txt", "ok\n" + std::string(5000, 'x') + "\nafter\n");
  InputOptions opt;
  opt.paths = {f};
  opt.max_line = 1024;
  std::ostringstream err;
  Diagnostics diag("psdecode", "decoded", err);
  const auto seen = collect(opt, diag);
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].text == "after");
  CHECK(seen[1].line == 3);
  CHECK(diag.read() == 3);
  CHECK(diag.failed() == 1);
  CHECK(err.str() == "psdecode: " + f + ":2: line longer than --max-line (1 KiB); skipped\n");
}

TEST_CASE("for_each_record uses NUL separators", "[io]") {
  TempDir dir;
  const auto f = dir.file("z.bin", std::string("a\nb\0c\0", 6));
  InputOptions opt;
  opt.paths = {f};
  opt.separator = '\0';
  std::ostringstream err;
  Diagnostics diag("t", "ok", err);
  const auto seen = collect(opt, diag);
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].text == "a\nb");
  CHECK(seen[1].text == "c");
  CHECK(seen[1].offset == 4);
}

TEST_CASE("for_each_record stops when the callback says so", "[io]") {
  TempDir dir;
  const auto a = dir.file("a", "1\n2\n3\n");
  const auto b = dir.file("b", "4\n");
  InputOptions opt;
  opt.paths = {a, b};
  std::ostringstream err;
  Diagnostics diag("t", "ok", err);
  std::vector<std::string> seen;
  const bool r = for_each_record(opt, diag, [&](Record& rec) {
    seen.emplace_back(rec.text);
    return seen.size() < 2;
  });
  CHECK_FALSE(r);
  CHECK(seen == std::vector<std::string>{"1", "2"});
}

TEST_CASE("for_each_record selects a JSON field", "[io]") {
  TempDir dir;
  const auto f = dir.file("events.jsonl",
                          "{\"CommandLine\":\"cmd /c whoami\",\"Host\":\"pc1\"}\n"
                          "\n"
                          "{\"Host\":\"pc2\"}\n"
                          "not json\n"
                          "{\"CommandLine\":\"powershell\"}\n");
  InputOptions opt;
  opt.paths = {f};
  opt.field = "CommandLine";
  std::ostringstream err;
  Diagnostics diag("psdecode", "decoded", err);
  std::vector<Seen> seen;
  for_each_record(opt, diag, [&](Record& rec) {
    REQUIRE(rec.fields != nullptr);
    (*rec.fields)["CommandLine_decoded"] = "x";
    seen.push_back(Seen{std::string(rec.source.name), rec.source.line, rec.source.offset,
                        std::string(rec.text), rec.fields->dump()});
    return true;
  });
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].text == "cmd /c whoami");
  CHECK(seen[0].line == 1);
  CHECK(seen[0].fields ==
        R"({"CommandLine":"cmd /c whoami","Host":"pc1","CommandLine_decoded":"x"})");
  CHECK(seen[1].text == "powershell");
  CHECK(seen[1].line == 5);
  CHECK(diag.read() == 4);  // the blank line is not a record
  CHECK(diag.failed() == 2);
  const std::string msgs = err.str();
  CHECK(msgs.find("psdecode: " + f + ":3: no field 'CommandLine' in record\n") !=
        std::string::npos);
  CHECK(msgs.find("psdecode: " + f + ":4: invalid JSON: ") != std::string::npos);
}

TEST_CASE("for_each_record selects a CSV column per file", "[io]") {
  TempDir dir;
  const auto a = dir.file("a.csv",
                          "Host,CommandLine\n"
                          "pc1,\"cmd /c \"\"echo, hi\"\"\"\n"
                          "pc2,\"multi\n"
                          "line\"\n"
                          "pc3,plain\n");
  // A different header order in the second file, and an unterminated field.
  const auto b = dir.file("b.csv", "CommandLine,Host\r\nnotepad,pc4\r\n\"open,pc5\r\n");
  const auto c = dir.file("c.csv", "Host\npc6\npc7\n");
  InputOptions opt;
  opt.paths = {a, b, c};
  opt.field = "CommandLine";
  std::ostringstream err;
  Diagnostics diag("t", "ok", err);
  const auto seen = collect(opt, diag);
  REQUIRE(seen.size() == 4);
  CHECK(seen[0].text == "cmd /c \"echo, hi\"");
  CHECK(seen[0].line == 2);
  CHECK(seen[1].text == "multi\nline");
  CHECK(seen[1].line == 3);  // the first line of the record
  CHECK(seen[1].offset == 43);
  CHECK(seen[2].text == "plain");
  CHECK(seen[2].line == 5);
  CHECK(seen[3].name == b);
  CHECK(seen[3].text == "notepad");
  CHECK(seen[3].fields == R"({"CommandLine":"notepad","Host":"pc4"})");
  const std::string msgs = err.str();
  CHECK(msgs.find("t: " + b + ":3: unterminated quoted field\n") != std::string::npos);
  CHECK(msgs.find("t: " + c + ":1: no column 'CommandLine'") != std::string::npos);
  // Reported once, not for every row of c.csv.
  CHECK(msgs.find(c + ":2") == std::string::npos);
  CHECK(diag.read() == 6);
  CHECK(diag.failed() == 2);
}

TEST_CASE("for_each_record reads whole inputs", "[io]") {
  TempDir dir;
  const auto small = dir.file("small.bin", "line1\nline2\n");
  const auto big = dir.file("big.bin", std::string(3000, 'b'));
  const auto empty = dir.file("empty.bin", "");
  InputOptions opt;
  opt.paths = {small, big, empty};
  opt.whole = true;
  opt.max_line = 2048;
  std::ostringstream err;
  Diagnostics diag("t", "ok", err);
  const auto seen = collect(opt, diag);
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].text == "line1\nline2\n");
  CHECK(seen[0].line == 0);
  CHECK(seen[0].offset == 0);
  CHECK(seen[1].name == empty);
  CHECK(seen[1].text.empty());
  CHECK(err.str() == "t: " + big + ": input larger than --max-line (2 KiB)\n");
  CHECK(diag.read() == 3);
  CHECK(diag.failed() == 1);
  CHECK_FALSE(diag.had_error());
}

TEST_CASE("for_each_record reads a whole JSON document with a field", "[io]") {
  TempDir dir;
  const auto f =
      dir.file("event.json", "{\n  \"Event\": {\n    \"CommandLine\": \"whoami\"\n  }\n}\n");
  InputOptions opt;
  opt.paths = {f};
  opt.whole = true;
  opt.field = "Event.CommandLine";
  std::ostringstream err;
  Diagnostics diag("t", "ok", err);
  const auto seen = collect(opt, diag);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].text == "whoami");
  CHECK(seen[0].line == 0);
  CHECK(seen[0].fields == R"({"Event":{"CommandLine":"whoami"}})");
}

TEST_CASE("for_each_record reads standard input for - and no paths", "[io]") {
  TempDir dir;
  const auto f = dir.file("stdin.txt", "from stdin\n");
  const int saved = ::dup(0);
  REQUIRE(saved >= 0);
  for (bool explicit_dash : {false, true}) {
    const int fd = ::open(f.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    REQUIRE(::dup2(fd, 0) == 0);
    ::close(fd);
    InputOptions opt;
    if (explicit_dash) opt.paths = {"-"};
    std::ostringstream err;
    Diagnostics diag("t", "ok", err);
    const auto seen = collect(opt, diag);
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].name == "(stdin)");
    CHECK(seen[0].text == "from stdin");
  }
  ::dup2(saved, 0);
  ::close(saved);
}

TEST_CASE("for_each_record reads a whole CSV input row by row with a field", "[io]") {
  TempDir dir;
  const auto f = dir.file("events.csv", "Host,Cmd\r\npc1,\"a\r\nb\"\r\npc2,c\r\n");
  InputOptions opt;
  opt.paths = {f};
  opt.whole = true;
  opt.field = "Cmd";
  std::ostringstream err;
  Diagnostics diag("t", "ok", err);
  const auto seen = collect(opt, diag);
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].text == "a\nb");
  CHECK(seen[0].line == 2);
  CHECK(seen[0].offset == 10);
  CHECK(seen[1].text == "c");
  CHECK(seen[1].line == 4);
  CHECK(diag.read() == 2);
  CHECK(err.str().empty());
}

TEST_CASE("for_each_record hands runs of plain lines over as kLines records", "[io]") {
  // With line_runs, the lines come several to a record where they need no care,
  // one by one where they do (CR LF, longer than max_line, the last without a
  // newline): expanded, the same lines with the same numbers and offsets.
  TempDir dir;
  std::string data;
  for (int i = 0; i < 500; ++i) {
    data += "line " + std::to_string(i) + (i % 37 == 5 ? "\r\n" : "\n");
    if (i % 101 == 7) data += std::string(300, 'x') + "\n";
  }
  data += "no newline";
  const auto a = dir.file("a.txt", data);
  const auto b = dir.file("b.txt", "b1\nb2\n");
  InputOptions plain;
  plain.paths = {a, b};
  plain.max_line = 200;
  plain.chunk_size = 1000;
  std::ostringstream err1, err2;
  Diagnostics d1("tool", "ok", err1), d2("tool", "ok", err2);
  const auto want = collect(plain, d1);
  InputOptions runs = plain;
  runs.line_runs = 256;
  std::vector<Seen> got;
  std::size_t multi = 0;
  for_each_record(runs, d2, [&](Record& rec) {
    if (rec.kind != ioc::io::RecordKind::kLines) {
      got.push_back(Seen{std::string(rec.source.name), rec.source.line, rec.source.offset,
                         std::string(rec.text), ""});
      return true;
    }
    REQUIRE(rec.text.size() <= 256);
    multi += rec.lines > 1;
    std::size_t start = 0;
    for (std::uint64_t k = 0; k < rec.lines; ++k) {
      const std::size_t end = rec.text.find('\n', start);
      REQUIRE(end != std::string_view::npos);
      got.push_back(Seen{std::string(rec.source.name), rec.source.line + k,
                         rec.source.offset + start,
                         std::string(rec.text.substr(start, end - start)), ""});
      start = end + 1;
    }
    CHECK(start == rec.text.size());
    return true;
  });
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("record " << i);
    CHECK(got[i].name == want[i].name);
    CHECK(got[i].line == want[i].line);
    CHECK(got[i].offset == want[i].offset);
    CHECK(got[i].text == want[i].text);
  }
  CHECK(multi > 10);
  CHECK(err2.str() == err1.str());  // the overlong lines, reported alike
  CHECK(d2.read() == d1.read());
}
