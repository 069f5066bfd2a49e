#include "ioc/io/fields.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using ioc::ErrorCode;
using ioc::io::FieldSelector;
using ioc::io::parse_record_format;
using ioc::io::RecordFormat;
using Status = ioc::io::FieldSelector::Status;

namespace {

Status ok(ioc::Result<Status> r) {
  if (!r) FAIL("unexpected error: " << r.error().describe());
  return *r;
}

}  // namespace

TEST_CASE("parse_record_format knows the format names", "[io]") {
  CHECK(*parse_record_format("auto") == RecordFormat::kAuto);
  CHECK(*parse_record_format("jsonl") == RecordFormat::kJsonl);
  CHECK(*parse_record_format("json") == RecordFormat::kJsonl);
  CHECK(*parse_record_format("csv") == RecordFormat::kCsv);
  CHECK(*parse_record_format("tsv") == RecordFormat::kTsv);
  auto bad = parse_record_format("xml");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == ErrorCode::kUsage);
  CHECK(bad.error().message.find("xml") != std::string::npos);
}

TEST_CASE("FieldSelector selects a JSON field and keeps the record", "[io]") {
  FieldSelector sel("CommandLine");
  CHECK(sel.format() == RecordFormat::kAuto);
  CHECK(sel.field() == "CommandLine");
  CHECK(ok(sel.parse("")) == Status::kEmpty);
  CHECK(ok(sel.parse("   ")) == Status::kEmpty);
  CHECK(sel.format() == RecordFormat::kAuto);
  REQUIRE(ok(sel.parse(R"({"Host":"pc1","CommandLine":"powershell -enc AA==","Pid":42})")) ==
          Status::kRecord);
  CHECK(sel.format() == RecordFormat::kJsonl);
  CHECK(sel.value() == "powershell -enc AA==");
  CHECK(sel.columns().empty());
  auto& rec = sel.record();
  CHECK(rec["Host"] == "pc1");
  rec["CommandLine_decoded"] = "x";
  CHECK(
      rec.dump() ==
      R"({"Host":"pc1","CommandLine":"powershell -enc AA==","Pid":42,"CommandLine_decoded":"x"})");
  CHECK(ok(sel.parse("  \t ")) == Status::kEmpty);
  REQUIRE(ok(sel.parse(R"(  {"CommandLine":"second"}  )")) == Status::kRecord);
  CHECK(sel.value() == "second");
}

TEST_CASE("FieldSelector looks up a literal key before a dotted path", "[io]") {
  FieldSelector sel("process.command_line");
  REQUIRE(ok(sel.parse(R"({"process.command_line":"flat","process":{"command_line":"nested"}})")) ==
          Status::kRecord);
  CHECK(sel.value() == "flat");
  REQUIRE(ok(sel.parse(R"({"process":{"command_line":"nested"}})")) == Status::kRecord);
  CHECK(sel.value() == "nested");
  FieldSelector deep("Event.EventData.CommandLine");
  REQUIRE(ok(deep.parse(R"({"Event":{"EventData":{"CommandLine":"cmd /c dir"}}})")) ==
          Status::kRecord);
  CHECK(deep.value() == "cmd /c dir");
  auto missing = deep.parse(R"({"Event":{"EventData":"flat string"}})");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::kNotFound);
}

TEST_CASE("FieldSelector turns numbers and booleans into JSON text", "[io]") {
  FieldSelector sel("v");
  REQUIRE(ok(sel.parse(R"({"v":42})")) == Status::kRecord);
  CHECK(sel.value() == "42");
  REQUIRE(ok(sel.parse(R"({"v":-1.5})")) == Status::kRecord);
  CHECK(sel.value() == "-1.5");
  REQUIRE(ok(sel.parse(R"({"v":true})")) == Status::kRecord);
  CHECK(sel.value() == "true");
  REQUIRE(ok(sel.parse(R"({"v":18446744073709551615})")) == Status::kRecord);
  CHECK(sel.value() == "18446744073709551615");
  REQUIRE(ok(sel.parse(R"({"v":"caf\u00e9 \"q\""})")) == Status::kRecord);
  CHECK(sel.value() == "café \"q\"");
  for (const char* line : {R"({"v":null})", R"({"v":{"a":1}})", R"({"v":[1,2]})"}) {
    auto r = sel.parse(line);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kInvalidInput);
    CHECK(r.error().message.find("'v'") != std::string::npos);
  }
}

