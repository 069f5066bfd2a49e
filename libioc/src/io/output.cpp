// Buffered output that stops quietly when the reader of a pipe goes away.
#include "ioc/io/output.hpp"

#include <poll.h>
#include <unicode/utf8.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>

namespace ioc::io {
namespace {

// Writes all of [p, p + n) to `fd`; returns 0, or the errno that stopped it.
int write_fully(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w > 0) {
      p += w;
      n -= static_cast<std::size_t>(w);
      continue;
    }
    if (w == 0) return EIO;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      // A non-blocking descriptor: wait until it takes more.
      pollfd pfd{fd, POLLOUT, 0};
      if (::poll(&pfd, 1, -1) >= 0 || errno == EINTR) continue;
    }
    return errno;
  }
  return 0;
}

}  // namespace

void ignore_sigpipe() {
  struct sigaction sa {};
  sa.sa_handler = SIG_IGN;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGPIPE, &sa, nullptr);
}

Output::Output(int fd, Buffering buffering)
    : fd_(fd),
      tty_(::isatty(fd) == 1),
      line_buffered_(buffering == Buffering::kLine || (buffering == Buffering::kAuto && tty_)),
      buf_(new char[kBufferSize]) {}

Output::~Output() {
  flush();
}

void Output::write_slow(std::string_view bytes) {
  if (broken_pipe_ || failed_) return;
  if (!flush()) return;
  if (bytes.size() < kBufferSize) {
    std::memcpy(buf_.get(), bytes.data(), bytes.size());
    used_ = bytes.size();
    return;
  }
  // Large writes bypass the buffer.
  const int err = write_fully(fd_, bytes.data(), bytes.size());
  if (err == EPIPE) {
    broken_pipe_ = true;
  } else if (err != 0) {
    failed_ = true;
    error_ = std::string("write error: ") + std::strerror(err);
  }
}

void Output::put_slow(char c) {
  if (broken_pipe_ || failed_) return;
  if (!flush()) return;
  buf_[used_++] = c;
}

void Output::end_record(char terminator) {
  put(terminator);
  if (line_buffered_) flush();
}

bool Output::flush() {
  if (broken_pipe_ || failed_) {
    used_ = 0;
    return false;
  }
  const int err = write_fully(fd_, buf_.get(), used_);
  used_ = 0;
  if (err == 0) return true;
  if (err == EPIPE) {
    broken_pipe_ = true;
  } else {
    failed_ = true;
    error_ = std::string("write error: ") + std::strerror(err);
  }
  return false;
}

std::string escape_for_terminal(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size());
  const auto* s = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const std::size_t length = bytes.size();
  std::size_t i = 0;
  auto escape = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to; ++k) {
      out += "\\x";
      out += kHex[s[k] >> 4];
      out += kHex[s[k] & 0xF];
    }
  };
  while (i < length) {
    // Printable ASCII runs are the common case.
    if (s[i] >= 0x20 && s[i] < 0x7F) {
      const std::size_t start = i;
      while (i < length && s[i] >= 0x20 && s[i] < 0x7F) ++i;
      out.append(bytes.data() + start, i - start);
      continue;
    }
    const std::size_t start = i;
    UChar32 c = 0;
    U8_NEXT(s, i, length, c);
    const bool control = c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
    if (c == '\t' || c == '\n' || (c >= 0 && !control)) {
      out.append(bytes.data() + start, i - start);
    } else {
      escape(start, i);  // ill-formed UTF-8 (c < 0) or a C0/C1 control
    }
  }
  return out;
}

}  // namespace ioc::io
