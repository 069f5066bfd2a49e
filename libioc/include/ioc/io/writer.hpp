// ioc/io/writer.hpp — one output record per line, in the format the user asked for.
//
//   RecordWriter w(out, OutputFormat::kJsonl);
//   nlohmann::ordered_json rec = {{"source", "a.txt:3"}, {"output", "whoami"}};
//   w.write(rec);        // {"source":"a.txt:3","output":"whoami"}
//
// Formats:
//  * kText: the string in `text_key` (default "output") written as is, then the
//    record terminator; when the output is a terminal, escaped with
//    escape_for_terminal. Non-string values are written as JSON.
//  * kJsonl: the whole record as one line of compact JSON (nlohmann-json; ill-formed
//    UTF-8 in strings becomes U+FFFD, so the line always parses).
//  * kCsv: RFC 4180 with a header line; kTsv: tab-separated with a header line,
//    and \t \n \r \\ inside values written as \t \n \r \\. Columns are the given
//    ones, or the keys of the first record; keys a later record lacks are empty;
//    keys it adds are dropped (reported once by dropped_keys()). Arrays and objects
//    are written as JSON text, null as empty, booleans as true/false.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ioc/core/result.hpp"
#include "ioc/io/output.hpp"

namespace ioc::io {

enum class OutputFormat { kText, kJsonl, kCsv, kTsv };

/// "text", "jsonl", "csv", "tsv" -> format; else kUsage naming the choices.
Result<OutputFormat> parse_output_format(std::string_view name);
std::string_view output_format_name(OutputFormat format) noexcept;

class RecordWriter {
 public:
  RecordWriter(Output& out, OutputFormat format, std::vector<std::string> columns = {},
               std::string text_key = "output", char terminator = '\n');

  void write(const nlohmann::ordered_json& record);

  OutputFormat format() const noexcept { return format_; }
  /// CSV/TSV: keys that appeared after the header was fixed and were not written.
  const std::vector<std::string>& dropped_keys() const noexcept { return dropped_; }

 private:
  void write_header();
  void write_cell(const nlohmann::ordered_json& value);

  Output& out_;
  OutputFormat format_;
  std::vector<std::string> columns_;
  std::string text_key_;
  char terminator_;
  bool header_written_ = false;
  std::vector<std::string> dropped_;
  std::string scratch_;
};

/// RFC 4180 quoting of one CSV cell (quoted only when it holds , " CR or LF).
void append_csv_cell(std::string& out, std::string_view cell);
/// TSV escaping of one cell (\t \n \r \\ as two-character escapes).
void append_tsv_cell(std::string& out, std::string_view cell);

}  // namespace ioc::io
