// ioc/io/fields.hpp — `--field NAME`: act on one field of JSON-lines or CSV records.
//
//   FieldSelector sel("CommandLine");                 // format detected from the first line
//   for each line:
//     auto r = sel.parse(line);
//     if (!r) { report(r.error()); continue; }        // bad JSON, missing field, bad CSV
//     if (*r != FieldSelector::Status::kRecord) continue;   // CSV header, or a quoted
//                                                      // field continues on the next line
//     decode(sel.value());
//     sel.record()["CommandLine_decoded"] = ...;       // pass the other fields through
//
// JSON lines: each line is one JSON object (nesting bounded by max_nesting).
// NAME is looked up as a literal key first ("process.command_line" in flattened
// ECS), then as a dotted path into nested objects (Event.EventData.CommandLine).
// A string value is selected as is; a number or boolean as its JSON text; null,
// objects and arrays are kInvalidInput. A record without the field is kNotFound.
//
// CSV (RFC 4180, ',' or with kTsv tab-separated): the first record is the header
// and names the columns; NAME must be one of them (kNotFound once, at the
// header, otherwise; later lines are then kEmpty). Quoted fields may hold
// separators, doubled quotes and line breaks (parse() returns kNeedMore until
// the record is complete; the partial record is bounded by max_line; call
// finish() at the end of the input). A row with fewer cells than the header
// leaves the rest empty; extra cells are named "_extra1", "_extra2"...
// record() holds the row as a JSON object keyed by the header, in column order.
//
// kAuto decides on the first non-empty line: '{' means JSON lines, else CSV
// (TSV when the header has a tab and no comma).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ioc/core/limits.hpp"
#include "ioc/core/result.hpp"

namespace ioc::io {

enum class RecordFormat { kAuto, kJsonl, kCsv, kTsv };

/// "auto", "jsonl"/"json", "csv", "tsv" -> format; else kUsage.
Result<RecordFormat> parse_record_format(std::string_view name);

class FieldSelector {
 public:
  enum class Status {
    kRecord,    ///< a record was parsed: value() and record() are valid
    kHeader,    ///< the CSV header was read; nothing to process
    kNeedMore,  ///< a quoted CSV field continues on the next line
    kEmpty,     ///< a blank line: nothing to process
  };

  explicit FieldSelector(std::string field, RecordFormat format = RecordFormat::kAuto,
                         std::size_t max_line = Limits{}.max_line,
                         std::size_t max_nesting = Limits{}.max_nesting);
  ~FieldSelector();
  FieldSelector(const FieldSelector&) = delete;
  FieldSelector& operator=(const FieldSelector&) = delete;

  Result<Status> parse(std::string_view line);
  /// Call at the end of an input: a CSV record whose quoted field is still open
  /// is kInvalidInput "unterminated quoted field" (and is dropped); else kEmpty.
  Result<Status> finish();
  /// Whether the last parse() returned kNeedMore (a CSV record continues).
  bool pending() const noexcept;

  /// The selected field of the last kRecord; valid until the next parse().
  std::string_view value() const noexcept;
  /// The whole last record, to enrich and write out.
  nlohmann::ordered_json& record() noexcept;
  /// CSV/TSV: the header's column names (empty for JSON lines).
  const std::vector<std::string>& columns() const noexcept;
  /// The format in use (kAuto until the first non-empty line).
  RecordFormat format() const noexcept;
  const std::string& field() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ioc::io
