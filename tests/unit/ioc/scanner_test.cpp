#include "ioc/ioc/scanner.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "../support.hpp"
#include "ioc/ioc/validate.hpp"

using ioc::scan::Hit;
using ioc::scan::ScanOptions;
using ioc::scan::Type;

namespace {

// "type value" for every hit, in order.
std::vector<std::string> found(std::string_view text, ScanOptions opt = {}) {
  std::vector<std::string> out;
  for (const Hit& h : ioc::scan::scan_text(text, opt))
    out.push_back(std::string(ioc::scan::type_name(h.type)) + " " + h.value);
  return out;
}

ScanOptions all() {
  ScanOptions o;
  o.types = ioc::scan::all_types();
  return o;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("scanner: IPv4 addresses and their false positives", "[ioc][scanner]") {
  CHECK(found("connect 45.77.65.211 now") == V{"ipv4 45.77.65.211"});
  CHECK(found("padded 010.001.002.003.") == V{"ipv4 10.1.2.3"});
  CHECK(found("dst=192.168.1.1:8080,") == V{"ipv4 192.168.1.1"});
  CHECK(found("range 10.0.0.1-10.0.0.9") == V{"ipv4 10.0.0.1", "ipv4 10.0.0.9"});
  CHECK(found("oid 1.3.6.1.4.1.311 build 10.0.19041.1").empty());
  CHECK(found("bad 256.1.1.1 and 1.2.3").empty());
  CHECK(found("version 1.2.3.4") == V{"ipv4 1.2.3.4"});
  ScanOptions ctx;
  ctx.context_filter = true;
  CHECK(found("version 1.2.3.4 but host 5.6.7.8", ctx) == V{"ipv4 5.6.7.8"});
  CHECK(found("net 10.0.0.0/8 and 1.2.3.4/33") == V{"ipv4_cidr 10.0.0.0/8", "ipv4 1.2.3.4"});
}

TEST_CASE("scanner: IPv6 in RFC 5952 form, not MACs, times or C++", "[ioc][scanner]") {
  CHECK(found("src 2001:DB8:0:0:0:0:0:1 dst") == V{"ipv6 2001:db8::1"});
  CHECK(found("[fe80::1%eth0]:443") == V{"ipv6 fe80::1"});
  CHECK(found("mapped ::FFFF:1.2.3.4") == V{"ipv6 ::ffff:1.2.3.4"});
  CHECK(found("one zero 2001:db8:0:1:1:1:1:1") == V{"ipv6 2001:db8:0:1:1:1:1:1"});
  CHECK(found("at 12:30:45 std::string a::b::c").empty());
  CHECK(found("mac 00:1a:2b:3c:4d:5e").empty());
  CHECK(found("mac 00:1A:2B:3C:4D:5E", all()) == V{"mac 00:1a:2b:3c:4d:5e"});
  CHECK(found("src:2001:db8::7 x") == V{"ipv6 2001:db8::7"});
  CHECK(found("net 2001:db8::/32.") == V{"ipv6_cidr 2001:db8::/32"});
}

TEST_CASE("scanner: domains need a real TLD and are not file names", "[ioc][scanner]") {
  CHECK(found("beacon to Evil.Example.COM. today") == V{"domain evil.example.com"});
  CHECK(found("update.exe kernel32.dll config.json").empty());
  CHECK(found("C:\\Windows\\System32\\format.com /tmp/run.sh ./x.py").empty());
  CHECK(found("download archive.zip now") == V{"domain archive.zip"});
  CHECK(found("evil[.]sh") == V{"domain evil.sh"});
  CHECK(found("$wc.Download('x'); $shell.Run(cmd)").empty());
  CHECK(found("bücher.de") == V{"domain xn--bcher-kva.de"});
  ScanOptions u;
  u.unicode = true;
  CHECK(found("xn--bcher-kva.de", u) == V{"domain bücher.de"});
  CHECK(found("a.b.c.notatld").empty());
  ScanOptions no_tld;
  no_tld.tld_check = false;
  CHECK(found("host.corp.internal", no_tld) == V{"domain host.corp.internal"});
}

TEST_CASE("scanner: refanging keeps raw spans and marks defanged hits", "[ioc][scanner]") {
  const std::string text = "C2 hxxps://45.77.65[.]211/admin/get.php and evil(dot)com";
  auto hits = ioc::scan::scan_text(text);
  REQUIRE(hits.size() == 3);
  CHECK(hits[0].type == Type::kUrl);
  CHECK(hits[0].value == "https://45.77.65.211/admin/get.php");
  CHECK(hits[0].defanged);
  CHECK(text.substr(hits[0].begin, hits[0].end - hits[0].begin) ==
        "hxxps://45.77.65[.]211/admin/get.php");
  CHECK(hits[1].type == Type::kIpv4);
  CHECK(hits[1].derived);
  CHECK(text.substr(hits[1].begin, hits[1].end - hits[1].begin) == "45.77.65[.]211");
  CHECK(hits[2].type == Type::kDomain);
  CHECK(hits[2].value == "evil.com");
  CHECK(text.substr(hits[2].begin, hits[2].end - hits[2].begin) == "evil(dot)com");

  CHECK(found("1.1.1[.1 and 8.8.8.]8") == V{"ipv4 1.1.1.1", "ipv4 8.8.8.8"});
  CHECK(found("hXXp://evil{.}com[/]x") == V{"url http://evil.com/x", "domain evil.com"});
  CHECK(found("fxp://files[.]evil[.]com") ==
        V{"url ftp://files.evil.com", "domain files.evil.com"});
  CHECK(found("h**ps[:]//evil[.]com") == V{"url https://evil.com", "domain evil.com"});
  CHECK(found("http:\\\\evil.com\\x") == V{"url http://evil.com", "domain evil.com"});
  CHECK(found("bob[@]evil[.]com bob(at)evil.com") == V{"email bob@evil.com", "email bob@evil.com"});
  CHECK(found("evil\xEF\xBC\x8E"
              "com evil\xE3\x80\x82net") == V{"domain evil.com", "domain evil.net"});
  CHECK(found("a defanged host evil[.]com is not a URL") == V{"domain evil.com"});
}

TEST_CASE("scanner: prose 'at' and 'dot' only with --loose", "[ioc][scanner]") {
  CHECK(found("was hosted at evil.com") == V{"domain evil.com"});
  CHECK(found("mail bob at evil dot com").empty());
  ScanOptions loose;
  loose.loose = true;
  CHECK(found("mail bob at evil dot com", loose) == V{"email bob@evil.com"});
}

TEST_CASE("scanner: URLs end where prose does", "[ioc][scanner]") {
  CHECK(found("(see http://evil.com/a_(b))") == V{"url http://evil.com/a_(b)", "domain evil.com"});
  CHECK(found("see http://evil.com/x.") == V{"url http://evil.com/x", "domain evil.com"});
  CHECK(found("\"https://EVIL.com:8443/Path?Q=1\"") ==
        V{"url https://evil.com:8443/Path?Q=1", "domain evil.com"});
  CHECK(found("http://User:Pw@evil.com/") == V{"url http://User:Pw@evil.com/", "domain evil.com"});
  CHECK(found("http://[2001:db8::1]:80/x") ==
        V{"url http://[2001:db8::1]:80/x", "ipv6 2001:db8::1"});
  CHECK(found("http://localhost:8080/x") == V{"url http://localhost:8080/x"});
  ScanOptions no_derived;
  no_derived.derived = false;
  CHECK(found("http://evil.com/", no_derived) == V{"url http://evil.com/"});
  CHECK(found("notascheme://evil.com/").size() == 1);  // the domain only
}

TEST_CASE("scanner: e-mail addresses", "[ioc][scanner]") {
  CHECK(found("From: <Bob.Smith+x@Evil.COM>") == V{"email bob.smith+x@evil.com"});
  CHECK(found("user@localhost and @evil.com").size() == 1);  // only the domain
  CHECK(found("http://user@evil.com/") == V{"url http://user@evil.com/", "domain evil.com"});
}

TEST_CASE("scanner: hashes only at exact lengths with borders", "[ioc][scanner]") {
  const std::string md5 = "d41d8cd98f00b204e9800998ecf8427e";
  const std::string sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
  const std::string sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  CHECK(found("md5=" + md5) == V{"md5 " + md5});
  CHECK(found("VirusShare_" + md5) == V{"md5 " + md5});
  CHECK(found(md5 + ".exe") == V{"md5 " + md5});
  CHECK(found("SHA1: " + std::string("DA39A3EE5E6B4B0D3255BFEF95601890AFD80709")) ==
        V{"sha1 " + sha1});
  CHECK(found("x" + md5).empty());
  CHECK(found(md5 + "0").empty());
  CHECK(found(sha256 + " " + sha256 + sha256) ==
        V{"sha256 " + sha256, "sha512 " + sha256 + sha256});
}

TEST_CASE("scanner: CVE, ATT&CK, ASN, Bitcoin", "[ioc][scanner]") {
  CHECK(found("cve-2021-44228 T1059.001 TA0002 AS13335 ASN 7", all()) ==
        V{"cve CVE-2021-44228", "attack T1059.001", "attack TA0002", "asn AS13335"});
  CHECK(found("CVE-21-1 T12345", all()).empty());
  CHECK(
      found("pay 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 or bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            all()) == V{"btc 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
                        "btc bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"});
  CHECK(found("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", all()).empty());  // bad checksum
}

TEST_CASE("scanner: user agents, URIs and session keys of the hunt", "[ioc][scanner]") {
  const std::string script =
      "$u='Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko';"
      "$ser='https://45.77.65.211:443';$t='/admin/get.php';"
      "$K=[SySTeM.TexT.EnCoDIng]::ASCII.GeTBytes('389288edd78e8ea2f54946d3209b16b8');"
      "$wc.HeADERS.ADd(\"Cookie\",\"session=KLcaOHwzQmtlfPnIXT0+zXGDaDA=\");";
  ScanOptions opt;
  opt.types = ioc::scan::all_types();
  opt.derived = false;
  CHECK(found(script, opt) ==
        V{"user_agent Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
          "url https://45.77.65.211:443", "uri /admin/get.php",
          "session_key 389288edd78e8ea2f54946d3209b16b8",
          "session_key KLcaOHwzQmtlfPnIXT0+zXGDaDA="});
  ScanOptions ua;
  ua.types = {};
  ioc::scan::add(ua.types, Type::kUserAgent);
  ioc::scan::add(ua.types, Type::kUri);
  CHECK(found("10.0.0.5 - - \"GET /news.php?id=1 HTTP/1.1\" 200 \"curl/7.88.1\"", ua) ==
        V{"uri /news.php?id=1", "user_agent curl/7.88.1"});
  CHECK(found("User-Agent: Mozilla/5.0 (X11; Linux x86_64) Firefox/115.0\r", ua) ==
        V{"user_agent Mozilla/5.0 (X11; Linux x86_64) Firefox/115.0"});
}

TEST_CASE("scanner: registry keys and file paths", "[ioc][scanner]") {
  ScanOptions opt;
  opt.types = {};
  ioc::scan::add(opt.types, Type::kRegistry);
  ioc::scan::add(opt.types, Type::kFilepath);
  CHECK(found("reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v x", opt) ==
        V{"registry HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"});
  CHECK(found("ran C:\\Users\\bob\\AppData\\evil.exe, then /tmp/x.sh", opt) ==
        V{"filepath C:\\Users\\bob\\AppData\\evil.exe", "filepath /tmp/x.sh"});
}

TEST_CASE("scanner: custom patterns", "[ioc][scanner]") {
  auto p = ioc::scan::CustomPatterns::parse("# ids\nticket INC-([0-9]+)\n", "test");
  REQUIRE(p);
  ScanOptions opt;
  opt.custom = *p;
  auto hits = ioc::scan::scan_text("see INC-4711 and 1.2.3.4", opt);
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].type == Type::kCustom);
  CHECK(hits[0].name == "ticket");
  CHECK(hits[0].value == "4711");
  CHECK_FALSE(ioc::scan::CustomPatterns::parse("ipv4 x", "t"));
  CHECK_FALSE(ioc::scan::CustomPatterns::parse("bad (", "t"));
  CHECK_FALSE(ioc::scan::CustomPatterns::parse("# nothing\n", "t"));
}

