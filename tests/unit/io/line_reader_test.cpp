#include "ioc/io/line_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

using ioc::ErrorCode;
using ioc::kMiB;
using ioc::io::Line;
using ioc::io::LineReader;
using ioc::io::LineReaderOptions;
using ioc::io::Overlong;

namespace {

struct Got {
  std::string text;
  std::uint64_t number = 0;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  bool overlong = false;
  bool continued = false;
  bool operator==(const Got& o) const {
    return text == o.text && number == o.number && offset == o.offset && length == o.length &&
           overlong == o.overlong && continued == o.continued;
  }
};

std::ostream& operator<<(std::ostream& os, const Got& g) {
  return os << "{'" << g.text << "' #" << g.number << " @" << g.offset << " len " << g.length
            << (g.overlong ? " overlong" : "") << (g.continued ? " continued" : "") << "}";
}

// A temporary file holding `data`, opened for reading; removed on destruction.
class TempInput {
 public:
  explicit TempInput(const std::string& data) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("ioc_lr_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
    std::FILE* f = std::fopen(path_.c_str(), "wb");
    REQUIRE(f != nullptr);
    REQUIRE(std::fwrite(data.data(), 1, data.size(), f) == data.size());
    std::fclose(f);
    fd_ = ::open(path_.c_str(), O_RDONLY);
    REQUIRE(fd_ >= 0);
  }
  ~TempInput() {
    ::close(fd_);
    std::filesystem::remove(path_);
  }
  int fd() const { return fd_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// Random text of fewer than `length` bytes: of every `kinds` bytes, on
// average `newlines` are '\n', one is '\r' and the rest letters.
std::string random_text(std::mt19937& rng, unsigned length, unsigned kinds, unsigned newlines) {
  std::string data;
  const int n = static_cast<int>(rng() % length);
  for (int i = 0; i < n; ++i) {
    const unsigned r = rng() % kinds;
    data += r < newlines ? '\n' : r < newlines + 1 ? '\r' : static_cast<char>('a' + r);
  }
  return data;
}

// reader.next() into `got`; false at the end of input.
bool read_next(LineReader& reader, std::vector<Got>& got) {
  Line line;
  auto more = reader.next(line);
  REQUIRE(more.has_value());
  if (!*more) return false;
  got.push_back(Got{std::string(line.text), line.number, line.offset, line.length, line.overlong,
                    line.continued});
  return true;
}

std::vector<Got> read_all_lines(const std::string& data, LineReaderOptions opt,
                                std::uint64_t* bytes = nullptr) {
  TempInput in(data);
  LineReader reader(in.fd(), opt);
  std::vector<Got> out;
  while (read_next(reader, out)) REQUIRE(out.size() < 100000);
  // End of input is sticky.
  Line line;
  auto again = reader.next(line);
  REQUIRE(again.has_value());
  CHECK_FALSE(*again);
  if (bytes) *bytes = reader.bytes_read();
  return out;
}

// What the reader must return, computed the obvious way.
std::vector<Got> reference(const std::string& data, const LineReaderOptions& opt) {
  std::vector<Got> out;
  std::size_t start = 0;
  std::uint64_t number = 0;
  while (start < data.size()) {
    std::size_t end = data.find(opt.separator, start);
    const bool terminated = end != std::string::npos;
    if (!terminated) end = data.size();
    std::string content = data.substr(start, end - start);
    if (terminated && opt.separator == '\n' && !content.empty() && content.back() == '\r')
      content.pop_back();
    ++number;
    const std::size_t len = content.size();
    if (len <= opt.max_line) {
      out.push_back(Got{content, number, start, len, false, false});
    } else if (opt.overlong == Overlong::kSkip) {
      out.push_back(Got{content.substr(0, opt.max_line), number, start, len, true, false});
    } else {
      std::size_t pos = 0;
      while (len - pos > opt.max_line) {
        out.push_back(
            Got{content.substr(pos, opt.max_line), number, start + pos, opt.max_line, true, true});
        pos += opt.max_line;
      }
      out.push_back(Got{content.substr(pos), number, start + pos, len - pos, true, false});
    }
    start = end + 1;
  }
  return out;
}

LineReaderOptions options(std::size_t chunk, std::size_t max_line = 1 * kMiB,
                          Overlong overlong = Overlong::kSkip, char sep = '\n') {
  LineReaderOptions o;
  o.chunk_size = chunk;
  o.max_line = max_line;
  o.overlong = overlong;
  o.separator = sep;
  return o;
}

}  // namespace

TEST_CASE("LineReader returns lines with numbers and offsets", "[io]") {
  const auto lines = read_all_lines("a\nbb\n\nccc", options(4096));
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == Got{"a", 1, 0, 1, false, false});
  CHECK(lines[1] == Got{"bb", 2, 2, 2, false, false});
  CHECK(lines[2] == Got{"", 3, 5, 0, false, false});
  CHECK(lines[3] == Got{"ccc", 4, 6, 3, false, false});  // no final newline
}

TEST_CASE("LineReader on empty input and lone separators", "[io]") {
  std::uint64_t bytes = 99;
  CHECK(read_all_lines("", options(16), &bytes).empty());
  CHECK(bytes == 0);
  const auto one = read_all_lines("\n", options(16));
  REQUIRE(one.size() == 1);
  CHECK(one[0] == Got{"", 1, 0, 0, false, false});
  const auto three = read_all_lines("\n\n\n", options(1));
  REQUIRE(three.size() == 3);
  CHECK(three[2] == Got{"", 3, 2, 0, false, false});
}

TEST_CASE("LineReader strips one CR before LF only", "[io]") {
  const auto lines = read_all_lines("a\r\nb\r\r\nc\rd\n\r\ne\r", options(4096));
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].text == "a");
  CHECK(lines[1].text == "b\r");
  CHECK(lines[2].text == "c\rd");
  CHECK(lines[3].text == "");
  CHECK(lines[4].text == "e\r");  // not followed by LF: kept
  CHECK(lines[1].offset == 3);
  // With NUL separators, CR is data.
  const auto z =
      read_all_lines(std::string("a\r\0b\r\n\0", 7), options(4096, kMiB, Overlong::kSkip, '\0'));
  REQUIRE(z.size() == 2);
  CHECK(z[0].text == "a\r");
  CHECK(z[1].text == "b\r\n");
  CHECK(z[1].offset == 3);
}

