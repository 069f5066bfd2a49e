// Streaming records out of a file descriptor with a bounded, reused buffer.
#include "ioc/io/line_reader.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include "ioc/io/file.hpp"
#include "ioc/text/ascii.hpp"

namespace ioc::io {

struct LineReader::Impl {
  int fd;
  LineReaderOptions opt;
  std::size_t max_cap;  // the buffer never grows beyond this

  std::unique_ptr<char[]> buf;
  std::size_t cap = 0;
  std::size_t begin = 0;           // first unconsumed byte
  std::size_t end = 0;             // end of valid data
  std::size_t scanned = 0;         // [begin, scanned) holds no separator
  std::uint64_t begin_offset = 0;  // input offset of buf[begin]
  std::uint64_t bytes_read = 0;
  std::uint64_t number = 0;
  bool in_split = false;  // kSplit: the next window continues the current record
  bool eof = false;
  bool failed = false;  // read(2) failed: no more records

  std::string prefix;  // bytes the caller read before us, returned first
  std::size_t prefix_used = 0;

  Impl(int f, LineReaderOptions o, std::string p) : fd(f), opt(o), prefix(std::move(p)) {
    if (opt.max_line == 0) opt.max_line = 1;
    if (opt.chunk_size == 0) opt.chunk_size = 1;
    // One byte more than max_line may be held to see whether a '\r' ends the line.
    const std::size_t room = std::max<std::size_t>(opt.chunk_size, 2);
    max_cap = opt.max_line > std::numeric_limits<std::size_t>::max() - room
                  ? std::numeric_limits<std::size_t>::max()
                  : opt.max_line + room;
  }

  // read(2) at most `n` bytes to buf + at; 0 at end of input.
  Result<std::size_t> read_into(std::size_t at, std::size_t n) {
    if (prefix_used < prefix.size()) {
      const std::size_t got = std::min(n, prefix.size() - prefix_used);
      std::memcpy(buf.get() + at, prefix.data() + prefix_used, got);
      prefix_used += got;
      if (prefix_used == prefix.size()) std::string().swap(prefix);
      bytes_read += got;
      return got;
    }
    auto got = read_some(fd, buf.get() + at, n);
    if (!got) {
      eof = failed = true;  // give up on this descriptor
      return got.error();
    }
    bytes_read += *got;
    return *got;
  }

  void reserve(std::size_t want) {
    want = std::min(want, max_cap);
    if (want <= cap) return;
    std::size_t grown = cap == 0 ? want : cap;
    while (grown < want) grown = grown > max_cap / 2 ? max_cap : grown * 2;
    std::unique_ptr<char[]> bigger(new char[grown]);
    if (end > begin) std::memcpy(bigger.get(), buf.get() + begin, end - begin);
    scanned -= begin;
    end -= begin;
    begin = 0;
    buf = std::move(bigger);
    cap = grown;
  }

  void compact() {
    if (begin == 0) return;
    if (end > begin) std::memmove(buf.get(), buf.get() + begin, end - begin);
    scanned -= begin;
    end -= begin;
    begin = 0;
  }

  // Reads one more chunk after `end`; false at end of input.
  Result<bool> fill() {
    if (cap - end < opt.chunk_size) {
      compact();
      if (cap - end < opt.chunk_size) reserve(end + opt.chunk_size);
    }
    const std::size_t n = std::min(opt.chunk_size, cap - end);
    auto got = read_into(end, n);
    if (!got) return std::move(got).error();
    if (*got == 0) {
      eof = true;
      return false;
    }
    end += *got;
    return true;
  }

  // Whether the `n` buffered bytes without a separator are more than a line may hold.
  bool surely_overlong(std::size_t n) const {
    if (n <= opt.max_line) return false;
    if (opt.separator != '\n' || n > opt.max_line + 1) return true;
    return buf[begin + opt.max_line] != '\r';  // may still be the CR of a CRLF
  }

  void emit(Line& line, std::size_t len, std::size_t full_len, bool overlong) {
    if (!in_split) ++number;
    line.text = std::string_view(buf.get() + begin, len);
    line.number = number;
    line.offset = begin_offset;
    line.length = full_len;
    line.overlong = overlong;
    line.continued = false;
  }

  void consume(std::size_t n) {
    begin += n;
    begin_offset += n;
    if (scanned < begin) scanned = begin;
  }

  // kSplit: hands out the next max_line bytes of a record that goes on.
  void emit_window(Line& line) {
    emit(line, opt.max_line, opt.max_line, true);
    line.continued = true;
    in_split = true;
    consume(opt.max_line);
  }

  // A complete record of `raw` bytes at `begin` (`terminated`: a separator follows).
  void emit_record(Line& line, std::size_t raw, bool terminated) {
    std::size_t len = raw;
    if (terminated && opt.separator == '\n' && len > 0 && buf[begin + len - 1] == '\r') --len;
    const bool overlong = len > opt.max_line || in_split;
    if (len > opt.max_line) {
      // kSkip (kSplit windows longer records before they get here).
      emit(line, opt.max_line, len, true);
    } else {
      emit(line, len, len, overlong);
    }
    in_split = false;
    consume(raw + (terminated ? 1 : 0));
  }