TEST_CASE("scanner: pathological lines stay linear", "[ioc][scanner]") {
  const std::vector<std::string> inputs = {
      std::string(20000, 'A') + "@",
      [] {
        std::string s;
        for (int i = 0; i < 50000; ++i) s += "1.";
        return s;
      }(),
      std::string(1 << 20, 'a'),
      [] {
        std::string s;
        for (int i = 0; i < 20000; ++i) s += "http://";
        return s;
      }(),
      [] {
        std::string s;
        for (int i = 0; i < 20000; ++i) s += "a.b:";
        return s;
      }(),
      [] {
        std::string s;
        for (int i = 0; i < 30000; ++i) s += "[.]";
        return s;
      }(),
  };
  ScanOptions opt = all();
  for (const auto& in : inputs) {
    // Correctness, not timing: the benchmark measures speed. A quadratic scan of
    // these would still finish, but these inputs must produce no spurious hits.
    auto hits = ioc::scan::scan_text(in, opt);
    CHECK(hits.size() <= 1);
  }
}

TEST_CASE("scanner: browser versions in user agents are not addresses", "[ioc][scanner]") {
  CHECK(found("AppleWebKit/537.36 Chrome/118.0.0.0 Safari/537.36").empty());
  CHECK(found("HIER_DIRECT/45.77.65.211") == V{"ipv4 45.77.65.211"});
}