TEST_CASE("LineReader handles CR as the last byte of a chunk", "[io]") {
  // "abc\r" fills a chunk of 4; the LF arrives with the next one.
  for (std::size_t chunk : {1, 2, 3, 4, 5}) {
    const auto lines = read_all_lines("abc\r\ndef\r\n", options(chunk));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == Got{"abc", 1, 0, 3, false, false});
    CHECK(lines[1] == Got{"def", 2, 5, 3, false, false});
  }
}

TEST_CASE("LineReader gives the same lines whatever the chunk size", "[io]") {
  std::mt19937 rng(12345);
  std::string data;
  for (int i = 0; i < 400; ++i) {
    const int len = static_cast<int>(rng() % 23);
    for (int k = 0; k < len; ++k) data += static_cast<char>('a' + rng() % 26);
    if (rng() % 5 == 0) data += '\r';
    data += '\n';
  }
  data += "tail";
  const auto expected = reference(data, options(1));
  REQUIRE(expected.size() == 401);
  for (std::size_t chunk : {1, 2, 3, 7, 16, 64, 4096, 256 * 1024}) {
    INFO("chunk " << chunk);
    CHECK(read_all_lines(data, options(chunk)) == expected);
  }
  // NUL-separated input with the same sizes.
  std::string zdata = data;
  for (char& c : zdata)
    if (c == '\n') c = '\0';
  const auto zexpected = reference(zdata, options(1, kMiB, Overlong::kSkip, '\0'));
  for (std::size_t chunk : {1, 3, 7, 4096}) {
    INFO("chunk " << chunk);
    CHECK(read_all_lines(zdata, options(chunk, kMiB, Overlong::kSkip, '\0')) == zexpected);
  }
}

TEST_CASE("LineReader accepts lines of exactly max_line bytes", "[io]") {
  for (std::size_t chunk : {1, 2, 3, 5, 6, 7, 64}) {
    INFO("chunk " << chunk);
    const auto lines = read_all_lines("abcde\nabcde\r\nabcdef\nxy", options(chunk, 5));
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == Got{"abcde", 1, 0, 5, false, false});
    CHECK(lines[1] == Got{"abcde", 2, 6, 5, false, false});  // the CR does not count
    CHECK(lines[2] == Got{"abcde", 3, 13, 6, true, false});
    CHECK(lines[3] == Got{"xy", 4, 20, 2, false, false});
    // Exactly max_line at the end of input, with and without a trailing CR.
    CHECK(read_all_lines("abcde", options(chunk, 5)) ==
          std::vector<Got>{Got{"abcde", 1, 0, 5, false, false}});
    CHECK(read_all_lines("abcd\r", options(chunk, 5)) ==
          std::vector<Got>{Got{"abcd\r", 1, 0, 5, false, false}});
    CHECK(read_all_lines("abcde\r", options(chunk, 5)) ==
          std::vector<Got>{Got{"abcde", 1, 0, 6, true, false}});
  }
}

