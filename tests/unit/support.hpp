// Small helpers shared by the unit tests (test code only).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace ioc::test {

/// A small deterministic generator (xorshift64) for randomized tests:
/// next(n) is in [0, n).
class Random {
 public:
  explicit Random(std::uint64_t seed) : s_(seed) {}
  std::uint64_t operator()(std::uint64_t n) {
    s_ ^= s_ << 13;
    s_ ^= s_ >> 7;
    s_ ^= s_ << 17;
    return s_ % n;
  }

 private:
  std::uint64_t s_;
};

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

/// A Security 4688 (process creation) event as rendered XML (events and
/// sigma tests).
inline constexpr const char* kSecurity4688Xml =
    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
    "<Provider Name='Microsoft-Windows-Security-Auditing' "
    "Guid='{54849625-5478-4994-A5BA-3E3B0328C30D}'/><EventID>4688</EventID>"
    "<TimeCreated SystemTime='2020-09-21T23:26:20.8692345Z'/><Channel>Security</Channel>"
    "<Computer>WORKSTATION5.theshire.local</Computer></System><EventData>"
    "<Data Name='SubjectUserSid'>S-1-5-21-1</Data>"
    "<Data Name='SubjectUserName'>pgustavo</Data>"
    "<Data Name='SubjectDomainName'>THESHIRE</Data>"
    "<Data Name='SubjectLogonId'>0x10a7df</Data>"
    "<Data Name='NewProcessId'>0x1a2c</Data>"
    "<Data Name='NewProcessName'>C:\\Windows\\System32\\net.exe</Data>"
    "<Data Name='TokenElevationType'>%%1937</Data>"
    "<Data Name='ProcessId'>0x1d20</Data>"
    "<Data Name='CommandLine'>\"C:\\windows\\system32\\net.exe\" user</Data>"
    "<Data Name='TargetUserSid'>S-1-0-0</Data><Data Name='TargetUserName'>-</Data>"
    "<Data Name='TargetDomainName'>-</Data>"
    "<Data Name='ParentProcessName'>C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\"
    "powershell.exe</Data><Data Name='MandatoryLabel'>S-1-16-12288</Data>"
    "</EventData></Event>";

}  // namespace ioc::test