TEST_CASE("scanner: ssdeep needs a real block size", "[ioc][scanner]") {
  ScanOptions opt;
  opt.types = {};
  ioc::scan::add(opt.types, Type::kSsdeep);
  CHECK(found("96:s4Ud1Lj96tHHlZDrwciQmA:s4Ud1Lj96tHHlZDrwciQmA", opt) ==
        V{"ssdeep 96:s4Ud1Lj96tHHlZDrwciQmA:s4Ud1Lj96tHHlZDrwciQmA"});
  CHECK(found("2a00:1450:4001:81a::200e 12:30:45", opt).empty());
}

TEST_CASE("scanner: registry keys in PowerShell code end at the code", "[ioc][scanner]") {
  ScanOptions opt;
  opt.types = {};
  ioc::scan::add(opt.types, Type::kRegistry);
  CHECK(found("(gp HKLM:\\Software\\Microsoft\\Network debug).debug)))\\\"", opt) ==
        V{"registry HKLM:\\Software\\Microsoft\\Network"});
  CHECK(found("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon x", opt) ==
        V{"registry HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon"});
}

TEST_CASE("scanner: hits in input order, URLs and e-mails among the tokens", "[ioc][scanner]") {
  // URLs and e-mail addresses are found before the tokens around them; the
  // hits still come out ordered by position, derived hosts right after their URL.
  const std::string text =
      "1.2.3.4 hxxp://Evil[.]COM/a 5.6.7.8 bob@Mail.Example.org 9.9.9.9 https://[2001:db8::1]/x";
  CHECK(found(text) == std::vector<std::string>{"ipv4 1.2.3.4", "url http://evil.com/a",
                                                "domain evil.com", "ipv4 5.6.7.8",
                                                "email bob@mail.example.org", "ipv4 9.9.9.9",
                                                "url https://[2001:db8::1]/x", "ipv6 2001:db8::1"});
  // Hits append to a vector that already holds some, with raw offsets.
  ioc::scan::Scanner scanner;
  std::vector<Hit> hits;
  scanner.scan("a.example.com", hits);
  scanner.scan("x 10.0.0.1 http://b.example.com/", hits);
  REQUIRE(hits.size() == 4);
  CHECK(hits[0].value == "a.example.com");
  CHECK(hits[1].value == "10.0.0.1");
  CHECK(hits[1].begin == 2);
  CHECK(hits[2].value == "http://b.example.com/");
  CHECK(hits[3].value == "b.example.com");
  CHECK(hits[3].derived);
  // A URL host that is one label, or not under an ICANN TLD, is no domain hit.
  CHECK(found("http://localhost/x http://a.notatld/") ==
        std::vector<std::string>{"url http://localhost/x", "url http://a.notatld/"});
}

