// for_each_record on binary inputs: detection, printable runs and UTF-16LE
// strings as records (InputOptions::binary, io/binary.hpp).
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../support.hpp"
#include "ioc/io/records.hpp"

using ioc::test::TempDir;
using ioc::test::utf16le;

using ioc::io::BinaryInput;
using ioc::io::Diagnostics;
using ioc::io::for_each_record;
using ioc::io::InputOptions;
using ioc::io::Record;
using ioc::io::RecordKind;
using namespace std::string_literals;

namespace {

struct Rec {
  std::string text;
  std::uint64_t line = 0;
  std::uint64_t offset = 0;
  RecordKind kind = RecordKind::kText;
  bool operator==(const Rec& o) const {
    return text == o.text && line == o.line && offset == o.offset && kind == o.kind;
  }
};

std::ostream& operator<<(std::ostream& os, const Rec& r) {
  return os << "{'" << r.text << "' line " << r.line << " @" << r.offset << " kind "
            << static_cast<int>(r.kind) << "}";
}

std::vector<Rec> collect(const InputOptions& opt, Diagnostics& diag) {
  std::vector<Rec> seen;
  for_each_record(opt, diag, [&](Record& rec) {
    seen.push_back({std::string(rec.text), rec.source.line, rec.source.offset, rec.kind});
    return true;
  });
  return seen;
}

// A small executable-like input: ASCII runs, newlines, UTF-16LE, NULs.
const std::string kBinary = "MZ\x90\0\x03\0\0\0"s + "http://evil.example.com/a\0"s +  // 8
                            "\n\n\x01\x02"s +                                         // 34
                            "GET /x 45.77.65.211\0\0"s +                              // 38
                            utf16le("cdn.bad.example") + "\0\0\x7f"s +                // 59
                            "d41d8cd98f00b204e9800998ecf8427e\n"s;                    // 92

}  // namespace

TEST_CASE("for_each_record reads the strings of binary input with kAuto", "[io]") {
  TempDir dir;
  const auto f = dir.file("a.bin", kBinary);
  InputOptions opt;
  opt.paths = {f};
  opt.binary = BinaryInput::kAuto;
  std::ostringstream err;
  Diagnostics diag("t", "ok", err);
  const std::vector<Rec> want = {
      {"http://evil.example.com/a", 1, 8, RecordKind::kPrintableRun},
      {"GET /x 45.77.65.211", 3, 38, RecordKind::kPrintableRun},
      {"d41d8cd98f00b204e9800998ecf8427e", 3, 92, RecordKind::kPrintableRun},
  };
  CHECK(collect(opt, diag) == want);
  CHECK(diag.read() == 3);
  CHECK(diag.failed() == 0);
  CHECK(err.str().empty());

  SECTION("with wide, also its UTF-16LE strings, in input order") {
    opt.wide = true;
    std::vector<Rec> with_wide = want;
    with_wide.insert(with_wide.begin() + 2, {"cdn.bad.example", 3, 59, RecordKind::kWideString});
    CHECK(collect(opt, diag) == with_wide);
  }
  SECTION("the same records whatever the chunk size") {
    opt.wide = true;
    const auto whole = collect(opt, diag);
    for (std::size_t chunk = 1; chunk <= kBinary.size() + 1; ++chunk) {
      INFO("chunk " << chunk);
      opt.chunk_size = chunk;
      CHECK(collect(opt, diag) == whole);
    }
  }
}

TEST_CASE("for_each_record reads binary input as lines with kText (the default)", "[io]") {
  TempDir dir;
  const auto f = dir.file("a.bin", kBinary);
  InputOptions opt;
  opt.paths = {f};
  REQUIRE(opt.binary == BinaryInput::kText);
  std::ostringstream err;
  Diagnostics diag("t", "ok", err);
  const auto seen = collect(opt, diag);
  REQUIRE(seen.size() == 3);
  CHECK(seen[0] == Rec{kBinary.substr(0, 34), 1, 0, RecordKind::kText});
  CHECK(seen[1] == Rec{"", 2, 35, RecordKind::kText});
  CHECK(seen[2].offset == 36);
  CHECK(seen[2].text.size() == kBinary.size() - 37);
}

