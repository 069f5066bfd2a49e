#include "ioc/io/diagnostics.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using ioc::Source;
using ioc::io::Diagnostics;

TEST_CASE("Diagnostics formats record messages with their source", "[io]") {
  std::ostringstream err;
  Diagnostics diag("psdecode", "decoded", err);
  diag.record_error(Source{"blobs.txt", 7, 120},
                    "step 1 (from_base64): invalid base64 character '!' at offset 3");
  CHECK(err.str() ==
        "psdecode: blobs.txt:7: step 1 (from_base64): invalid base64 character '!' at offset 3\n");
  CHECK(diag.failed() == 1);
  err.str("");
  diag.warning(Source{"(stdin)", 3, 0}, "output truncated");
  CHECK(err.str() == "psdecode: (stdin):3: output truncated\n");
  CHECK(diag.warnings() == 1);
  CHECK(diag.failed() == 1);
  err.str("");
  diag.warning(Source{"whole.bin", 0, 0}, "binary input");
  CHECK(err.str() == "psdecode: whole.bin: binary input\n");
}

TEST_CASE("Diagnostics counts and summarizes", "[io]") {
  std::ostringstream err;
  Diagnostics diag("psdecode", "decoded", err);
  diag.count_read(10);
  diag.count_ok(9);
  diag.count_failed();
  CHECK(diag.read() == 10);
  CHECK(diag.ok() == 9);
  CHECK(diag.failed() == 1);
  CHECK(diag.summary() == "read 10, decoded 9, failed 1");
  diag.print_summary();
  CHECK(err.str() == "psdecode: read 10, decoded 9, failed 1\n");
  diag.warning(Source{"a", 1, 0}, "w");
  CHECK(diag.summary() == "read 10, decoded 9, failed 1, warnings 1");
  Diagnostics plain("tool", "ok", err);
  CHECK(plain.summary() == "read 0, ok 0, failed 0");
  CHECK(plain.tool() == "tool");
}

TEST_CASE("Diagnostics exit codes follow grep", "[io]") {
  std::ostringstream err;
  Diagnostics none("t", "ok", err);
  CHECK(none.exit_code() == 1);
  Diagnostics some("t", "ok", err);
  some.count_ok();
  CHECK(some.exit_code() == 0);
  some.record_error(Source{"f", 1, 0}, "bad record");
  CHECK(some.exit_code() == 0);  // record problems do not change it
  CHECK_FALSE(some.had_error());
  some.io_error("missing.log: No such file or directory");
  CHECK(some.had_error());
  CHECK(some.exit_code() == 2);
  Diagnostics usage("t", "ok", err);
  usage.usage_error("unknown option --foo");
  CHECK(usage.exit_code() == 2);
  CHECK(err.str().find("t: unknown option --foo\n") != std::string::npos);
}

TEST_CASE("Diagnostics io_error, usage_error and note print tool: message", "[io]") {
  std::ostringstream err;
  Diagnostics diag("iocgrep", "matched", err);
  diag.io_error("app.log: No such file or directory");
  diag.note("reading from the terminal");
  CHECK(err.str() ==
        "iocgrep: app.log: No such file or directory\niocgrep: reading from the terminal\n");
  CHECK(diag.failed() == 0);
  CHECK(diag.warnings() == 0);
}

TEST_CASE("Diagnostics quiet mode counts without printing", "[io]") {
  std::ostringstream err;
  Diagnostics diag("t", "ok", err);
  diag.set_quiet(true);
  diag.record_error(Source{"f", 2, 0}, "bad");
  diag.warning(Source{"f", 3, 0}, "odd");
  CHECK(err.str().empty());
  CHECK(diag.failed() == 1);
  CHECK(diag.warnings() == 1);
  diag.io_error("f: Permission denied");  // still printed
  CHECK(err.str() == "t: f: Permission denied\n");
}

TEST_CASE("Diagnostics escapes control bytes quoted from input", "[io]") {
  std::ostringstream err;
  Diagnostics diag("t", "ok", err);
  diag.record_error(Source{"f", 1, 0}, "invalid character '\x1b'");
  CHECK(err.str() == "t: f:1: invalid character '\\x1b'\n");
}