TEST_CASE("scanner: the same hits wherever they fall in the byte-class words", "[ioc][scanner]") {
  // The byte classes are built 64 bytes at a time (a padded tail after the
  // last full word), long runs are marked across two words, and a run's flags
  // are read from one or more words: shift an indicator line through every
  // offset around the word edges and check that nothing moves but the offsets.
  const std::string line =
      "1.2.3.4 hxxp://Evil[.]COM/a bob@Mail.Example.org d41d8cd98f00b204e9800998ecf8427e "
      "2001:db8::1 23:21:02 http:x";
  const V expected{"ipv4 1.2.3.4",
                   "url http://evil.com/a",
                   "domain evil.com",
                   "email bob@mail.example.org",
                   "md5 d41d8cd98f00b204e9800998ecf8427e",
                   "ipv6 2001:db8::1"};
  ioc::scan::Scanner scanner;
  for (std::size_t pad = 0; pad <= 140; ++pad) {
    for (const char* filler : {" ", "-"}) {
      std::string text;
      for (std::size_t i = 0; i < pad; ++i) text += i % 8 == 7 ? filler : "z";
      text += ' ';
      const std::size_t at = text.size();
      text += line;
      for (std::size_t tail = 0; tail < pad % 70; ++tail) text += tail % 5 == 4 ? ' ' : 'q';
      std::vector<Hit> hits;
      scanner.scan(text, hits);
      V got;
      for (const Hit& h : hits)
        got.push_back(std::string(ioc::scan::type_name(h.type)) + " " + h.value);
      INFO("pad " << pad << " filler '" << filler << "'");
      REQUIRE(got == expected);
      CHECK(hits[0].begin == at);
      CHECK(text.substr(hits[4].begin, hits[4].end - hits[4].begin) ==
            "d41d8cd98f00b204e9800998ecf8427e");
    }
  }
  // A 32-hex run across a word edge is a hash; 31 or 33 are not (the long-run
  // marks are exact), and a 14-byte run is looked at when Bitcoin is wanted.
  for (std::size_t pad = 30; pad <= 70; ++pad) {
    const std::string text = std::string(pad, ' ') + std::string(32, 'a') + " " +
                             std::string(31, 'b') + " " + std::string(33, 'c');
    CHECK(found(text) == V{"md5 " + std::string(32, 'a')});
  }
  ScanOptions btc;
  btc.types = {};
  ioc::scan::add(btc.types, Type::kBtc);
  for (std::size_t pad = 50; pad <= 66; ++pad)
    CHECK(found(std::string(pad, ' ') + "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", btc) ==
          V{"btc 1BoatSLRHtKNngkdXEeobR76b53LETtpyT"});
}