TEST_CASE("for_each_record reads text input alike with kAuto and kText", "[io]") {
  TempDir dir;
  // A NUL byte after the first kBinaryPeek bytes does not make an input binary.
  std::string big;
  for (int i = 0; big.size() < ioc::io::kBinaryPeek + 100; ++i)
    big += "line " + std::to_string(i) + " 10.0.0." + std::to_string(i % 256) + "\r\n";
  big += "late \0 nul\nlast"s;
  const std::vector<std::string> inputs = {"", "one line", "a\nb\r\n\nc\n", big};
  for (const std::string& data : inputs) {
    const auto f = dir.file("t.txt", data);
    InputOptions text;
    text.paths = {f};
    text.max_line = 64;
    InputOptions autod = text;
    autod.binary = BinaryInput::kAuto;
    std::ostringstream err1, err2;
    Diagnostics d1("t", "ok", err1), d2("t", "ok", err2);
    for (std::size_t chunk : {std::size_t{256} * 1024, std::size_t{7}}) {
      text.chunk_size = autod.chunk_size = chunk;
      INFO("input of " << data.size() << " bytes, chunk " << chunk);
      CHECK(collect(autod, d2) == collect(text, d1));
    }
    CHECK(d1.read() == d2.read());
  }
}

TEST_CASE("for_each_record cuts long binary strings at max_line, without an error", "[io]") {
  TempDir dir;
  // No newline for 6000 bytes: as text, one line longer than max_line.
  std::string data = "\0\0"s;
  while (data.size() < 6000) data += "abcdefghijklmnopqrstuvwxyz0123456789.example.com ";
  data += "\0tail"s;
  const auto f = dir.file("long.bin", data);
  InputOptions opt;
  opt.paths = {f};
  opt.max_line = 1024;
  std::ostringstream err;
  Diagnostics text_diag("t", "ok", err);
  const auto lines = collect(opt, text_diag);
  CHECK(lines.empty());
  CHECK(text_diag.failed() == 1);

  opt.binary = BinaryInput::kAuto;
  opt.chunk_size = 1000;
  Diagnostics diag("t", "ok", err);
  const auto seen = collect(opt, diag);
  const std::size_t run = data.size() - 7;  // between the NULs
  REQUIRE(seen.size() == (run + 1023) / 1024 + 1);
  std::string joined;
  for (std::size_t k = 0; k + 1 < seen.size(); ++k) {
    CHECK(seen[k].offset == 2 + 1024 * k);
    CHECK(seen[k].text.size() == std::min<std::size_t>(1024, run - 1024 * k));
    joined += seen[k].text;
  }
  CHECK(joined == data.substr(2, run));
  CHECK(seen.back() == Rec{"tail", 1, data.size() - 4, RecordKind::kPrintableRun});
  CHECK(diag.failed() == 0);
  CHECK(diag.read() == seen.size());
}

TEST_CASE("for_each_record does not detect binary input with -z, --whole or --field", "[io]") {
  TempDir dir;
  const std::string data = "first record\0{\"k\":\"second\"}\0"s;
  const auto f = dir.file("z.bin", data);
  InputOptions opt;
  opt.paths = {f};
  opt.binary = BinaryInput::kAuto;
  std::ostringstream err;
  Diagnostics diag("t", "ok", err);
  SECTION("-z: NULs separate text records") {
    opt.separator = '\0';
    const auto seen = collect(opt, diag);
    REQUIRE(seen.size() == 2);
    CHECK(seen[0] == Rec{"first record", 1, 0, RecordKind::kText});
  }
  SECTION("--whole") {
    opt.whole = true;
    const auto seen = collect(opt, diag);
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].text == data);
    CHECK(seen[0].kind == RecordKind::kText);
  }
  SECTION("--field") {
    opt.field = "k";
    opt.field_format = ioc::io::RecordFormat::kJsonl;
    opt.separator = '\0';
    const auto seen = collect(opt, diag);
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].text == "second");
    opt.separator = '\n';
    collect(opt, diag);  // one line, not JSON: an error, not printable runs
    CHECK(diag.failed() == 2);
  }
}

TEST_CASE("for_each_record detects binary input on a pipe", "[io]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const std::string data = "x\0\0\0hxxp://evil[.]com\0"s;
  REQUIRE(::write(fds[1], data.data(), data.size()) == static_cast<ssize_t>(data.size()));
  ::close(fds[1]);
  const int saved = ::dup(0);
  REQUIRE(::dup2(fds[0], 0) == 0);
  ::close(fds[0]);
  InputOptions opt;
  opt.binary = BinaryInput::kAuto;
  std::ostringstream err;
  Diagnostics diag("t", "ok", err);
  const auto seen = collect(opt, diag);
  ::dup2(saved, 0);
  ::close(saved);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0] == Rec{"hxxp://evil[.]com", 1, 4, RecordKind::kPrintableRun});
}
