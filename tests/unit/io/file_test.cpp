#include "ioc/io/file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

using ioc::ErrorCode;
using ioc::io::InputFile;
using ioc::io::read_all;

namespace {

std::filesystem::path temp_path(const std::string& tag) {
  return std::filesystem::temp_directory_path() /
         ("ioc_file_" + std::to_string(::getpid()) + "_" + tag);
}

void write_file(const std::filesystem::path& p, const std::string& data) {
  std::ofstream f(p, std::ios::binary);
  f << data;
}

}  // namespace

TEST_CASE("InputFile::open treats - and the empty name as stdin", "[io]") {
  for (const char* name : {"-", ""}) {
    auto in = InputFile::open(name);
    REQUIRE(in.has_value());
    CHECK(in->fd() == 0);
    CHECK(in->name() == "(stdin)");
    CHECK(in->is_stdin());
  }
  // stdin is not closed when the InputFile goes away.
  CHECK(::fcntl(0, F_GETFD) != -1);
}

TEST_CASE("InputFile::open opens and closes files", "[io]") {
  const auto path = temp_path("open");
  write_file(path, "hello\n");
  int fd = -1;
  {
    auto in = InputFile::open(path.string());
    REQUIRE(in.has_value());
    fd = in->fd();
    CHECK(fd > 2);
    CHECK(in->name() == path.string());
    CHECK_FALSE(in->is_stdin());
    char buf[16];
    CHECK(::read(fd, buf, sizeof buf) == 6);
    // Moving hands the descriptor over.
    InputFile moved = std::move(*in);
    CHECK(moved.fd() == fd);
    CHECK(::fcntl(fd, F_GETFD) != -1);
  }
  CHECK(::fcntl(fd, F_GETFD) == -1);  // closed
  std::filesystem::remove(path);
}

TEST_CASE("InputFile::open reports missing files and directories as kIo", "[io]") {
  auto missing = InputFile::open("/nonexistent/ioc/app.log");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::kIo);
  CHECK(missing.error().message == "/nonexistent/ioc/app.log: No such file or directory");

  const auto dir = std::filesystem::temp_directory_path().string();
  auto d = InputFile::open(dir);
  REQUIRE_FALSE(d.has_value());
  CHECK(d.error().code == ErrorCode::kIo);
  CHECK(d.error().message == dir + ": Is a directory");
}

TEST_CASE("InputFile move assignment closes the old descriptor", "[io]") {
  const auto a = temp_path("a");
  const auto b = temp_path("b");
  write_file(a, "a");
  write_file(b, "b");
  auto fa = InputFile::open(a.string());
  auto fb = InputFile::open(b.string());
  REQUIRE(fa.has_value());
  REQUIRE(fb.has_value());
  const int old_fd = fa->fd();
  const int new_fd = fb->fd();
  *fa = std::move(*fb);
  CHECK(fa->fd() == new_fd);
  CHECK(fa->name() == b.string());
  CHECK(::fcntl(old_fd, F_GETFD) == -1);
  CHECK(::fcntl(new_fd, F_GETFD) != -1);
  std::filesystem::remove(a);
  std::filesystem::remove(b);
}

TEST_CASE("read_all reads to the end within the bound", "[io]") {
  const auto path = temp_path("all");
  std::string data;
  for (int i = 0; i < 20000; ++i) data += "line " + std::to_string(i) + "\n";
  write_file(path, data);
  {
    auto in = InputFile::open(path.string());
    REQUIRE(in.has_value());
    auto all = read_all(in->fd(), data.size());  // exactly the size is allowed
    REQUIRE(all.has_value());
    CHECK(*all == data);
  }
  {
    auto in = InputFile::open(path.string());
    REQUIRE(in.has_value());
    auto all = read_all(in->fd(), data.size() - 1);
    REQUIRE_FALSE(all.has_value());
    CHECK(all.error().code == ErrorCode::kLimitExceeded);
  }
  {
    auto in = InputFile::open(path.string());
    REQUIRE(in.has_value());
    auto all = read_all(in->fd(), 0);
    REQUIRE_FALSE(all.has_value());
    CHECK(all.error().code == ErrorCode::kLimitExceeded);
  }
  std::filesystem::remove(path);
}

TEST_CASE("read_all stops after max_bytes + 1 bytes of an endless pipe", "[io]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::thread writer([fd = fds[1]] {
    const std::string block(4096, 'z');
    // Ends when the reader closes its end (EPIPE; SIGPIPE is ignored below).
    while (::write(fd, block.data(), block.size()) > 0) {
    }
    ::close(fd);
  });
  struct sigaction old {};
  struct sigaction ign {};
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, &old);
  auto all = read_all(fds[0], 100000);
  ::close(fds[0]);
  writer.join();
  sigaction(SIGPIPE, &old, nullptr);
  REQUIRE_FALSE(all.has_value());
  CHECK(all.error().code == ErrorCode::kLimitExceeded);
}

TEST_CASE("read_all of an empty input and of a directory", "[io]") {
  const auto path = temp_path("empty");
  write_file(path, "");
  auto in = InputFile::open(path.string());
  REQUIRE(in.has_value());
  auto all = read_all(in->fd(), 10);
  REQUIRE(all.has_value());
  CHECK(all->empty());
  std::filesystem::remove(path);

  const int fd = ::open(std::filesystem::temp_directory_path().c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(fd >= 0);
  auto dir = read_all(fd, 10);
  ::close(fd);
  REQUIRE_FALSE(dir.has_value());
  CHECK(dir.error().code == ErrorCode::kIo);
}
