// Opening inputs by name, and bounded whole-input reads.
#include "ioc/io/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>

#include "ioc/core/limits.hpp"
#include "ioc/core/source.hpp"

namespace ioc::io {

Result<InputFile> InputFile::open(std::string_view path) {
  if (path.empty() || path == "-") return InputFile(STDIN_FILENO, std::string(kStdinName), false);
  const std::string name(path);
  int fd = -1;
  do {
    fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return make_error(ErrorCode::kIo, name + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return make_error(ErrorCode::kIo, name + ": " + std::strerror(err));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return make_error(ErrorCode::kIo, name + ": " + std::strerror(EISDIR));
  }
  return InputFile(fd, name, true);
}

InputFile::InputFile(InputFile&& other) noexcept
    : fd_(other.fd_), name_(std::move(other.name_)), owned_(other.owned_) {
  other.fd_ = -1;
  other.owned_ = false;
}

InputFile& InputFile::operator=(InputFile&& other) noexcept {
  if (this != &other) {
    if (owned_ && fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    name_ = std::move(other.name_);
    owned_ = other.owned_;
    other.fd_ = -1;
    other.owned_ = false;
  }
  return *this;
}

InputFile::~InputFile() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

Result<std::size_t> read_some(int fd, char* buf, std::size_t n) {
  while (true) {
    const ssize_t got = ::read(fd, buf, n);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno == EINTR) continue;
    return make_error(ErrorCode::kIo, std::string("read failed: ") + std::strerror(errno));
  }
}

Result<std::string> read_all(int fd, std::size_t max_bytes) {
  // Reading stops after max_bytes + 1 bytes: one more than allowed proves "too large".
  const std::size_t limit =
      max_bytes == std::numeric_limits<std::size_t>::max() ? max_bytes : max_bytes + 1;
  std::string data;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    const auto size = static_cast<std::uint64_t>(st.st_size);
    data.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(size, limit)));
  }
  constexpr std::size_t kChunk = 64 * kKiB;
  std::size_t used = 0;
  while (used < limit) {
    const std::size_t want = std::min(kChunk, limit - used);
    if (data.size() < used + want) data.resize(used + want);
    auto got = read_some(fd, data.data() + used, want);
    if (!got) return got.error();
    if (*got == 0) break;
    used += *got;
  }
  if (used > max_bytes)
    return make_error(ErrorCode::kLimitExceeded, "input larger than " + format_size(max_bytes));
  data.resize(used);
  return data;
}

Result<std::string> read_file(std::string_view path, std::size_t max_bytes) {
  auto in = InputFile::open(path);
  if (!in) return in.error();
  auto all = read_all(in->fd(), max_bytes);
  if (!all) return make_error(all.error().code, std::string(path) + ": " + all.error().message);
  return all;
}

}  // namespace ioc::io
