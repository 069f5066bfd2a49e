// ioc/io/records.hpp — the loop every tool runs: inputs -> records -> callback.
//
//   InputOptions in{.paths = {"a.log", "-"}, .field = "CommandLine"};
//   for_each_record(in, diag, [&](Record& rec) {
//     auto out = work(rec.text);
//     if (rec.fields) (*rec.fields)["CommandLine_decoded"] = out;
//     return !output.broken_pipe();       // false stops the loop
//   });
//
// For each path ("-" or none = standard input) it opens the input (an input that
// cannot be opened is reported with diag.io_error and the loop moves on to the
// next), reads records with LineReader (or the whole input with `whole`), and,
// with `field`, selects that field through FieldSelector. It counts every record
// read (diag.count_read); records it cannot hand over (longer than max_line,
// bad JSON or CSV, no such field) are reported with their FILE:LINE and counted
// failed. The callback counts successes and its own failures.
//
// Binary inputs (`binary` = kAuto; iocgrep's default, every other tool keeps
// kText): an input whose first kBinaryPeek bytes hold a NUL byte (io/binary.hpp)
// is not split into lines but read in chunks of chunk_size bytes, in constant
// memory, and its records are its printable runs (kPrintableRun) and, with
// `wide`, its UTF-16LE strings converted to ASCII (kWideString), as
// StringsFinder finds them: source.offset is the string's offset in the input,
// source.line 1 + the number of '\n' bytes before it; a string longer than
// max_line is handed over in pieces of max_line bytes (no error). Each one
// counts as a record read. Detection does not apply with `whole`, `field` or a
// NUL separator (-z: NULs are what separates the text records); a text input
// is read exactly as with kText.
//
// Lifetime: everything in a Record is valid only during the callback.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ioc/core/limits.hpp"
#include "ioc/core/source.hpp"
#include "ioc/io/binary.hpp"
#include "ioc/io/diagnostics.hpp"
#include "ioc/io/fields.hpp"

namespace ioc::io {

/// What to do with binary input: read it as text (lines), or detect it and read
/// its strings (grep's --binary-files=text, and strings(1)).
enum class BinaryInput { kText, kAuto };

/// What a Record's text is.
enum class RecordKind {
  kText,          ///< a line, a field's value or a whole input, as read
  kPrintableRun,  ///< a printable run of a binary input
  kWideString,    ///< a UTF-16LE string of a binary input, as ASCII: 2 × text.size() bytes
  kLines,         ///< `lines` whole lines, each followed by the separator (line_runs)
};

struct InputOptions {
  std::vector<std::string> paths{};  ///< empty = standard input
  char separator = '\n';             ///< '\0' for -z
  std::size_t max_line = Limits{}.max_line;
  bool whole = false;   ///< one record per input (bounded by max_line)
  std::string field{};  ///< empty = the record is the line itself
  RecordFormat field_format = RecordFormat::kAuto;
  std::size_t max_nesting = Limits{}.max_nesting;
  BinaryInput binary = BinaryInput::kText;  ///< kAuto: binary inputs as strings
  bool wide = false;                        ///< binary inputs: also UTF-16LE strings
  std::size_t chunk_size = 256 * kKiB;      ///< bytes per read(2) (small in tests)
  /// > 0: lines that need no care (LineReader::take_run) may come as kLines
  /// records of up to this many bytes, several lines each, without a copy.
  /// Not with `field`.
  std::size_t line_runs = 0;
};

struct Record {
  Source source;                             ///< input name, record number, byte offset
  std::string_view text;                     ///< the line, the whole input, or the field's value
  nlohmann::ordered_json* fields = nullptr;  ///< with `field`: the parsed record, to enrich
  RecordKind kind = RecordKind::kText;
  /// The input may pause after this record: no next one is buffered and no
  /// byte waits to be read (lines: a followed log or a slow pipe, never a
  /// regular file; also the last record of a whole input). A consumer that
  /// gathers records or output should hand them on here, so that a followed
  /// log shows its hits.
  bool pause = true;
  /// kLines: how many lines `text` holds; source is the first one's.
  std::uint64_t lines = 1;
};

/// Returns false if the callback stopped the loop, true otherwise.
bool for_each_record(const InputOptions& options, Diagnostics& diag,
                     const std::function<bool(Record&)>& callback);

}  // namespace ioc::io
