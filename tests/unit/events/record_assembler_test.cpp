// Unit tests of ioc/events/record_assembler.hpp.
#include "ioc/events/record_assembler.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

using ioc::events::RecordAssembler;

namespace {

struct Out {
  std::vector<std::pair<std::string, std::uint64_t>> records;
  std::vector<std::pair<std::string, std::uint64_t>> errors;
};

// Feeds `text` line by line (numbered from 1) and finishes.
Out run(const std::string& text) {
  RecordAssembler a;
  Out out;
  const auto on_record = [&](std::string_view r, std::uint64_t line) {
    out.records.emplace_back(std::string(r), line);
  };
  const auto on_error = [&](std::string_view m, std::uint64_t line) {
    out.errors.emplace_back(std::string(m), line);
  };
  std::uint64_t n = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    a.feed(std::string_view(text).substr(pos, nl - pos), ++n, on_record, on_error);
    pos = nl + 1;
  }
  a.finish(on_error);
  return out;
}

}  // namespace

TEST_CASE("record assembler: JSON lines, XML and CSV pass through one per line", "[events]") {
  const Out o = run("{\"a\": 1}\n<Event>x</Event>\nImage,CommandLine\n\n{\"b\": \"}{\"}\n");
  REQUIRE(o.errors.empty());
  REQUIRE(o.records.size() == 5);
  CHECK(o.records[0] == std::make_pair(std::string("{\"a\": 1}"), std::uint64_t{1}));
  CHECK(o.records[1].first == "<Event>x</Event>");
  CHECK(o.records[2].first == "Image,CommandLine");
  CHECK(o.records[3].first.empty());
  CHECK(o.records[4] == std::make_pair(std::string("{\"b\": \"}{\"}"), std::uint64_t{5}));
}

TEST_CASE("record assembler: pretty-printed objects are joined, with their first line",
          "[events]") {
  const Out o =
      run("{\n  \"Event\": {\n    \"x\": \"a { b\",\n    \"y\": [1, {\"z\": 2}]\n  }\n}\n"
          "{\n  \"second\": \"q\\\"}\"\n}\n");
  REQUIRE(o.errors.empty());
  REQUIRE(o.records.size() == 2);
  CHECK(o.records[0].second == 1);
  CHECK(o.records[0].first ==
        "{\n  \"Event\": {\n    \"x\": \"a { b\",\n    \"y\": [1, {\"z\": 2}]\n  }\n}");
  CHECK(o.records[1].second == 7);
  CHECK(o.records[1].first == "{\n  \"second\": \"q\\\"}\"\n}");
}

TEST_CASE("record assembler: a top-level array streams its elements", "[events]") {
  const Out o = run("[\n  {\"a\": 1},\n  {\n    \"b\": 2\n  }\n]\n[{\"c\": 3}, {\"d\": [4]}]\n");
  REQUIRE(o.errors.empty());
  REQUIRE(o.records.size() == 4);
  CHECK(o.records[0].first == "{\"a\": 1}");
  CHECK(o.records[0].second == 2);
  CHECK(o.records[1].first == "{\n    \"b\": 2\n  }");
  CHECK(o.records[1].second == 3);
  CHECK(o.records[2].first == "{\"c\": 3}");
  CHECK(o.records[3].first == "{\"d\": [4]}");
  CHECK(o.records[3].second == 7);
}

TEST_CASE("record assembler: concatenated objects on one line are separate records", "[events]") {
  const Out o = run("{\"a\": 1}{\"b\": 2}  {\"c\": 3}\n");
  REQUIRE(o.errors.empty());
  REQUIRE(o.records.size() == 3);
  CHECK(o.records[1].first == "{\"b\": 2}");
}

TEST_CASE("record assembler: errors name the line, and reading goes on", "[events]") {
  SECTION("an unterminated object at the end") {
    const Out o = run("{\"a\": 1}\n{\n  \"b\": 2\n");
    REQUIRE(o.records.size() == 1);
    REQUIRE(o.errors.size() == 1);
    CHECK(o.errors[0].second == 2);
    CHECK(o.errors[0].first.find("not closed") != std::string::npos);
  }
  SECTION("a scalar in an array, then a good element") {
    const Out o = run("[\n 42,\n {\"a\": 1}\n]\n");
    REQUIRE(o.errors.size() == 1);
    CHECK(o.errors[0].second == 2);
    REQUIRE(o.records.size() == 1);
    CHECK(o.records[0].first == "{\"a\": 1}");
  }
  SECTION("text after an object") {
    const Out o = run("{\"a\": 1} junk\n{\"b\": 2}\n");
    REQUIRE(o.errors.size() == 1);
    CHECK(o.errors[0].second == 1);
    REQUIRE(o.records.size() == 2);
  }
  SECTION("a BOM before the first object") {
    const Out o = run("\xEF\xBB\xBF{\"a\": 1}\n");
    REQUIRE(o.errors.empty());
    REQUIRE(o.records.size() == 1);
    CHECK(o.records[0].first == "{\"a\": 1}");
  }
}

TEST_CASE("record assembler: an object over the size bound is skipped, not buffered", "[events]") {
  RecordAssembler a;
  std::size_t records = 0, errors = 0;
  const auto on_record = [&](std::string_view, std::uint64_t) { ++records; };
  const auto on_error = [&](std::string_view, std::uint64_t) { ++errors; };
  a.feed("{", 1, on_record, on_error);
  const std::string chunk(1024 * 1024, 'x');
  std::uint64_t line = 2;
  for (int i = 0; i < 20; ++i) a.feed("\"" + chunk + "\",", line++, on_record, on_error);
  a.feed("\"end\": 1}", line++, on_record, on_error);
  a.feed("{\"next\": 1}", line++, on_record, on_error);
  a.finish(on_error);
  CHECK(errors == 1);
  CHECK(records == 1);  // only the next object
}

TEST_CASE("record assembler: backslash runs before a quote decide where a string ends",
          "[events]") {
  // "a\\" ends at its quote (an escaped backslash); "b\"}" does not.
  const Out o =
      run("{\"p\": \"C:\\\\\\\\\", \"q\": \"x\\\"}{\"}\n"
          "{\"r\": \"\\\\\\\\\\\\\\\"}\"}\n");
  REQUIRE(o.errors.empty());
  REQUIRE(o.records.size() == 2);
  CHECK(o.records[0].first == "{\"p\": \"C:\\\\\\\\\", \"q\": \"x\\\"}{\"}");
  CHECK(o.records[1].first == "{\"r\": \"\\\\\\\\\\\\\\\"}\"}");
}

TEST_CASE("record assembler: a string broken across lines keeps its escape state", "[events]") {
  // Not valid JSON (strings hold no raw newline), but the object must still end
  // where its braces say: the backslash at the end of line 1 escapes the quote
  // that starts line 2.
  const Out o = run("{\"a\": \"x\\\n\" still in the string }\", \"b\": 1}\n{\"c\": 2}\n");
  REQUIRE(o.errors.empty());
  REQUIRE(o.records.size() == 2);
  CHECK(o.records[0].second == 1);
  CHECK(o.records[1].first == "{\"c\": 2}");
}