TEST_CASE("scanner: TLDs of any length are remembered right", "[ioc][scanner]") {
  // Short labels go to the packed table, long ones to the map; each answer is
  // remembered per scanner, so ask twice in one text.
  ioc::scan::Scanner scanner;
  for (int round = 0; round < 2; ++round) {
    std::vector<Hit> hits;
    scanner.scan(
        "a.com b.photography c.international d.notatld e.xn--p1ai f.cx g.exe h.museum "
        "i.abcdefghi j.co.uk",
        hits);
    V got;
    for (const Hit& h : hits) got.push_back(h.value);
    CHECK(got == V{"a.com", "b.photography", "c.international", "e.xn--p1ai", "f.cx", "h.museum",
                   "j.co.uk"});
  }
}

TEST_CASE("scanner: scan_views gives the hits scan gives", "[ioc][scanner]") {
  // One scanner reused for every line (its value buffer is reused too), against
  // a fresh scan per line; custom patterns carry their names.
  auto custom = ioc::scan::CustomPatterns::parse("ticket INC-([0-9]+)\nhost (wrk-[0-9]+)\n", "t");
  REQUIRE(custom);
  ScanOptions opt = all();
  opt.custom = *custom;
  const std::vector<std::string> lines = {
      "1.2.3.4 hxxp://Evil[.]COM/a 5.6.7.8 bob@Mail.Example.org 9.9.9.9 https://[2001:db8::1]/x",
      "INC-42 on wrk-7: CVE-2021-44228 T1059.001 AS13335 aa:bb:cc:dd:ee:ff 10.0.0.0/8",
      "D41D8CD98F00B204E9800998ECF8427E.exe VirusShare_da39a3ee5e6b4b0d3255bfef95601890afd80709",
      "User-Agent: Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
      "$ser='https://45.77.65.211:443';$t='/admin/get.php';"
      "$K=[SYSTEM.TEXT.ENCODING]::ASCII.GetBytes('2c8d5f9b1e3a7c6d0f4b8a2e6c1d9f3b');",
      "Cookie: session=QWxhZGRpbjpvcGVuIHNlc2FtZQ== HKLM\\Software\\Microsoft\\Run C:\\x\\a.exe",
      "",
      "no indicators here at all",
      "b\xC3\xBC"
      "cher.de x@b\xC3\xBC"
      "cher.de 96:abcdefghijklmnopqrstu:abcdefghijkl",
      "1BoatSLRHtKNngkdXEeobR76b53LETtpyT fe80::1%eth0 ::ffff:1.2.3.4 2001:db8::/32",
  };
  ioc::scan::Scanner scanner(opt);
  std::size_t total = 0;
  for (int round = 0; round < 2; ++round) {
    for (const std::string& line : lines) {
      const std::vector<Hit> want = ioc::scan::scan_text(line, opt);
      const std::span<const ioc::scan::HitView> got = scanner.scan_views(line);
      INFO(line);
      REQUIRE(got.size() == want.size());
      for (std::size_t i = 0; i < want.size(); ++i) {
        CHECK(got[i].type == want[i].type);
        CHECK(got[i].value == want[i].value);
        CHECK(got[i].begin == want[i].begin);
        CHECK(got[i].end == want[i].end);
        CHECK(got[i].defanged == want[i].defanged);
        CHECK(got[i].derived == want[i].derived);
        CHECK(got[i].name == want[i].name);
        CHECK(got[i].decoded_from.empty());
        CHECK(got[i].raw.empty());
        const ioc::scan::HitView v = ioc::scan::view_of(want[i]);
        CHECK(v.value == want[i].value);
        CHECK(v.value.data() == want[i].value.data());
      }
      total += want.size();
    }
  }
  CHECK(total > 60);  // the lines above hold indicators of nearly every type
  // Custom pattern names come through the views.
  const auto views = scanner.scan_views("INC-7 wrk-9");
  REQUIRE(views.size() == 2);
  CHECK(views[0].name == "ticket");
  CHECK(views[0].value == "7");
  CHECK(views[1].name == "host");
}

