// Small helpers shared by the unit tests (test code only).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace ioc::test {

/// A fresh directory under the system temp dir, removed with its files.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("ioc_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// Writes `data` to NAME in the directory; returns its path.
  std::string file(const std::string& name, const std::string& data) const {
    const auto p = path_ / name;
    std::ofstream f(p, std::ios::binary);
    f << data;
    return p.string();
  }
  /// The path NAME would have in the directory (the file need not exist).
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// ASCII text as UTF-16LE bytes ("ab" -> "a\0b\0").
inline std::string utf16le(std::string_view ascii) {
  std::string out;
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

}  // namespace ioc::test
