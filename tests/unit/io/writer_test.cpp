#include "ioc/io/writer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

using ioc::ErrorCode;
using ioc::io::append_csv_cell;
using ioc::io::append_tsv_cell;
using ioc::io::output_format_name;
using ioc::io::OutputFormat;
using ioc::io::parse_output_format;
using ioc::io::RecordWriter;
using Json = nlohmann::ordered_json;

namespace {

// Runs `fn` with an Output on a temporary file and returns what it wrote.
std::string capture(const std::function<void(ioc::io::Output&)>& fn) {
  static int counter = 0;
  const auto path = std::filesystem::temp_directory_path() /
                    ("ioc_writer_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  {
    ioc::io::Output out(fd, ioc::io::Output::Buffering::kBlock);
    fn(out);
  }
  ::close(fd);
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::filesystem::remove(path);
  return ss.str();
}

std::string write_records(OutputFormat format, const std::vector<Json>& records,
                          std::vector<std::string> columns = {},
                          std::vector<std::string>* dropped = nullptr) {
  return capture([&](ioc::io::Output& out) {
    RecordWriter w(out, format, columns);
    CHECK(w.format() == format);
    for (const auto& r : records) w.write(r);
    if (dropped) *dropped = w.dropped_keys();
  });
}

}  // namespace

TEST_CASE("parse_output_format and output_format_name round-trip", "[io]") {
  for (auto f :
       {OutputFormat::kText, OutputFormat::kJsonl, OutputFormat::kCsv, OutputFormat::kTsv}) {
    auto parsed = parse_output_format(output_format_name(f));
    REQUIRE(parsed.has_value());
    CHECK(*parsed == f);
  }
  CHECK(output_format_name(OutputFormat::kJsonl) == "jsonl");
  auto bad = parse_output_format("yaml");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == ErrorCode::kUsage);
  CHECK(bad.error().message.find("text, jsonl, csv or tsv") != std::string::npos);
}

TEST_CASE("append_csv_cell quotes only when needed", "[io]") {
  std::string s;
  append_csv_cell(s, "plain text");
  CHECK(s == "plain text");
  s.clear();
  append_csv_cell(s, "a,b");
  CHECK(s == "\"a,b\"");
  s.clear();
  append_csv_cell(s, "say \"hi\"");
  CHECK(s == "\"say \"\"hi\"\"\"");
  s.clear();
  append_csv_cell(s, "two\nlines\r");
  CHECK(s == "\"two\nlines\r\"");
  s.clear();
  append_csv_cell(s, "");
  CHECK(s == "");
  s = "x,";
  append_csv_cell(s, "tab\there");  // tabs need no quotes
  CHECK(s == "x,tab\there");
}

TEST_CASE("append_tsv_cell escapes tabs, line breaks and backslashes", "[io]") {
  std::string s;
  append_tsv_cell(s, "a\tb\nc\rd\\e \"f\",g");
  CHECK(s == "a\\tb\\nc\\rd\\\\e \"f\",g");
}

TEST_CASE("RecordWriter writes text records", "[io]") {
  const std::string got = write_records(
      OutputFormat::kText,
      {Json{{"source", "a.txt:3"}, {"output", "whoami"}}, Json{{"output", "two\nlines\x1b"}},
       Json{{"output", 42}}, Json{{"output", Json::array({1, "x"})}}, Json{{"other", "no output"}},
       Json("bare string"), Json{{"output", "bad \xff utf8"}}});
  CHECK(got == "whoami\ntwo\nlines\x1b\n42\n[1,\"x\"]\n\nbare string\nbad \xff utf8\n");
}

TEST_CASE("RecordWriter writes text with another key and terminator", "[io]") {
  const std::string got = capture([](ioc::io::Output& out) {
    RecordWriter w(out, OutputFormat::kText, {}, "decoded", '\0');
    w.write(Json{{"decoded", "a"}, {"output", "b"}});
    w.write(Json{{"decoded", "c"}});
  });
  CHECK(got == std::string("a\0c\0", 4));
}