  // kSkip: returns the first max_line bytes and discards the rest of the record
  // chunk by chunk, without buffering it.
  Result<bool> skip_overlong(Line& line) {
    compact();
    reserve(opt.max_line + opt.chunk_size);
    std::uint64_t length = end;  // bytes of the record seen so far
    bool last_cr = end > 0 && buf[end - 1] == '\r';
    const std::size_t region = opt.max_line;
    const std::size_t room = std::min(opt.chunk_size, cap - region);
    const std::uint64_t record_offset = begin_offset;
    ++number;
    while (true) {
      auto got = read_into(region, room);
      if (!got) return std::move(got).error();
      if (*got == 0) {  // the record ends at the end of input
        eof = true;
        begin = end = scanned = region;
        begin_offset = record_offset + length;
        break;
      }
      const char* start = buf.get() + region;
      const char* sep = static_cast<const char*>(std::memchr(start, opt.separator, *got));
      if (sep == nullptr) {
        length += *got;
        last_cr = start[*got - 1] == '\r';
        continue;
      }
      const std::size_t before = static_cast<std::size_t>(sep - start);
      const std::uint64_t raw = length + before;
      length = raw;
      if (opt.separator == '\n' && (before > 0 ? sep[-1] == '\r' : last_cr)) --length;
      begin = region + before + 1;
      end = region + *got;
      scanned = begin;
      begin_offset = record_offset + raw + 1;
      break;
    }
    line.text = std::string_view(buf.get(), opt.max_line);
    line.number = number;
    line.offset = record_offset;
    line.length = length;
    line.overlong = true;
    line.continued = false;
    return true;
  }

  // The search for the next separator, from where the last one stopped:
  // `scanned` stops at the separator found or at the end of the buffer.
  bool ready() {
    if (failed || !buf) return false;
    if (scanned < end) {
      const void* sep = std::memchr(buf.get() + scanned, opt.separator, end - scanned);
      if (sep != nullptr) {
        scanned = static_cast<std::size_t>(static_cast<const char*>(sep) - buf.get());
        return true;
      }
      scanned = end;
    }
    return false;
  }

  std::uint64_t take_run(LineRun& run, std::size_t max_bytes) {
    if (failed || !buf || in_split || end == begin) return 0;
    const char sep = opt.separator;
    // Records longer than max_line are next()'s: a run shorter than that has none.
    std::size_t n = std::min({end - begin, max_bytes, opt.max_line});
    const char* const p = buf.get() + begin;
    const void* last = memrchr(p, sep, n);
    if (last == nullptr) return 0;
    n = static_cast<std::size_t>(static_cast<const char*>(last) - p) + 1;
    if (sep == '\n') {
      // A record ending in CR LF loses its CR in next(): the run ends before it.
      for (const char* cr = static_cast<const char*>(std::memchr(p, '\r', n)); cr != nullptr;
           cr = static_cast<const char*>(std::memchr(cr + 1, '\r', n - (cr + 1 - p)))) {
        if (cr + 1 < p + n && cr[1] == '\n') {
          const void* before = memrchr(p, sep, static_cast<std::size_t>(cr - p));
          if (before == nullptr) return 0;
          n = static_cast<std::size_t>(static_cast<const char*>(before) - p) + 1;
          break;
        }
      }
    }
    run.text = std::string_view(p, n);
    run.number = number + 1;
    run.offset = begin_offset;
    run.count = text::count_byte(run.text, sep);
    number += run.count;
    consume(n);
    return run.count;
  }

  Result<bool> next(Line& line) {
    if (failed) return false;
    if (!buf) reserve(std::min(opt.chunk_size, max_cap));
    while (true) {
      if (ready()) {  // `scanned` is at the separator
        const std::size_t pos = scanned;
        const std::size_t raw = pos - begin;
        std::size_t len = raw;
        if (opt.separator == '\n' && len > 0 && buf[pos - 1] == '\r') --len;
        if (len > opt.max_line && opt.overlong == Overlong::kSplit) {
          emit_window(line);
          return true;
        }
        emit_record(line, raw, true);
        return true;
      }
      const std::size_t n = end - begin;
      if (surely_overlong(n)) {
        if (opt.overlong == Overlong::kSplit) {
          emit_window(line);
          return true;
        }
        return skip_overlong(line);
      }
      if (eof) {
        if (failed || n == 0) return false;  // a window is only cut when more follows
        if (n > opt.max_line && opt.overlong == Overlong::kSplit) {
          emit_window(line);  // an unterminated record ending in '\r'
          return true;
        }
        emit_record(line, n, false);
        return true;
      }
      auto more = fill();
      if (!more) return std::move(more).error();
    }
  }
};

LineReader::LineReader(int fd, LineReaderOptions options)
    : impl_(std::make_unique<Impl>(fd, options, std::string())) {}

LineReader::LineReader(int fd, LineReaderOptions options, std::string prefix)
    : impl_(std::make_unique<Impl>(fd, options, std::move(prefix))) {}

LineReader::~LineReader() = default;

Result<bool> LineReader::next(Line& line) {
  return impl_->next(line);
}

std::uint64_t LineReader::take_run(LineRun& run, std::size_t max_bytes) {
  return impl_->take_run(run, max_bytes);
}

bool LineReader::ready() {
  return impl_->ready();
}

std::uint64_t LineReader::bytes_read() const noexcept {
  return impl_->bytes_read;
}

}  // namespace ioc::io
