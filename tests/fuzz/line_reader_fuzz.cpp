// libFuzzer target: LineReader on arbitrary bytes. Read with next() alone, and
// with take_run() whenever it hands out a run (next() otherwise), the same
// records must come out with the same numbers and offsets; a run holds whole
// records within max_bytes, no CR LF, none longer than max_line.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ioc/io/line_reader.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

struct Rec {
  std::string text;
  std::uint64_t number, offset, length;
  bool overlong;
  bool operator==(const Rec&) const = default;
};

// The input as a descriptor: a memory file, read from the start.
int open_memory(const char* data, std::size_t size) {
  const int fd = memfd_create("line_reader_fuzz", 0);
  check(fd >= 0);
  for (std::size_t done = 0; done < size;) {
    const ssize_t w = ::write(fd, data + done, size - done);
    check(w > 0);
    done += static_cast<std::size_t>(w);
  }
  check(lseek(fd, 0, SEEK_SET) == 0);
  return fd;
}

std::vector<Rec> read_all(const char* data, std::size_t size, ioc::io::LineReaderOptions opt,
                          std::size_t run_bytes) {
  const int fd = open_memory(data, size);
  std::vector<Rec> out;
  {
    ioc::io::LineReader reader(fd, opt);
    ioc::io::Line line;
    ioc::io::LineRun run;
    while (true) {
      if (run_bytes > 0) {
        if (const std::uint64_t n = reader.take_run(run, run_bytes)) {
          check(n == run.count && run.text.size() <= run_bytes && !run.text.empty() &&
                run.text.back() == opt.separator);
          check(run.text.find("\r\n") == std::string_view::npos || opt.separator != '\n');
          std::size_t start = 0;
          for (std::uint64_t k = 0; k < n; ++k) {
            const std::size_t end = run.text.find(opt.separator, start);
            check(end != std::string_view::npos && end - start <= opt.max_line);
            out.push_back({std::string(run.text.substr(start, end - start)), run.number + k,
                           run.offset + start, end - start, false});
            start = end + 1;
          }
          check(start == run.text.size());
          continue;
        }
      }
      auto more = reader.next(line);
      check(more.has_value());
      if (!*more) break;
      out.push_back({std::string(line.text), line.number, line.offset, line.length, line.overlong});
    }
  }
  ::close(fd);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size < 3 || size > 64 * 1024) return 0;
  ioc::io::LineReaderOptions opt;
  opt.chunk_size = 1 + bytes[0] % 64;
  opt.max_line = 1 + bytes[1] % 48;
  opt.separator = (bytes[2] & 1) != 0 ? '\0' : '\n';
  const std::size_t run_bytes = 1 + (bytes[2] >> 1);
  const char* data = reinterpret_cast<const char*>(bytes + 3);
  const std::vector<Rec> plain = read_all(data, size - 3, opt, 0);
  const std::vector<Rec> runs = read_all(data, size - 3, opt, run_bytes);
  check(plain == runs);
  return 0;
}
