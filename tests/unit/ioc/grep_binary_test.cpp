// grep_records on binary input: printable runs and (--wide) UTF-16LE strings
// scanned as records, with true offsets and line numbers, in input order with
// several threads too; and text lines scanned in blocks, each with its own hits.
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

TEST_CASE("grep_records: text lines scanned in blocks give each line's own hits", "[ioc]") {
  // Lines are joined into blocks (one thread) or per batch (several); every
  // line must still get exactly the hits of a scan of it alone, with its line
  // number and byte offset: checked against scan_text line by line, across
  // block edges (a line longer than a block), CRLF lines and empty ones.
  std::string data;
  std::string want;
  std::uint64_t offset = 0;
  std::uint64_t lines_with_hits = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string line;
    switch (i % 9) {
      case 0:
        line = "GET hxxp://h" + std::to_string(i) + "[.]example[.]com/x from 10.1.2." +
               std::to_string(i % 250);
        break;
      case 1:
        line = "bob" + std::to_string(i) + "[@]mail.example.org, d41d8cd98f00b204e9800998ecf8427e";
        break;
      case 2: line = ""; break;
      case 3: line = "evil[.]"; break;  // a defang marker at the end of a line
      case 4: line = "com 2001:db8::" + std::to_string(i % 9999); break;
      case 5: line = std::string(40000 + i, 'x') + " 192.0.2." + std::to_string(i % 250); break;
      case 6: line = "[.]org 1.1.1[.1"; break;
      case 7:
        line = "23:21:02 \"Hostname\":\"wrk-1.corp.local\" https://[2001:db8::1]:8443/a";
        break;
      default: line = "nothing here at all"; break;
    }
    const bool crlf = i % 5 == 0;
    const auto hits = ioc::scan::scan_text(line);
    lines_with_hits += hits.empty() ? 0 : 1;
    for (const auto& h : hits)
      want += std::to_string(i + 1) + ":" + std::to_string(offset + h.begin) + ":" + h.value + "\n";
    data += line + (crlf ? "\r\n" : "\n");
    offset += line.size() + (crlf ? 2 : 1);
  }
  ioc::io::InputOptions in;
  ioc::scan::GrepOptions g;
  g.line_number = true;
  g.byte_offset = true;
  for (unsigned jobs : {1u, 2u, 3u}) {
    g.jobs = jobs;
    for (std::size_t chunk : {std::size_t{256} * 1024, std::size_t{4093}}) {
      INFO("jobs " << jobs << " chunk " << chunk);
      in.chunk_size = chunk;
      const Run r = grep(data, in, g);
      CHECK(r.out == want);
      CHECK(r.read == 4000);
      CHECK(r.ok == lines_with_hits);
    }
  }
}
