// The loop every tool runs: inputs -> records -> callback.
#include "ioc/io/records.hpp"

#include <poll.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ioc/io/binary.hpp"
#include "ioc/io/file.hpp"
#include "ioc/io/line_reader.hpp"

namespace ioc::io {
namespace {

// Whether reading `fd` would not wait: bytes, the end of input or an error
// are there.
bool input_waiting(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

// Feeds the records of one input to the callback.
class InputLoop {
 public:
  InputLoop(const InputOptions& options, Diagnostics& diag,
            const std::function<bool(Record&)>& callback, std::string_view name)
      : options_(options), diag_(diag), callback_(callback), name_(name) {
    if (!options_.field.empty())
      selector_.emplace(options_.field, options_.field_format, options_.max_line,
                        options_.max_nesting);
  }

  // One record (a line, or the whole input); false when the callback stops the loop.
  // `pause`: no next record is read yet (Record::pause).
  bool record(std::string_view text, std::uint64_t number, std::uint64_t offset,
              bool pause = true) {
    const Source source{name_, number, offset};
    if (!selector_) {
      diag_.count_read();
      Record rec{source, text, nullptr, RecordKind::kText, pause};
      return callback_(rec);
    }
    if (!selector_->pending()) record_start_ = source;  // a CSV record may span lines
    auto status = selector_->parse(text);
    if (!status) {
      diag_.count_read();
      diag_.record_error(record_start_, status.error().describe());
      // A header without the column: nothing else in this input can be selected.
      if (status.error().code == ErrorCode::kNotFound && !selector_->columns().empty())
        done_ = true;
      return true;
    }
    if (*status != FieldSelector::Status::kRecord) return true;
    diag_.count_read();
    Record rec{record_start_, selector_->value(), &selector_->record(), RecordKind::kText, pause};
    return callback_(rec);
  }

  // Whole lines at once (InputOptions::line_runs); false when the callback
  // stops the loop.
  bool lines(const LineRun& run, bool pause) {
    diag_.count_read(run.count);
    Record rec{Source{name_, run.number, run.offset},
               run.text,
               nullptr,
               RecordKind::kLines,
               pause,
               run.count};
    return callback_(rec);
  }

  // A string of a binary input; false when the callback stops the loop.
  bool string(const BinaryString& s) {
    diag_.count_read();
    // A binary's strings come many to a chunk read: no pause between them.
    Record rec{Source{name_, s.line, s.offset}, s.text, nullptr,
               s.wide ? RecordKind::kWideString : RecordKind::kPrintableRun, false};
    return callback_(rec);
  }

  // A line that was too long to hand over.
  void overlong(std::uint64_t number, std::uint64_t offset) {
    diag_.count_read();
    diag_.record_error(
        Source{name_, number, offset},
        "line longer than --max-line (" + format_size(options_.max_line) + "); skipped");
    // A CSV record that spanned it cannot be completed correctly.
    if (selector_ && selector_->pending()) (void)selector_->finish();
  }

  // End of input: a CSV record still open is an error.
  void finish() {
    if (!selector_) return;
    auto end = selector_->finish();
    if (!end) {
      diag_.count_read();
      diag_.record_error(record_start_, end.error().describe());
    }
  }

  bool done() const noexcept { return done_; }

 private:
  const InputOptions& options_;
  Diagnostics& diag_;
  const std::function<bool(Record&)>& callback_;
  std::string_view name_;
  std::optional<FieldSelector> selector_;
  Source record_start_;
  bool done_ = false;
};

// `prefix`: the input's first bytes, already read (to detect binary input).
bool read_lines(const InputOptions& options, Diagnostics& diag, const InputFile& in,
                InputLoop& loop, std::string prefix) {
  LineReaderOptions ro;
  ro.separator = options.separator;
  ro.max_line = options.max_line;
  ro.chunk_size = options.chunk_size;
  ro.overlong = Overlong::kSkip;
  LineReader reader(in.fd(), ro, std::move(prefix));
  Line line;
  const bool runs = options.line_runs > 0 && options.field.empty();
  // The input pauses when no whole record is buffered and no byte waits to be
  // read (a regular file never waits; a followed log does).
  const auto pause = [&] { return !reader.ready() && !input_waiting(in.fd()); };
  LineRun run;
  while (!loop.done()) {
    if (runs && reader.take_run(run, options.line_runs) > 0) {
      if (!loop.lines(run, pause())) return false;
      continue;
    }
    auto more = reader.next(line);
    if (!more) {
      diag.io_error(in.name() + ": " + more.error().message);
      break;
    }
    if (!*more) break;
    if (line.overlong) {
      loop.overlong(line.number, line.offset);
      continue;
    }
    if (!loop.record(line.text, line.number, line.offset, pause())) return false;
  }
  loop.finish();
  return true;
}

// A binary input: its strings, read in chunks after `prefix` (its first bytes).
bool read_binary(const InputOptions& options, Diagnostics& diag, const InputFile& in,
                 InputLoop& loop, std::string_view prefix) {
  StringsFinder finder({.min_run = 4, .max_len = options.max_line, .wide = options.wide});
  const StringsFinder::Callback out = [&](const BinaryString& s) { return loop.string(s); };
  const std::size_t chunk = std::max<std::size_t>(options.chunk_size, 1);
  for (std::size_t at = 0; at < prefix.size(); at += chunk)
    if (!finder.feed(prefix.substr(at, chunk), out)) return false;
  std::unique_ptr<char[]> buf(new char[chunk]);
  while (true) {
    auto got = read_some(in.fd(), buf.get(), chunk);
    if (!got) {
      diag.io_error(in.name() + ": " + got.error().message);
      return true;
    }
    if (*got == 0) break;
    if (!finder.feed(std::string_view(buf.get(), *got), out)) return false;
  }
  return finder.finish(out);
}

bool read_whole(const InputOptions& options, Diagnostics& diag, const InputFile& in,
                InputLoop& loop) {
  auto all = read_all(in.fd(), options.max_line);
  if (!all) {
    if (all.error().code == ErrorCode::kLimitExceeded) {
      diag.count_read();
      diag.record_error(Source{in.name(), 0, 0},
                        "input larger than --max-line (" + format_size(options.max_line) + ")");
    } else {
      diag.io_error(in.name() + ": " + all.error().message);
    }
    return true;
  }
  const std::string_view text = *all;
  // JSON: the whole input is one document. CSV/TSV: a header and rows, line by line.
  bool csv = false;
  if (!options.field.empty()) {
    if (options.field_format == RecordFormat::kCsv || options.field_format == RecordFormat::kTsv) {
      csv = true;
    } else if (options.field_format == RecordFormat::kAuto) {
      std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
      while (i < text.size() &&
             (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        ++i;
      csv = i < text.size() && text[i] != '{';
    }
  }
  if (!csv) return loop.record(text, 0, 0);
  std::uint64_t number = 0;
  std::size_t start = 0;
  while (start < text.size() && !loop.done()) {
    std::size_t end = text.find(options.separator, start);
    const std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (options.separator == '\n' && next != end && !line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    if (!loop.record(line, ++number, start, next >= text.size())) return false;
    start = next;
  }
  loop.finish();
  return true;
}

}  // namespace

bool for_each_record(const InputOptions& options, Diagnostics& diag,
                     const std::function<bool(Record&)>& callback) {
  static const std::vector<std::string> kStdinOnly{"-"};
  const std::vector<std::string>& paths = options.paths.empty() ? kStdinOnly : options.paths;
  // Only line records of text separated by newlines tell binary input apart.
  const bool detect = options.binary == BinaryInput::kAuto && !options.whole &&
                      options.field.empty() && options.separator == '\n';
  for (const std::string& path : paths) {
    auto in = InputFile::open(path);
    if (!in) {
      diag.io_error(in.error().message);
      continue;
    }
    InputLoop loop(options, diag, callback, in->name());
    if (options.whole) {
      if (!read_whole(options, diag, *in, loop)) return false;
      continue;
    }
    std::string prefix;
    if (detect) {
      prefix.resize(kBinaryPeek);
      auto got = read_some(in->fd(), prefix.data(), prefix.size());
      if (!got) {
        diag.io_error(in->name() + ": " + got.error().message);
        continue;
      }
      prefix.resize(*got);
      if (looks_binary(prefix)) {
        if (!read_binary(options, diag, *in, loop, prefix)) return false;
        continue;
      }
    }
    if (!read_lines(options, diag, *in, loop, std::move(prefix))) return false;
  }
  return true;
}

}  // namespace ioc::io