TEST_CASE("FieldSelector reports missing fields and bad JSON", "[io]") {
  FieldSelector sel("CommandLine", RecordFormat::kJsonl);
  auto missing = sel.parse(R"({"Image":"cmd.exe"})");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(missing.error().message == "no field 'CommandLine' in record");

  auto bad = sel.parse(R"({"CommandLine": x})");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == ErrorCode::kInvalidInput);
  CHECK(bad.error().message.rfind("invalid JSON: ", 0) == 0);
  CHECK(bad.error().has_offset());
  CHECK(bad.error().offset == 16);

  auto truncated = sel.parse(R"({"CommandLine": "abc)");
  REQUIRE_FALSE(truncated.has_value());
  CHECK(truncated.error().message.rfind("invalid JSON: ", 0) == 0);

  auto trailing = sel.parse(R"({"CommandLine":"a"} x)");
  REQUIRE_FALSE(trailing.has_value());
  CHECK(trailing.error().code == ErrorCode::kInvalidInput);

  auto utf8 = sel.parse("{\"CommandLine\":\"\xff\"}");
  REQUIRE_FALSE(utf8.has_value());
  CHECK(utf8.error().code == ErrorCode::kInvalidInput);

  auto array = sel.parse(R"([1,2,3])");
  REQUIRE_FALSE(array.has_value());
  CHECK(array.error().message.find("not an object") != std::string::npos);

  // A CSV-looking line in JSON mode is bad JSON, not a CSV header.
  auto csv = sel.parse("a,b,c");
  REQUIRE_FALSE(csv.has_value());
  CHECK(csv.error().code == ErrorCode::kInvalidInput);

  // The selector goes on after errors.
  REQUIRE(ok(sel.parse(R"({"CommandLine":"ok"})")) == Status::kRecord);
  CHECK(sel.value() == "ok");
}

TEST_CASE("FieldSelector bounds JSON nesting", "[io]") {
  FieldSelector sel("a", RecordFormat::kAuto, 1 << 20, 8);
  REQUIRE(ok(sel.parse(R"({"a":"x","b":[[[[[[1]]]]]]})")) == Status::kRecord);  // depth 7
  auto deep = sel.parse(R"({"a":"x","b":[[[[[[[[1]]]]]]]]})");
  REQUIRE_FALSE(deep.has_value());
  CHECK(deep.error().code == ErrorCode::kLimitExceeded);
  // Far deeper than any stack would take, with the default bound.
  FieldSelector def("a");
  const std::string bomb = "{\"a\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
  auto r = def.parse(bomb);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kLimitExceeded);
  const std::string open_bomb = std::string(500000, '{');
  auto o = def.parse(open_bomb);
  REQUIRE_FALSE(o.has_value());
}

TEST_CASE("FieldSelector bounds JSON line length", "[io]") {
  FieldSelector sel("a", RecordFormat::kJsonl, 16);
  REQUIRE(ok(sel.parse(R"({"a":"short"})")) == Status::kRecord);
  auto r = sel.parse(R"({"a":"much longer than sixteen"})");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kLimitExceeded);
}

TEST_CASE("FieldSelector reads a CSV header and rows", "[io]") {
  FieldSelector sel("CommandLine");
  CHECK(ok(sel.parse("")) == Status::kEmpty);
  REQUIRE(ok(sel.parse("Time,Host,CommandLine")) == Status::kHeader);
  CHECK(sel.format() == RecordFormat::kCsv);
  CHECK(sel.columns() == std::vector<std::string>{"Time", "Host", "CommandLine"});
  REQUIRE(ok(sel.parse("10:00,pc1,cmd /c whoami")) == Status::kRecord);
  CHECK(sel.value() == "cmd /c whoami");
  CHECK(sel.record().dump() == R"({"Time":"10:00","Host":"pc1","CommandLine":"cmd /c whoami"})");
  CHECK(ok(sel.parse("")) == Status::kEmpty);
  REQUIRE(ok(sel.parse(R"(10:01,"pc,2","echo ""hi"", there")")) == Status::kRecord);
  CHECK(sel.value() == R"(echo "hi", there)");
  CHECK(sel.record()["Host"] == "pc,2");
  // Empty cells and a quoted empty cell.
  REQUIRE(ok(sel.parse(R"(,,"")")) == Status::kRecord);
  CHECK(sel.value() == "");
  CHECK(sel.record().dump() == R"({"Time":"","Host":"","CommandLine":""})");
}

TEST_CASE("FieldSelector pads short rows and names extra cells", "[io]") {
  FieldSelector sel("b", RecordFormat::kCsv);
  REQUIRE(ok(sel.parse("a,b")) == Status::kHeader);
  REQUIRE(ok(sel.parse("1")) == Status::kRecord);
  CHECK(sel.value() == "");
  CHECK(sel.record().dump() == R"({"a":"1","b":""})");
  REQUIRE(ok(sel.parse("1,2,3,4")) == Status::kRecord);
  CHECK(sel.value() == "2");
  CHECK(sel.record().dump() == R"({"a":"1","b":"2","_extra1":"3","_extra2":"4"})");
  REQUIRE(ok(sel.parse("1,2,")) == Status::kRecord);
  CHECK(sel.record().dump() == R"({"a":"1","b":"2","_extra1":""})");
}