TEST_CASE("scanner: lines joined by newlines give each line's hits", "[ioc][scanner]") {
  // iocgrep scans many lines in one call when no hit can span a newline
  // (Scanner::line_bounded): every pair of these lines, joined, must give the
  // hits of each line alone at their places. The lines put defang markers,
  // URL, e-mail, IPv6, CIDR and context pieces at their starts and ends.
  const std::vector<std::string> lines = {
      "hxxp[:]//evil[.]com/a",
      "seen at evil[.]",
      "com and 1.1.1[.1",
      "[.]com x.]com evil.]com",
      "mail bob[at]",
      "(at)evil.com bob(@)evil(dot)com",
      "evil\\.com a\\.",
      ".b http://x.com",
      "bob@",
      "@x.com a@b.example.org",
      "2001:db8::",
      "::1 fe80::1%eth0 10.0.0.0/",
      "/24 10.1.0.0/16 2001:db8::/32",
      "d41d8cd98f00b204e9800998ecf8427e",
      "$wc.Download x.com( Chrome/118.0.0.0 version 1.2.3.4",
      "hXXps:",
      "//evil.com http:\\\\x.example.com",
      "evil\xEF\xBC\x8E"
      "com evil\xEF\xBC\x8E",
      "\xE3\x80\x82"
      "com \xE3\x80",
      "\x82"
      "x [",
      "( (. [.",
      "23:21:02 aa:bb:cc:dd:ee:ff CVE-2021-44228 T1059 AS13335",
      "",
      "1BoatSLRHtKNngkdXEeobR76b53LETtpyT https://[2001:db8::1]:8443/x?q=(a)",
  };
  std::vector<ScanOptions> options(6);
  options[1].loose = true;
  options[2].context_filter = true;
  options[2].unicode = true;
  options[3].refang = false;
  options[3].derived = false;
  options[4].tld_check = false;
  options[5].types = ioc::scan::all_types();  // less the RE2-backed types
  for (Type t : {Type::kUserAgent, Type::kUri, Type::kSessionKey, Type::kRegistry, Type::kFilepath,
                 Type::kSsdeep})
    options[5].types.reset(static_cast<std::size_t>(t));
  const auto key = [](const Hit& h, std::size_t shift) {
    return std::string(ioc::scan::type_name(h.type)) + " " + h.value + " " +
           std::to_string(h.begin + shift) + "-" + std::to_string(h.end + shift) +
           (h.defanged ? " d" : "") + (h.derived ? " h" : "");
  };
  std::size_t compared = 0;
  for (const ScanOptions& opt : options) {
    ioc::scan::Scanner scanner(opt);
    REQUIRE(scanner.line_bounded());
    for (const std::string& a : lines) {
      for (const std::string& b : lines) {
        V want;
        for (const Hit& h : ioc::scan::scan_text(a, opt)) want.push_back(key(h, 0));
        for (const Hit& h : ioc::scan::scan_text(b, opt)) want.push_back(key(h, a.size() + 1));
        std::vector<Hit> joined;
        scanner.scan(a + "\n" + b, joined);
        V got;
        for (const Hit& h : joined) got.push_back(key(h, 0));
        INFO("lines '" << a << "' and '" << b << "'");
        REQUIRE(got == want);
        compared += want.size();
      }
    }
  }
  CHECK(compared > 3000);
  // RE2-backed types and custom patterns may match across a newline.
  CHECK_FALSE(ioc::scan::Scanner(all()).line_bounded());
  ScanOptions custom;
  custom.custom = *ioc::scan::CustomPatterns::parse("x (a\\s+b)\n", "t");
  CHECK_FALSE(ioc::scan::Scanner(custom).line_bounded());
}

