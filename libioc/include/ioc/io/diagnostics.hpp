// ioc/io/diagnostics.hpp — per-record messages, counts, and the exit code.
//
//   ioc::io::Diagnostics diag("psdecode");            // messages go to stderr
//   diag.count_read();
//   diag.record_error(src, "step 1 (from_base64): invalid base64 character '!' at offset 3");
//     // stderr: "psdecode: blobs.txt:7: step 1 (from_base64): invalid ... at offset 3"
//   diag.count_ok();
//   diag.print_summary();   // "psdecode: read 10, decoded 9, failed 1"
//   return diag.exit_code();
//
// Exit codes follow grep: 0 when at least one record succeeded (was decoded,
// matched ...), 1 when none did, 2 when a usage or I/O error happened (a file
// that cannot be opened or read) — unless `found` overrides, like grep -q.
// Record-level problems do not change the exit code by themselves: they are
// printed and counted, and the tool goes on with the next record.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "ioc/core/source.hpp"

namespace ioc::io {

class Diagnostics {
 public:
  /// `tool` prefixes every message; `ok_verb` names successes in the summary
  /// ("decoded", "matched"...). Messages go to `err` (std::cerr by default).
  explicit Diagnostics(std::string tool, std::string ok_verb = "ok");
  Diagnostics(std::string tool, std::string ok_verb, std::ostream& err);

  /// "tool: SOURCE: message"; counts nothing. Use for problems in a record
  /// that was nevertheless processed.
  void warning(const Source& source, std::string_view message);
  /// "tool: SOURCE: message" and counts the record as failed.
  void record_error(const Source& source, std::string_view message);
  /// "tool: message" for an I/O problem (unreadable file, write error): exit 2.
  void io_error(std::string_view message);
  /// "tool: message" for a usage problem: exit 2.
  void usage_error(std::string_view message);
  /// "tool: message" with no effect on counts or exit code.
  void note(std::string_view message);

  void count_read(std::uint64_t n = 1) noexcept { read_ += n; }
  void count_ok(std::uint64_t n = 1) noexcept { ok_ += n; }
  void count_failed(std::uint64_t n = 1) noexcept { failed_ += n; }

  std::uint64_t read() const noexcept { return read_; }
  std::uint64_t ok() const noexcept { return ok_; }
  std::uint64_t failed() const noexcept { return failed_; }
  std::uint64_t warnings() const noexcept { return warnings_; }
  bool had_error() const noexcept { return hard_error_; }

  /// Suppress record-level messages (warnings and record errors are still counted).
  void set_quiet(bool quiet) noexcept { quiet_ = quiet; }

  /// "read 10, decoded 9, failed 1" (and ", warnings N" when there were any).
  std::string summary() const;
  /// "tool: <summary>" on the error stream.
  void print_summary();

  /// 2 after an I/O or usage error, else 0 if ok() > 0, else 1.
  int exit_code() const noexcept;

  const std::string& tool() const noexcept { return tool_; }

 private:
  void emit(std::string_view prefix, std::string_view message);

  std::string tool_;
  std::string ok_verb_;
  std::ostream* err_;
  std::uint64_t read_ = 0, ok_ = 0, failed_ = 0, warnings_ = 0;
  bool hard_error_ = false;
  bool quiet_ = false;
};

}  // namespace ioc::io