TEST_CASE("LineReader skips overlong lines and keeps counting", "[io]") {
  const std::string data =
      "short\n" + std::string(100, 'x') + "\r\nnext\n" + std::string(30, 'y') + "\nlast";
  for (std::size_t chunk : {1, 3, 7, 10, 11, 64, 4096}) {
    INFO("chunk " << chunk);
    std::uint64_t bytes = 0;
    const auto lines = read_all_lines(data, options(chunk, 10), &bytes);
    REQUIRE(lines.size() == 5);
    CHECK(lines[0] == Got{"short", 1, 0, 5, false, false});
    CHECK(lines[1] == Got{std::string(10, 'x'), 2, 6, 100, true, false});
    CHECK(lines[2] == Got{"next", 3, 108, 4, false, false});
    CHECK(lines[3] == Got{std::string(10, 'y'), 4, 113, 30, true, false});
    CHECK(lines[4] == Got{"last", 5, 144, 4, false, false});
    CHECK(bytes == data.size());
  }
}

TEST_CASE("LineReader splits overlong lines into windows", "[io]") {
  const std::string data = "ab\n" + std::string(25, 'x') + "\r\ncd\n" + std::string(20, 'z');
  for (std::size_t chunk : {1, 3, 7, 10, 64}) {
    INFO("chunk " << chunk);
    const auto lines = read_all_lines(data, options(chunk, 10, Overlong::kSplit));
    REQUIRE(lines.size() == 7);
    CHECK(lines[0] == Got{"ab", 1, 0, 2, false, false});
    CHECK(lines[1] == Got{std::string(10, 'x'), 2, 3, 10, true, true});
    CHECK(lines[2] == Got{std::string(10, 'x'), 2, 13, 10, true, true});
    CHECK(lines[3] == Got{std::string(5, 'x'), 2, 23, 5, true, false});
    CHECK(lines[4] == Got{"cd", 3, 30, 2, false, false});
    CHECK(lines[5] == Got{std::string(10, 'z'), 4, 33, 10, true, true});
    CHECK(lines[6] == Got{std::string(10, 'z'), 4, 43, 10, true, false});
  }
}

TEST_CASE("LineReader matches a reference on random input for both overlong modes", "[io]") {
  std::mt19937 rng(777);
  for (int round = 0; round < 40; ++round) {
    const std::string data = random_text(rng, 60, 10, 4);
    for (std::size_t max_line : {1, 2, 3, 5}) {
      for (std::size_t chunk : {1, 2, 3, 4, 9}) {
        for (Overlong mode : {Overlong::kSkip, Overlong::kSplit}) {
          INFO("data '" << data << "' max_line " << max_line << " chunk " << chunk << " split "
                        << (mode == Overlong::kSplit));
          const auto opt = options(chunk, max_line, mode);
          CHECK(read_all_lines(data, opt) == reference(data, opt));
        }
      }
    }
  }
}

TEST_CASE("LineReader skips a huge line in bounded memory", "[io]") {
  // 48 MiB in one line through a pipe fed by a thread: the reader must skip it
  // chunk by chunk (it never holds more than max_line + chunk_size).
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  constexpr std::size_t kHuge = 48 * kMiB;
  std::thread writer([fd = fds[1]] {
    std::string block(64 * 1024, 'A');
    std::size_t left = kHuge;
    auto put = [&](const char* p, std::size_t n) {
      while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w <= 0) return;
        p += w;
        n -= static_cast<std::size_t>(w);
      }
    };
    put("first\n", 6);
    while (left > 0) {
      const std::size_t n = std::min(left, block.size());
      put(block.data(), n);
      left -= n;
    }
    put("\nafter\n", 7);
    ::close(fd);
  });
  LineReader reader(fds[0], options(256 * 1024, 1 * kMiB));
  Line line;
  std::vector<Got> got;
  while (true) {
    auto more = reader.next(line);
    REQUIRE(more.has_value());
    if (!*more) break;
    got.push_back(Got{std::string(line.text.substr(0, 8)), line.number, line.offset, line.length,
                      line.overlong, line.continued});
    if (line.overlong) CHECK(line.text.size() == 1 * kMiB);
  }
  writer.join();
  ::close(fds[0]);
  REQUIRE(got.size() == 3);
  CHECK(got[0] == Got{"first", 1, 0, 5, false, false});
  CHECK(got[1] == Got{"AAAAAAAA", 2, 6, kHuge, true, false});
  CHECK(got[2] == Got{"after", 3, 6 + kHuge + 1, 5, false, false});
  CHECK(reader.bytes_read() == 6 + kHuge + 7);
}