TEST_CASE("scanner: dotted quads and their canonical form agree with canonical_ipv4",
          "[ioc][scanner]") {
  // Every combination of these groups (empty, leading zeros, 4 digits, > 255):
  // the scanner's IPv4 hit is canonical_ipv4 of the text, or none.
  const std::vector<std::string> groups = {"",    "0",   "00",  "000",  "7",   "07",
                                           "007", "255", "256", "0255", "1234"};
  ScanOptions opt;
  opt.types = {};
  ioc::scan::add(opt.types, Type::kIpv4);
  ioc::scan::Scanner scanner(opt);
  std::size_t found_some = 0;
  for (const auto& a : groups)
    for (const auto& b : groups)
      for (const auto& c : groups)
        for (const auto& d : groups) {
          const std::string quad = a + "." + b + "." + c + "." + d;
          const auto want = ioc::scan::canonical_ipv4(quad);
          std::vector<Hit> hits;
          scanner.scan("x " + quad + " y", hits);
          INFO(quad);
          REQUIRE(hits.size() == (want ? 1u : 0u));
          if (want) {
            CHECK(hits[0].value == *want);
            CHECK(hits[0].begin == 2);
            CHECK(hits[0].end == 2 + quad.size());
            ++found_some;
          }
        }
  CHECK(found_some == 7 * 7 * 7 * 7);  // the groups of at most three digits and <= 255
}

TEST_CASE("scanner: runs passed over for their colons hold nothing", "[ioc][scanner]") {
  // With the default types, only runs with a dot, long runs, and colons that
  // may make an IPv6 address ("::", or six colons close together) are looked
  // at. With CVE wanted too, every run is: the other hits must be the same.
  // Random runs of hex digits, colons, dots and letters, at every word offset.
  ScanOptions every;
  ioc::scan::add(every.types, Type::kCve);
  ioc::test::Random next(0x9E3779B97F4A7C15u);
  const std::string_view atoms[] = {":",    ":", "::",   "1",      "ab",      "2001", "db8",
                                    "fe80", ".", "10",   "0",      "g",       "x",    "%",
                                    "/",    "z", "ffff", "1:2:3:", "a:b:c:d:"};
  std::size_t v6 = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text(next(70), ' ');
    for (int run = 0; run < 4; ++run) {
      const std::size_t parts = 1 + next(24);
      for (std::size_t p = 0; p < parts; ++p) text += atoms[next(std::size(atoms))];
      text += next(4) == 0 ? "\n" : " ";
    }
    std::vector<std::string> want;
    for (const std::string& h : found(text, every))
      if (h.rfind("cve ", 0) != 0) want.push_back(h);
    const std::vector<std::string> got = found(text);
    for (const std::string& h : got) v6 += h.rfind("ipv6 ", 0) == 0;
    INFO(text);
    REQUIRE(got == want);
  }
  CHECK(v6 > 300);  // the atoms make addresses often, some without "::"
}

TEST_CASE("scanner: runs of digits, dots and dashes hold an IPv4 address only in four numbers",
          "[ioc][scanner]") {
  // Runs without letters and with fewer than three dots are passed over before
  // piece(): against a reference made here, which trims '.' and '-' off each
  // run, splits it at its dashes, trims each side, and takes four numbers of
  // one to three digits, each at most 255, as an address.
  ioc::test::Random next(0x2545F4914F6CDD1Du);
  const auto trim = [](std::string_view v) {
    while (!v.empty() && (v.front() == '.' || v.front() == '-')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == '.' || v.back() == '-')) v.remove_suffix(1);
    return v;
  };
  const auto address = [](std::string_view v) -> std::optional<std::string> {
    std::string out;
    int numbers = 0;
    for (std::size_t i = 0; i <= v.size(); ++numbers) {
      std::size_t j = i;
      while (j < v.size() && v[j] >= '0' && v[j] <= '9') ++j;
      if (j == i || j - i > 3 || (j < v.size() && v[j] != '.')) return std::nullopt;
      const int n = std::stoi(std::string(v.substr(i, j - i)));
      if (n > 255) return std::nullopt;
      out += (numbers > 0 ? "." : "") + std::to_string(n);
      i = j + 1;
    }
    if (numbers != 4) return std::nullopt;
    return out;
  };
  const std::string_view atoms[] = {"1", "25", "255", "256", "0",  "00",      "7",   "1234",
                                    ".", ".",  ".",   "-",   "..", "1.2.3.4", "10.0"};
  ScanOptions v4;
  v4.types = {};
  ioc::scan::add(v4.types, Type::kIpv4);
  std::size_t addresses = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string text(next(70), ' ');
    std::vector<std::string> want;
    for (int run = 0; run < 4; ++run) {
      std::string r;
      for (std::size_t p = 0, parts = 1 + next(10); p < parts; ++p)
        r += atoms[next(std::size(atoms))];
      text += r + (next(4) == 0 ? "\n" : " ");
      const std::string_view whole = trim(r);
      for (std::size_t i = 0; i <= whole.size();) {
        const std::size_t dash = std::min(whole.find('-', i), whole.size());
        if (auto a = address(trim(whole.substr(i, dash - i)))) want.push_back("ipv4 " + *a);
        i = dash + 1;
      }
    }
    addresses += want.size();
    INFO(text);
    REQUIRE(found(text, v4) == want);
    REQUIRE(found(text) == found(text, v4));  // the default types find nothing else here
  }
  CHECK(addresses > 500);
}