TEST_CASE("RecordWriter writes JSON lines that always parse", "[io]") {
  const std::string got = write_records(
      OutputFormat::kJsonl,
      {Json{{"source", "a.txt:3"}, {"output", "whoami"}},
       Json{{"s", "q\"uote,comma\nnl\ttab"}, {"n", 1.5}, {"b", false}, {"z", nullptr}},
       Json{{"bad", "x\xffy"}}});
  std::istringstream lines(got);
  std::string line;
  std::vector<Json> parsed;
  while (std::getline(lines, line)) parsed.push_back(Json::parse(line));
  REQUIRE(parsed.size() == 3);
  CHECK(got.substr(0, got.find('\n')) == R"({"source":"a.txt:3","output":"whoami"})");
  CHECK(parsed[1]["s"] == "q\"uote,comma\nnl\ttab");
  CHECK(parsed[1]["n"] == 1.5);
  CHECK(parsed[1]["z"].is_null());
  CHECK(parsed[2]["bad"] == "x\xEF\xBF\xBDy");  // U+FFFD
}

TEST_CASE("RecordWriter writes CSV with a header from the first record", "[io]") {
  std::vector<std::string> dropped;
  const std::string got = write_records(
      OutputFormat::kCsv,
      {Json{{"source", "a.txt:1"}, {"output", "x,y"}},
       Json{{"output", "say \"hi\"\nbye"}, {"source", "a.txt:2"}, {"extra", 1}},
       Json{{"source", "a.txt:3"}},
       Json{{"source", 7}, {"output", Json{{"k", "v"}}}, {"more", true}},
       Json{{"source", true}, {"output", nullptr}},
       Json{{"source", "bad\xff"}, {"output", Json::array({1, "a,b"})}, {"extra", 2}}},
      {}, &dropped);
  CHECK(got ==
        "source,output\n"
        "a.txt:1,\"x,y\"\n"
        "a.txt:2,\"say \"\"hi\"\"\nbye\"\n"
        "a.txt:3,\n"
        "7,\"{\"\"k\"\":\"\"v\"\"}\"\n"
        "true,\n"
        "bad\xff,\"[1,\"\"a,b\"\"]\"\n");
  CHECK(dropped == std::vector<std::string>{"extra", "more"});
}

TEST_CASE("RecordWriter writes the given CSV columns", "[io]") {
  const std::string got = write_records(
      OutputFormat::kCsv, {Json{{"a", "1"}, {"b", "2"}, {"c", "3"}}, Json{{"c", "z"}}},
      {"c", "a", "missing"});
  CHECK(got == "c,a,missing\n3,1,\nz,,\n");
}

TEST_CASE("RecordWriter writes TSV with escapes", "[io]") {
  std::vector<std::string> dropped;
  const std::string got = write_records(
      OutputFormat::kTsv,
      {Json{{"source", "a\tb"}, {"output", "line1\nline2\r\\"}},
       Json{{"source", "s"}, {"output", 3}, {"new", "x"}}, Json{{"output", "only, \"commas\""}}},
      {}, &dropped);
  CHECK(got ==
        "source\toutput\n"
        "a\\tb\tline1\\nline2\\r\\\\\n"
        "s\t3\n"
        "\tonly, \"commas\"\n");
  CHECK(dropped == std::vector<std::string>{"new"});
}

TEST_CASE("RecordWriter writes non-object records as the text column", "[io]") {
  const std::string got = write_records(OutputFormat::kCsv, {Json("a,b"), Json(5)});
  CHECK(got == "output\n\"a,b\"\n5\n");
}

TEST_CASE("RecordWriter escapes text for a terminal", "[io]") {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    WARN("no pseudo-terminal available; skipped");
    if (master >= 0) ::close(master);
    return;
  }
  const int slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
  REQUIRE(slave >= 0);
  {
    ioc::io::Output out(slave);
    REQUIRE(out.is_tty());
    RecordWriter w(out, OutputFormat::kText);
    w.write(Json{{"output", "a\x1b[2Jb"}});
    pollfd pfd{master, POLLIN, 0};
    REQUIRE(::poll(&pfd, 1, 2000) == 1);
    char buf[64];
    const ssize_t n = ::read(master, buf, sizeof buf);
    REQUIRE(n >= 9);
    CHECK(std::string(buf, 9) == "a\\x1b[2Jb");
  }
  ::close(slave);
  ::close(master);
}