TEST_CASE("LineReader reports read errors as kIo", "[io]") {
  const auto dir = std::filesystem::temp_directory_path();
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(fd >= 0);
  LineReader reader(fd);
  Line line;
  auto r = reader.next(line);
  ::close(fd);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kIo);
  CHECK(r.error().message.find("Is a directory") != std::string::npos);
  auto after = reader.next(line);
  REQUIRE(after.has_value());
  CHECK_FALSE(*after);
}

TEST_CASE("LineReader returns a peeked prefix first, as if read from the descriptor", "[io]") {
  const std::string data = "alpha\nbravo line\r\ncharlie\n" + std::string(300, 'x') + "\nend";
  for (std::size_t cut : {0, 3, 6, 12, 40, 200}) {
    for (std::size_t chunk : {1, 5, 64}) {
      for (std::size_t max_line : {16, 4096}) {
        INFO("cut " << cut << " chunk " << chunk << " max_line " << max_line);
        const auto opt = options(chunk, max_line);
        TempInput in(data.substr(cut));
        LineReader reader(in.fd(), opt, data.substr(0, cut));
        std::vector<Got> got;
        while (read_next(reader, got)) continue;
        CHECK(got == reference(data, opt));
        CHECK(reader.bytes_read() == data.size());
      }
    }
  }
}

TEST_CASE("LineReader tells whether the next line is buffered (a pause in the input)", "[io]") {
  // A pipe written in steps, as a followed log is: ready() says whether next()
  // can return a line without waiting for the writer; the line last returned
  // stays valid meanwhile.
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const auto put = [&](std::string_view s) {
    REQUIRE(::write(fds[1], s.data(), s.size()) == static_cast<ssize_t>(s.size()));
  };
  put("a\nb\npart");
  LineReader reader(fds[0]);
  Line line;
  CHECK_FALSE(reader.ready());  // nothing read yet
  REQUIRE(*reader.next(line));
  CHECK(line.text == "a");
  CHECK(reader.ready());
  CHECK(line.text == "a");
  REQUIRE(*reader.next(line));
  CHECK(line.text == "b");
  CHECK_FALSE(reader.ready());  // only the start of a line: next() would read
  CHECK_FALSE(reader.ready());
  CHECK(line.text == "b");
  put("ial\nc\n");
  ::close(fds[1]);
  REQUIRE(*reader.next(line));
  CHECK(line.text == "partial");
  CHECK(line.number == 3);
  CHECK(line.offset == 4);
  CHECK(reader.ready());
  REQUIRE(*reader.next(line));
  CHECK(line.text == "c");
  CHECK(line.offset == 12);
  CHECK_FALSE(reader.ready());
  CHECK_FALSE(*reader.next(line));
  ::close(fds[0]);
}

TEST_CASE("LineReader hands out runs of whole lines as next() would one by one", "[io]") {
  // Runs taken whenever there are some, next() otherwise: the lines of the runs,
  // split at their separators, and next()'s lines must be the reference's, in
  // order; runs hold no CR LF and no line over max_line.
  std::mt19937 rng(4242);
  std::size_t in_runs = 0;
  for (int round = 0; round < 300; ++round) {
    const std::string data = random_text(rng, 400, 12, 3);
    for (std::size_t max_line : {2, 5, 1000}) {
      for (std::size_t chunk : {1, 3, 16, 4096}) {
        for (std::size_t max_bytes : {1, 7, 64}) {
          INFO("data '" << data << "' max_line " << max_line << " chunk " << chunk << " max_bytes "
                        << max_bytes);
          const auto opt = options(chunk, max_line);
          TempInput in(data);
          LineReader reader(in.fd(), opt);
          std::vector<Got> got;
          ioc::io::LineRun run;
          while (true) {
            if (const std::uint64_t count = reader.take_run(run, max_bytes)) {
              REQUIRE(run.count == count);
              REQUIRE(run.text.size() <= max_bytes);
              REQUIRE(run.text.back() == '\n');
              REQUIRE(run.text.find("\r\n") == std::string_view::npos);
              std::size_t start = 0;
              for (std::uint64_t k = 0; k < count; ++k) {
                const std::size_t end = run.text.find('\n', start);
                REQUIRE(end != std::string_view::npos);
                REQUIRE(end - start <= max_line);
                got.push_back(Got{std::string(run.text.substr(start, end - start)), run.number + k,
                                  run.offset + start, end - start, false, false});
                start = end + 1;
              }
              REQUIRE(start == run.text.size());
              in_runs += count;
              continue;
            }
            if (!read_next(reader, got)) break;
          }
          CHECK(got == reference(data, opt));
        }
      }
    }
  }
  CHECK(in_runs > 10000);
}