TEST_CASE("FieldSelector joins multi-line quoted CSV fields", "[io]") {
  FieldSelector sel("script", RecordFormat::kAuto, 64);
  REQUIRE(ok(sel.parse("id,script")) == Status::kHeader);
  CHECK(ok(sel.parse("1,\"line one")) == Status::kNeedMore);
  CHECK(sel.pending());
  CHECK(ok(sel.parse("")) == Status::kNeedMore);  // an empty line inside the field
  CHECK(ok(sel.parse("line, \"\"three\"\"")) == Status::kNeedMore);
  REQUIRE(ok(sel.parse("end\"")) == Status::kRecord);
  CHECK_FALSE(sel.pending());
  CHECK(sel.value() == "line one\n\nline, \"three\"\nend");
  CHECK(ok(sel.finish()) == Status::kEmpty);

  // An unterminated field at the end of the input.
  CHECK(ok(sel.parse("2,\"open")) == Status::kNeedMore);
  auto end = sel.finish();
  REQUIRE_FALSE(end.has_value());
  CHECK(end.error().code == ErrorCode::kInvalidInput);
  CHECK(end.error().message == "unterminated quoted field");
  CHECK_FALSE(sel.pending());
  REQUIRE(ok(sel.parse("3,fine")) == Status::kRecord);
  CHECK(sel.value() == "fine");

  // A field that never closes is bounded by max_line.
  CHECK(ok(sel.parse("4,\"" + std::string(30, 'x'))) == Status::kNeedMore);
  auto big = sel.parse(std::string(40, 'y'));
  REQUIRE_FALSE(big.has_value());
  CHECK(big.error().code == ErrorCode::kLimitExceeded);
  CHECK(big.error().message.find("unterminated quoted field") != std::string::npos);
  CHECK_FALSE(sel.pending());
  REQUIRE(ok(sel.parse("5,next")) == Status::kRecord);
  CHECK(sel.value() == "next");
}

TEST_CASE("FieldSelector reports a missing CSV column once", "[io]") {
  FieldSelector sel("CommandLine");
  auto header = sel.parse("Time,Host");
  REQUIRE_FALSE(header.has_value());
  CHECK(header.error().code == ErrorCode::kNotFound);
  CHECK(header.error().message.find("'CommandLine'") != std::string::npos);
  CHECK(header.error().message.find("Time, Host") != std::string::npos);
  CHECK(ok(sel.parse("1,pc1")) == Status::kEmpty);
  CHECK(ok(sel.parse("2,pc2")) == Status::kEmpty);
}

TEST_CASE("FieldSelector detects TSV and honours explicit formats", "[io]") {
  FieldSelector tsv("cmd");
  REQUIRE(ok(tsv.parse("host\tcmd")) == Status::kHeader);
  CHECK(tsv.format() == RecordFormat::kTsv);
  REQUIRE(ok(tsv.parse("pc1\tdir, /s")) == Status::kRecord);
  CHECK(tsv.value() == "dir, /s");

  // A tab and a comma: CSV.
  FieldSelector csv("b");
  REQUIRE(ok(csv.parse("a\tx,b")) == Status::kHeader);
  CHECK(csv.format() == RecordFormat::kCsv);
  CHECK(csv.columns() == std::vector<std::string>{"a\tx", "b"});

  FieldSelector forced("b", RecordFormat::kTsv);
  REQUIRE(ok(forced.parse("a,x\tb")) == Status::kHeader);
  REQUIRE(ok(forced.parse("1,2\t\"q\tq\"")) == Status::kRecord);
  CHECK(forced.value() == "q\tq");

  // Explicit CSV, even for a line starting with '{'.
  FieldSelector brace("b", RecordFormat::kCsv);
  REQUIRE(ok(brace.parse("{a},b")) == Status::kHeader);
  CHECK(brace.columns().front() == "{a}");
}

TEST_CASE("FieldSelector strips a BOM and renames duplicate columns", "[io]") {
  FieldSelector sel("a");
  REQUIRE(ok(sel.parse("\xEF\xBB\xBF"
                       "a,b,a")) == Status::kHeader);
  CHECK(sel.columns() == std::vector<std::string>{"a", "b", "a_2"});
  REQUIRE(ok(sel.parse("1,2,3")) == Status::kRecord);
  CHECK(sel.value() == "1");
  CHECK(sel.record().dump() == R"({"a":"1","b":"2","a_2":"3"})");

  FieldSelector json("a");
  REQUIRE(ok(json.parse("\xEF\xBB\xBF{\"a\":\"v\"}")) == Status::kRecord);
  CHECK(json.value() == "v");
}

TEST_CASE("FieldSelector is lenient with stray quotes", "[io]") {
  FieldSelector sel("b", RecordFormat::kCsv);
  REQUIRE(ok(sel.parse("a,b")) == Status::kHeader);
  REQUIRE(ok(sel.parse(R"(x"y,"q"z)")) == Status::kRecord);
  CHECK(sel.record()["a"] == "x\"y");
  CHECK(sel.value() == "qz");
}
