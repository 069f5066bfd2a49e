// ioc/events/record_assembler.hpp — one record per event from line-oriented
// input, also when the JSON is pretty-printed or wrapped in an array.
//
//   events::RecordAssembler a;
//   for each line (number n):
//     a.feed(line, n, [&](std::string_view record, std::uint64_t first_line) {...},
//                     [&](std::string_view error, std::uint64_t line) {...});
//   a.finish(on_error);                       // at the end of each input
//
// Lines that do not start a JSON value (XML, CSV, text) are passed through as
// they are. A JSON object is handed over once its closing brace arrives, with
// the number of the line where it began: one object per line (JSON lines)
// costs one scan of the line and no copy; an object spread over many lines
// (`{` / `  "Event": {` / ... / `}`, as EVTX-to-JSON converters and SigmaHQ's
// regression data write) is joined; several concatenated objects, and the
// elements of a top-level array (`[ {...}, {...} ]`, as many exporters write),
// each become one record, so an exported array streams instead of being one
// document. A record over 16 MiB, a scalar inside a top-level array, or text
// between objects is an error; an object still open at finish() is an error.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace ioc::events {

class RecordAssembler {
 public:
  using RecordFn = std::function<void(std::string_view record, std::uint64_t first_line)>;
  using ErrorFn = std::function<void(std::string_view message, std::uint64_t line)>;

  void feed(std::string_view line, std::uint64_t line_no, const RecordFn& on_record,
            const ErrorFn& on_error);
  /// Ends one input: reports an unterminated object and resets.
  void finish(const ErrorFn& on_error);

  static constexpr std::size_t kMaxRecord = 16u * 1024 * 1024;

 private:
  void reset_object();

  std::string buffer_;      // the object so far (when it spans lines)
  bool in_object_ = false;  // inside a top-level object
  bool in_array_ = false;   // inside a top-level array, between elements
  bool skipping_ = false;   // after an error: drop text until the object ends
  int depth_ = 0;           // { and [ nesting inside the object
  bool in_string_ = false;
  bool escape_ = false;
  std::uint64_t first_line_ = 0;
};

}  // namespace ioc::events
