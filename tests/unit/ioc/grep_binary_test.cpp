// grep_records on binary input: printable runs and (--wide) UTF-16LE strings
// scanned as records, with true offsets and line numbers, in input order with
// several threads too.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../support.hpp"
#include "ioc/io/diagnostics.hpp"
#include "ioc/io/output.hpp"
#include "ioc/ioc/grep.hpp"

using ioc::test::utf16le;

using namespace std::string_literals;

namespace {

std::filesystem::path temp_path(const std::string& what) {
  static int counter = 0;
  return std::filesystem::temp_directory_path() /
         ("ioc_grep_bin_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + what);
}

struct Run {
  std::string out;
  std::uint64_t read = 0, ok = 0, failed = 0;
};

// grep_records over `data` (in a file), its output as text.
Run grep(const std::string& data, ioc::io::InputOptions in, const ioc::scan::GrepOptions& g) {
  const auto input = temp_path(".bin");
  const auto output = temp_path(".out");
  {
    std::ofstream f(input, std::ios::binary);
    f << data;
  }
  in.paths = {input.string()};
  Run r;
  std::ostringstream err;
  ioc::io::Diagnostics diag("iocgrep", "matched", err);
  {
    const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(fd >= 0);
    ioc::io::Output out(fd, ioc::io::Output::Buffering::kBlock);
    ioc::scan::grep_records(in, g, out, diag);
    out.flush();
    ::close(fd);
  }
  std::ifstream f(output, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  r.out = ss.str();
  r.read = diag.read();
  r.ok = diag.ok();
  r.failed = diag.failed();
  CHECK(err.str().empty());
  std::filesystem::remove(input);
  std::filesystem::remove(output);
  return r;
}

}  // namespace

TEST_CASE("grep_records scans the printable runs of binary input", "[ioc]") {
  const std::string data = "MZ\x90\0\0\0"s +                               // 0
                           "GET http://evil.example.com/a HTTP/1.1\0"s +   // 6
                           "\x01\n\x02"s + utf16le("c2.bad-domain.net") +  // 45, 48
                           "\0\0\xff\xfe"s + "10.1.2.3\0"s;                // 82, 84, 86
  ioc::io::InputOptions in;
  in.binary = ioc::io::BinaryInput::kAuto;
  ioc::scan::GrepOptions g;
  g.line_number = true;
  g.byte_offset = true;
  g.with_type = true;

  SECTION("runs only by default") {
    const Run r = grep(data, in, g);
    CHECK(r.out ==
          "1:10:url\thttp://evil.example.com/a\n"
          "1:17:domain\tevil.example.com\n"
          "2:86:ipv4\t10.1.2.3\n");
    CHECK(r.read == 2);
    CHECK(r.ok == 2);
  }
  SECTION("--wide: UTF-16LE strings too, at the string's offset") {
    g.wide = true;
    const Run r = grep(data, in, g);
    CHECK(r.out ==
          "1:10:url\thttp://evil.example.com/a\n"
          "1:17:domain\tevil.example.com\n"
          "2:48:domain\tc2.bad-domain.net\n"
          "2:86:ipv4\t10.1.2.3\n");
    CHECK(r.read == 3);
    g.format = ioc::scan::GrepFormat::kJsonl;
    const Run j = grep(data, in, g);
    CHECK(j.out.find(R"("value":"c2.bad-domain.net","raw":"c2.bad-domain.net")") !=
          std::string::npos);
    CHECK(j.out.find(R"("line":2,"offset":48,"decoded_from":"utf16le"})") != std::string::npos);
  }
  SECTION("-a (kText): lines, as before") {
    in.binary = ioc::io::BinaryInput::kText;
    g.wide = true;
    const Run r = grep(data, in, g);
    CHECK(r.out ==
          "1:10:url\thttp://evil.example.com/a\n"
          "1:17:domain\tevil.example.com\n"
          "2:86:ipv4\t10.1.2.3\n"
          "2:48:domain\tc2.bad-domain.net\n");  // a line's decoded hits come after the others
    CHECK(r.read == 2);
  }
}

TEST_CASE("grep_records gives the same output for binary input with threads and any chunk size",
          "[ioc]") {
  // Enough runs for several batches of the parallel reader.
  std::string data = "\x7f"s + "ELF\0\0"s;
  for (int i = 0; i < 6000; ++i) {
    data += "host" + std::to_string(i) + ".example.org 10.0." + std::to_string(i / 250) + "." +
            std::to_string(i % 250);
    data += i % 7 == 0 ? "\n"s : "\0\x01"s;
    if (i % 11 == 0) data += utf16le("u" + std::to_string(i) + ".bad.net") + "\0\0"s;
  }
  ioc::io::InputOptions in;
  in.binary = ioc::io::BinaryInput::kAuto;
  ioc::scan::GrepOptions g;
  g.line_number = true;
  g.byte_offset = true;
  g.wide = true;
  const Run one = grep(data, in, g);
  CHECK(one.read == 6000 + 6000 / 11 + 1);
  for (unsigned jobs : {2u, 3u}) {
    g.jobs = jobs;
    for (std::size_t chunk : {std::size_t{256} * 1024, std::size_t{333}}) {
      INFO("jobs " << jobs << " chunk " << chunk);
      in.chunk_size = chunk;
      const Run r = grep(data, in, g);
      CHECK(r.out == one.out);
      CHECK(r.read == one.read);
      CHECK(r.ok == one.ok);
    }
  }
}

TEST_CASE("grep_records: section and symbol names of a binary are not domains", "[ioc]") {
  // ELF section names and Go's "type:.eq.<package>" symbols end in real TLDs
  // (.got, .ro, .property, .com); a name right after a '.' in a printable run
  // is not reported. In text such a name is a domain (a cookie's ".example.com").
  const std::string data = "\x7f"s + "ELF\0\0"s + ".plt.got\0.data.rel.ro\0.note.gnu.property\0"s +
                           "type:.eq.github.com/x/y\0"s +
                           "see https://github.com/x and c2.evil.com\0"s;
  ioc::io::InputOptions in;
  in.binary = ioc::io::BinaryInput::kAuto;
  ioc::scan::GrepOptions g;
  g.with_type = true;
  CHECK(grep(data, in, g).out ==
        "url\thttps://github.com/x\n"
        "domain\tgithub.com\n"
        "domain\tc2.evil.com\n");
  in.binary = ioc::io::BinaryInput::kText;  // -a: lines of text, the names are kept
  const std::string text = grep(data, in, g).out;
  CHECK(text.find("domain\tplt.got\n") != std::string::npos);
  CHECK(text.find("domain\teq.github.com\n") != std::string::npos);
}