TEST_CASE("scanner: runs passed over for their length hold no hash", "[ioc][scanner]") {
  // With the default types, a run of letters and digits alone is looked at
  // only at the length of a hash. With CVE wanted too, every run is: the
  // other hits must be the same. Runs of 20 to 140 hex digits (some with a
  // letter that is no hex digit), joined by borders and by '-' and '.'.
  ScanOptions every;
  ioc::scan::add(every.types, Type::kCve);
  ioc::test::Random next(0x853C49E6748FEA9Bu);
  const std::size_t lengths[] = {31, 32, 33, 39, 40, 41, 63, 64, 65, 127, 128, 129};
  const std::string_view joins[] = {" ", " ", "-", ".", "_", "=", "/", "+", "\n", ".exe "};
  std::size_t hashes = 0;
  for (int round = 0; round < 1500; ++round) {
    std::string text(next(70), ' ');
    for (int run = 0; run < 3; ++run) {
      const std::size_t len = next(3) == 0 ? 20 + next(121) : lengths[next(std::size(lengths))];
      for (std::size_t k = 0; k < len; ++k)
        text += "0123456789abcdefABCDEFxyz"[next(next(8) == 0 ? 25 : 22)];
      text += joins[next(std::size(joins))];
    }
    std::vector<std::string> want;
    for (const std::string& h : found(text, every))
      if (h.rfind("cve ", 0) != 0) want.push_back(h);
    const std::vector<std::string> got = found(text);
    for (const std::string& h : got) hashes += h.rfind("md5 ", 0) == 0 || h.rfind("sha", 0) == 0;
    INFO(text);
    REQUIRE(got == want);
  }
  CHECK(hashes > 300);
}

TEST_CASE("scanner: a URL ends at the first stop byte, wherever the 16-byte steps fall",
          "[ioc][scanner]") {
  // Stop bytes: controls and space, DEL, and " ' < > ` \ ^ { | }. The host is
  // long enough for the authority to be searched 16 bytes at a time too.
  const auto stop = [](unsigned c) {
    return c <= 0x20 || c == 0x7f ||
           std::string_view("\"'<>`\\^{|}").find(static_cast<char>(c)) != std::string_view::npos;
  };
  const std::string head = "http://sub1.sub2.sub3.example.com/";
  for (std::size_t pad = 0; pad < 32; ++pad) {
    for (std::size_t k : {0u, 5u, 17u, 40u}) {
      for (unsigned b = 1; b < 256; ++b) {
        const std::string path(k, 'x');
        const std::string text = std::string(pad, ' ') + head + path + static_cast<char>(b) + "yz";
        std::vector<std::string> urls;
        for (const Hit& h : ioc::scan::scan_text(text))
          if (h.type == Type::kUrl) urls.push_back(h.value);
        INFO("pad " << pad << " path " << k << " byte " << b);
        REQUIRE(urls.size() == 1);
        CHECK(urls[0] ==
              head + path + (stop(b) ? "" : std::string(1, static_cast<char>(b)) + "yz"));
      }
    }
  }
  // The authority ends at '/', '?' or '#' too, and at most 512 bytes on.
  for (std::size_t pad = 0; pad < 20; ++pad)
    for (const char* end : {"/a", "?q=1", "#frag", " rest"}) {
      const std::string text = std::string(pad, ' ') + "https://a-long-host-name.example.org" + end;
      std::vector<std::string> urls;
      for (const Hit& h : ioc::scan::scan_text(text))
        if (h.type == Type::kUrl) urls.push_back(h.value);
      REQUIRE(urls.size() == 1);
      CHECK(urls[0] == text.substr(pad, end[0] == ' ' ? text.size() - pad - 5 : std::string::npos));
    }
  const std::string label(60, 'a');
  std::string host;
  for (int i = 0; i < 9; ++i) host += label + ".";
  CHECK(found("http://" + host + "com/x").empty());  // an authority of 549 bytes
}
