// ioc/io/output.hpp — buffered standard output that behaves in a pipe.
//
//   ioc::io::ignore_sigpipe();              // once, in main
//   ioc::io::Output out;                    // fd 1; line-buffered on a TTY, else 64 KiB blocks
//   out.write("hello"); out.end_record('\n');
//   if (out.broken_pipe()) return 0;        // `| head` went away: stop quietly
//
// Writes never throw. After the reader of a pipe goes away (EPIPE),
// broken_pipe() is true and further writes are dropped; after any other write
// error failed() is true and error() says why.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace ioc::io {

/// Makes writes to a closed pipe fail with EPIPE instead of killing the process.
void ignore_sigpipe();

class Output {
 public:
  enum class Buffering {
    kAuto,   ///< kLine when the descriptor is a terminal, else kBlock
    kLine,   ///< flush at the end of every record
    kBlock,  ///< flush when the buffer is full and on destruction
  };

  explicit Output(int fd = 1, Buffering buffering = Buffering::kAuto);
  ~Output();  ///< flushes
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void write(std::string_view bytes) {
    if (used_ + bytes.size() <= kBufferSize && !broken_pipe_ && !failed_) {  // most writes
      std::memcpy(buf_.get() + used_, bytes.data(), bytes.size());
      used_ += bytes.size();
      return;
    }
    write_slow(bytes);
  }
  void put(char c) {
    if (used_ < kBufferSize && !broken_pipe_ && !failed_) {
      buf_[used_++] = c;
      return;
    }
    put_slow(c);
  }
  /// Writes `terminator` and ends a record (a flush point when line-buffered).
  void end_record(char terminator = '\n');
  /// Writes out the buffer; false if a write failed (see broken_pipe/failed).
  bool flush();

  bool is_tty() const noexcept { return tty_; }
  bool broken_pipe() const noexcept { return broken_pipe_; }
  bool failed() const noexcept { return failed_; }
  const std::string& error() const noexcept { return error_; }

 private:
  static constexpr std::size_t kBufferSize = 64 * 1024;
  void write_slow(std::string_view bytes);
  void put_slow(char c);

  int fd_;
  bool tty_;
  bool line_buffered_;
  bool broken_pipe_ = false;
  bool failed_ = false;
  std::string error_;
  std::unique_ptr<char[]> buf_;  // kBufferSize bytes, used_ of them written
  std::size_t used_ = 0;
};

/// Bytes made safe for a terminal: printable UTF-8, '\t' and '\n' pass; other
/// control bytes and ill-formed UTF-8 become \xNN escapes (so raw binary output
/// can never drive the terminal).
std::string escape_for_terminal(std::string_view bytes);

}  // namespace ioc::io
