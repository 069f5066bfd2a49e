// ioc/io/line_reader.hpp — streaming records out of a file descriptor.
//
//   ioc::io::LineReader reader(fd, {.separator = '\n', .max_line = 1 << 20});
//   ioc::io::Line line;
//   while (true) {
//     auto more = reader.next(line);
//     if (!more) { report(more.error()); break; }   // kIo: read(2) failed
//     if (!*more) break;                            // end of input
//     if (line.overlong) { report_too_long(line); continue; }
//     use(line.text);
//   }
//
// Lifetime: `line.text` views the reader's buffer and is valid only until the
// next call to next(). Copy it to keep it.
//
// The reader read(2)s large chunks (chunk_size, 256 KiB by default) and never
// holds more than max_line + chunk_size bytes, whatever the input:
//  * records end at `separator` ('\n', or '\0' for -z); the separator is not
//    part of `text`; with '\n', one trailing '\r' is removed too (CRLF input);
//  * a last record without a separator is still returned; an empty input has none;
//  * a record longer than max_line is not buffered: with Overlong::kSkip it is
//    returned once with `overlong` set, `text` holding its first max_line bytes
//    and `length` its full length, and the rest is skipped; with Overlong::kSplit
//    it is returned in windows of max_line bytes, each but the last with
//    `continued` set (iocgrep scans those).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ioc/core/limits.hpp"
#include "ioc/core/result.hpp"

namespace ioc::io {

enum class Overlong { kSkip, kSplit };

struct LineReaderOptions {
  char separator = '\n';
  std::size_t max_line = Limits{}.max_line;
  std::size_t chunk_size = 256 * kKiB;
  Overlong overlong = Overlong::kSkip;
};

struct Line {
  std::string_view text;     ///< the record, without separator (and CR)
  std::uint64_t number = 0;  ///< 1-based record number
  std::uint64_t offset = 0;  ///< byte offset of the record's first byte (of this window for kSplit)
  std::uint64_t length = 0;  ///< kSkip + overlong: full length of the record; else text.size()
  bool overlong = false;     ///< longer than max_line
  bool continued = false;    ///< kSplit: more windows of the same record follow
};

/// Several whole records at once (LineReader::take_run).
struct LineRun {
  std::string_view text;     ///< the records, each followed by its separator
  std::uint64_t number = 0;  ///< the first record's number
  std::uint64_t offset = 0;  ///< the first record's byte offset
  std::uint64_t count = 0;   ///< how many records `text` holds
};

class LineReader {
 public:
  /// Reads from `fd`, which the caller keeps open and owns.
  explicit LineReader(int fd, LineReaderOptions options = {});
  /// As above, for a descriptor whose first bytes the caller has already read
  /// (to peek at them): `prefix` is returned first, as if read from `fd`, and
  /// held (besides the buffer) until it is.
  LineReader(int fd, LineReaderOptions options, std::string prefix);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// The next record: true and `line` filled, false at end of input, or kIo.
  Result<bool> next(Line& line);

  /// The whole records already buffered after the last one returned, up to
  /// max_bytes of them, as they stand in the input: what next() would return
  /// one by one, when it would return them as read. Stops before a record that
  /// next() treats (one ending in CR LF, one longer than max_line) and before
  /// one not yet whole; returns 0 when the first is such (call next() for it).
  /// Reads nothing. `run.text` is valid until the next call.
  std::uint64_t take_run(LineRun& run, std::size_t max_bytes);

  /// Whether a whole next record is buffered, so that next() will not wait for
  /// input. Lets a caller that gathers records hand them on (and flush its
  /// output) when the input pauses, as when following a growing log. The
  /// record last returned stays valid.
  bool ready();

  /// Bytes consumed from the descriptor (and the prefix) so far.
  std::uint64_t bytes_read() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ioc::io
