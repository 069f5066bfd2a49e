#include "ioc/io/output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <poll.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <string>
#include <thread>

using ioc::io::escape_for_terminal;
using ioc::io::ignore_sigpipe;
using ioc::io::Output;

namespace {

struct Pipe {
  int read_fd = -1;
  int write_fd = -1;
  Pipe() {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    read_fd = fds[0];
    write_fd = fds[1];
    ::fcntl(read_fd, F_SETFL, O_NONBLOCK);
  }
  ~Pipe() {
    if (read_fd >= 0) ::close(read_fd);
    if (write_fd >= 0) ::close(write_fd);
  }
  // What is in the pipe now (non-blocking).
  std::string drain() const {
    std::string out;
    char buf[4096];
    while (true) {
      const ssize_t n = ::read(read_fd, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }
};

}  // namespace

TEST_CASE("Output buffers in blocks until flushed", "[io]") {
  Pipe p;
  Output out(p.write_fd, Output::Buffering::kBlock);
  CHECK_FALSE(out.is_tty());
  out.write("hello");
  out.put(' ');
  out.write("world");
  out.end_record('\n');
  CHECK(p.drain().empty());
  CHECK(out.flush());
  CHECK(p.drain() == "hello world\n");
  out.end_record('\0');
  CHECK(out.flush());
  CHECK(p.drain() == std::string(1, '\0'));
  CHECK_FALSE(out.broken_pipe());
  CHECK_FALSE(out.failed());
}

TEST_CASE("Output in kAuto mode on a pipe is block-buffered", "[io]") {
  Pipe p;
  {
    Output out(p.write_fd);
    CHECK_FALSE(out.is_tty());
    out.write("x");
    out.end_record();
    CHECK(p.drain().empty());
  }  // the destructor flushes
  CHECK(p.drain() == "x\n");
}

TEST_CASE("Output line-buffered flushes at every record", "[io]") {
  Pipe p;
  Output out(p.write_fd, Output::Buffering::kLine);
  out.write("one");
  CHECK(p.drain().empty());
  out.end_record();
  CHECK(p.drain() == "one\n");
  out.write("two");
  out.end_record('\0');
  CHECK(p.drain() == std::string("two\0", 4));
}

TEST_CASE("Output flushes a full buffer and passes large writes through", "[io]") {
  Pipe p;
  std::string received;
  std::thread reader([&] {
    const int fd = p.read_fd;
    ::fcntl(fd, F_SETFL, 0);  // blocking for the thread
    char buf[8192];
    while (true) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      received.append(buf, static_cast<std::size_t>(n));
    }
  });
  std::string expected;
  {
    Output out(p.write_fd, Output::Buffering::kBlock);
    for (int i = 0; i < 10000; ++i) {
      const std::string rec = "record " + std::to_string(i);
      out.write(rec);
      out.end_record();
      expected += rec + "\n";
    }
    const std::string big(200000, 'B');
    out.write(big);
    expected += big;
    for (int i = 0; i < 70000; ++i) out.put('c');
    expected += std::string(70000, 'c');
    CHECK(out.flush());
  }
  ::close(p.write_fd);
  p.write_fd = -1;
  reader.join();
  CHECK(received.size() == expected.size());
  CHECK(received == expected);
}

TEST_CASE("Output notices a closed pipe and drops further writes", "[io]") {
  ignore_sigpipe();
  struct sigaction sa {};
  sigaction(SIGPIPE, nullptr, &sa);
  CHECK(sa.sa_handler == SIG_IGN);

  Pipe p;
  ::close(p.read_fd);
  p.read_fd = -1;
  Output out(p.write_fd, Output::Buffering::kBlock);
  out.write("lost");
  CHECK_FALSE(out.broken_pipe());
  CHECK_FALSE(out.flush());
  CHECK(out.broken_pipe());
  CHECK_FALSE(out.failed());
  CHECK(out.error().empty());
  out.write(std::string(100000, 'x'));  // dropped, no crash
  out.end_record();
  CHECK_FALSE(out.flush());
  CHECK(out.broken_pipe());

  // Line-buffered: the first record already finds the pipe gone.
  Pipe q;
  ::close(q.read_fd);
  q.read_fd = -1;
  Output line(q.write_fd, Output::Buffering::kLine);
  line.write("x");
  line.end_record();
  CHECK(line.broken_pipe());
}

TEST_CASE("Output in kAuto mode on a terminal is line-buffered", "[io]") {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    WARN("no pseudo-terminal available; skipped");
    if (master >= 0) ::close(master);
    return;
  }
  const int slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
  REQUIRE(slave >= 0);
  {
    Output out(slave);
    CHECK(out.is_tty());
    out.write("tty");
    out.end_record();
    // Already flushed: the master side can read it without a flush() call.
    pollfd pfd{master, POLLIN, 0};
    REQUIRE(::poll(&pfd, 1, 2000) == 1);
    char buf[64];
    const ssize_t n = ::read(master, buf, sizeof buf);
    REQUIRE(n >= 3);
    CHECK(std::string(buf, 3) == "tty");
  }
  ::close(slave);
  ::close(master);
}

TEST_CASE("Output reports other write errors", "[io]") {
  const int fd = ::open("/dev/full", O_WRONLY);
  if (fd >= 0) {
    Output out(fd, Output::Buffering::kBlock);
    out.write("data");
    CHECK_FALSE(out.flush());
    CHECK(out.failed());
    CHECK_FALSE(out.broken_pipe());
    CHECK(out.error().find("No space left on device") != std::string::npos);
    ::close(fd);
  }
  // A descriptor open for reading only: EBADF.
  Pipe p;
  Output bad(p.read_fd, Output::Buffering::kLine);
  bad.write("data");
  bad.end_record();
  CHECK(bad.failed());
  CHECK(bad.error().find("Bad file descriptor") != std::string::npos);
  bad.write("more");  // dropped
  CHECK_FALSE(bad.flush());
}

TEST_CASE("escape_for_terminal passes printable UTF-8, tabs and newlines", "[io]") {
  CHECK(escape_for_terminal("") == "");
  CHECK(escape_for_terminal("plain ASCII ~!") == "plain ASCII ~!");
  CHECK(escape_for_terminal("a\tb\nc") == "a\tb\nc");
  CHECK(escape_for_terminal("héllo ωορλδ 日本 🙂") == "héllo ωορλδ 日本 🙂");
}

TEST_CASE("escape_for_terminal escapes controls and ill-formed UTF-8", "[io]") {
  CHECK(escape_for_terminal("\x1b[31mred") == "\\x1b[31mred");
  CHECK(escape_for_terminal("a\rb") == "a\\x0db");
  CHECK(escape_for_terminal(std::string("\0", 1)) == "\\x00");
  CHECK(escape_for_terminal("\x7f") == "\\x7f");
  CHECK(escape_for_terminal("\xc2\x9b"
                            "2J") == "\\xc2\\x9b2J");  // C1 CSI
  CHECK(escape_for_terminal("\xff") == "\\xff");
  CHECK(escape_for_terminal("x\xe2\x82") == "x\\xe2\\x82");         // truncated
  CHECK(escape_for_terminal("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a surrogate
  CHECK(escape_for_terminal("\xc0\xaf") == "\\xc0\\xaf");           // overlong
  CHECK(escape_for_terminal("\xe2\x82\xac\xff\xe2\x82\xac") == "€\\xff€");
}
