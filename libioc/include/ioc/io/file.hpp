// ioc/io/file.hpp — opening inputs, and reading a whole input with a bound.
//
//   auto in = ioc::io::InputFile::open("-");          // stdin
//   auto in = ioc::io::InputFile::open("app.log");    // kIo "app.log: No such file or directory"
//   auto all = ioc::io::read_all(in->fd(), 64 << 20); // kLimitExceeded past 64 MiB
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "ioc/core/result.hpp"

namespace ioc::io {

/// An input by name: "-" (or "") is standard input, anything else a path opened
/// read-only. Closes what it opened. Directories are kIo ("Is a directory").
class InputFile {
 public:
  static Result<InputFile> open(std::string_view path);

  InputFile(InputFile&& other) noexcept;
  InputFile& operator=(InputFile&& other) noexcept;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile();

  int fd() const noexcept { return fd_; }
  /// The name for messages and `source` fields: the path, or "(stdin)".
  const std::string& name() const noexcept { return name_; }
  bool is_stdin() const noexcept { return owned_ == false; }

 private:
  InputFile(int fd, std::string name, bool owned)
      : fd_(fd), name_(std::move(name)), owned_(owned) {}
  int fd_ = -1;
  std::string name_;
  bool owned_ = false;
};

/// One read(2) of at most n bytes into buf, retried on EINTR: the byte count,
/// 0 at end of input, or kIo ("read failed: ...").
Result<std::size_t> read_some(int fd, char* buf, std::size_t n);

/// Reads `fd` to its end. More than max_bytes is kLimitExceeded (after reading
/// at most max_bytes + 1 bytes); a read error is kIo.
Result<std::string> read_all(int fd, std::size_t max_bytes);

/// InputFile::open + read_all: a whole (small) file, kIo naming it when it does
/// not open, kLimitExceeded past max_bytes.
Result<std::string> read_file(std::string_view path, std::size_t max_bytes);

}  // namespace ioc::io
