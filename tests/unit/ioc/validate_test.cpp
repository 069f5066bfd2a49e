#include "ioc/ioc/validate.hpp"

#include <catch2/catch.hpp>

#include "ioc/ioc/refang.hpp"
#include "ioc/ioc/types.hpp"

using namespace ioc::scan;

TEST_CASE("validate: IPv4 canonical form and special ranges", "[ioc][validate]") {
  CHECK(canonical_ipv4("010.001.002.003") == "10.1.2.3");
  CHECK(canonical_ipv4("255.255.255.255") == "255.255.255.255");
  CHECK_FALSE(canonical_ipv4("256.1.1.1"));
  CHECK_FALSE(canonical_ipv4("1.2.3"));
  CHECK_FALSE(canonical_ipv4("1.2.3.4.5"));
  CHECK_FALSE(canonical_ipv4("1..2.3"));
  CHECK_FALSE(canonical_ipv4("0001.2.3.4"));
  for (const char* special :
       {"10.1.2.3", "127.0.0.1", "172.31.255.255", "192.168.0.1", "100.64.0.1", "169.254.1.1",
        "192.0.2.5", "198.51.100.7", "203.0.113.9", "224.0.0.1", "255.255.255.255", "0.1.2.3",
        "198.18.0.1"})
    CHECK(is_special_ipv4(*parse_ipv4(special)));
  for (const char* pub : {"45.77.65.211", "8.8.8.8", "172.32.0.1", "100.128.0.1", "1.1.1.1"})
    CHECK_FALSE(is_special_ipv4(*parse_ipv4(pub)));
}

TEST_CASE("validate: IPv6 RFC 5952 and special ranges", "[ioc][validate]") {
  CHECK(canonical_ipv6("2001:0DB8:0000:0000:0000:0000:0000:0001") == "2001:db8::1");
  CHECK(canonical_ipv6("2001:db8:0:0:1:0:0:1") == "2001:db8::1:0:0:1");
  CHECK(canonical_ipv6("2001:db8:0:1:1:1:1:1") == "2001:db8:0:1:1:1:1:1");
  CHECK(canonical_ipv6("::ffff:1.2.3.4") == "::ffff:1.2.3.4");
  CHECK(canonical_ipv6("fe80::1%eth0") == "fe80::1");
  CHECK_FALSE(canonical_ipv6("12:30:45"));
  CHECK_FALSE(canonical_ipv6("1::2::3"));
  for (const char* special : {"::1", "::", "fe80::1", "fc00::1", "fd12::1", "ff02::1",
                              "2001:db8::1", "::ffff:10.0.0.1", "3fff::1", "fec0::1"})
    CHECK(is_special_ipv6(*parse_ipv6(special)));
  for (const char* pub : {"2a00:1450:4001:81a::200e", "2606:4700::1111", "::ffff:8.8.8.8"})
    CHECK_FALSE(is_special_ipv6(*parse_ipv6(pub)));
  CHECK(is_ipv4_cidr("10.0.0.0/8"));
  CHECK_FALSE(is_ipv4_cidr("10.0.0.0/33"));
  CHECK(is_ipv6_cidr("2001:db8::/32"));
  CHECK_FALSE(is_ipv6_cidr("2001:db8::/129"));
}

TEST_CASE("validate: domains, TLDs and IDN", "[ioc][validate]") {
  CHECK(canonical_domain("WWW.Example.COM.") == "www.example.com");
  CHECK(canonical_domain("evil.zip") == "evil.zip");
  CHECK_FALSE(canonical_domain("update.exe"));
  CHECK_FALSE(canonical_domain("kernel32.dll"));
  CHECK_FALSE(canonical_domain("-bad.com"));
  CHECK_FALSE(canonical_domain("a..com"));
  CHECK_FALSE(canonical_domain("com"));
  CHECK_FALSE(canonical_domain("1.2.3.4"));
  CHECK_FALSE(canonical_domain(std::string(64, 'a') + ".com"));
  CHECK(canonical_domain("ＥＸＡＭＰＬＥ.com") == "example.com");  // UTS #46 maps full-width
  CHECK(canonical_domain("пример.рф") == "xn--e1afmkfd.xn--p1ai");
  CHECK(canonical_domain("xn--e1afmkfd.xn--p1ai", {.unicode = true}) == "пример.рф");
  CHECK_FALSE(canonical_domain("xn--zz.com"));
  CHECK(is_icann_tld("com"));
  CHECK(is_icann_tld("xn--p1ai"));
  CHECK_FALSE(is_icann_tld("exe"));
  CHECK(registrable_domain("a.b.example.co.uk") == "example.co.uk");
  CHECK(public_suffix_list_info().rfind("libpsl", 0) == 0);
}

TEST_CASE("validate: MAC, hashes, Bitcoin", "[ioc][validate]") {
  CHECK(canonical_mac("00-1A-2B-3C-4D-5E") == "00:1a:2b:3c:4d:5e");
  CHECK(canonical_mac("001a.2b3c.4d5e") == "00:1a:2b:3c:4d:5e");
  CHECK_FALSE(canonical_mac("00:1a-2b:3c:4d:5e"));
  CHECK(hash_type_of(std::string(32, 'a')) == Type::kMd5);
  CHECK(hash_type_of(std::string(40, 'F')) == Type::kSha1);
  CHECK(hash_type_of(std::string(64, '0')) == Type::kSha256);
  CHECK(hash_type_of(std::string(128, '9')) == Type::kSha512);
  CHECK_FALSE(hash_type_of(std::string(31, 'a') + "g"));
  CHECK_FALSE(hash_type_of(std::string(33, 'a')));
  CHECK(is_btc_address("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"));
  CHECK(is_btc_address("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"));
  CHECK(is_btc_address("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"));
  CHECK_FALSE(is_btc_address("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"));
  CHECK_FALSE(is_btc_address("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdz"));
}

TEST_CASE("types: names and lists", "[ioc][types]") {
  CHECK(type_name(Type::kSessionKey) == "session_key");
  CHECK(type_from_name("ipv4_cidr") == Type::kIpv4Cidr);
  CHECK_FALSE(type_from_name("IPv4"));
  auto set = parse_type_list("ipv4, domain");
  REQUIRE(set);
  CHECK(set->count() == 2);
  CHECK(parse_type_list("all")->count() == kTypeCount - 1);
  CHECK_FALSE(parse_type_list("ipv5"));
  CHECK_FALSE(parse_type_list(""));
  CHECK(has(default_types(), Type::kSha256));
  CHECK_FALSE(has(default_types(), Type::kUserAgent));
}

TEST_CASE("refang: text, offsets and changes", "[ioc][refang]") {
  CHECK(refang_text("hxxps[:]//evil[.]com[/]a") == "https://evil.com/a");
  CHECK(refang_text("1.1.1[.1 evil.]com a\\.b") == "1.1.1.1 evil.com a.b");
  CHECK(refang_text("x [.] y") == "x [.] y");  // not between host characters
  CHECK(refang_text("[https]://x (at) [dot]") == "https://x (at) [dot]");
  CHECK(refang_text("see the hotel") == "see the hotel");
  CHECK(refang_text("bob[ at ]evil[ dot ]com") == "bob@evil.com");
  CHECK(refang_text("bob at evil dot com", {.loose = true}) == "bob@evil.com");
  Refanged r;
  REQUIRE(refang("ab[.]cd", {}, r));
  CHECK(r.text == "ab.cd");
  CHECK(r.raw_offset(3) == 5);
  CHECK(r.raw_offset(5) == 7);
  CHECK(r.raw_offset(2) == 2);  // the '.' stands for "[.]" at 2..5
  CHECK(r.changed(0, 3));
  CHECK_FALSE(r.changed(3, 5));
  CHECK_FALSE(refang("nothing here", {}, r));
  // Every offset: the scheme word replaced in place, "[:]" and "[dot]" by one
  // byte each (mapped to their first raw byte), copies in between.
  REQUIRE(refang("hxxp[:]//a[dot]b", {}, r));
  REQUIRE(r.text == "http://a.b");
  const std::vector<std::size_t> want{0, 1, 2, 3, 4, 7, 8, 9, 10, 15, 16};
  std::vector<std::size_t> got;
  for (std::size_t i = 0; i <= r.text.size(); ++i) got.push_back(r.raw_offset(i));
  CHECK(got == want);
  REQUIRE(r.changes.size() == 3);
  CHECK(r.changes[1].begin == 4);
  CHECK(r.changes[1].end == 5);
  CHECK(r.changes[1].raw_begin == 4);
  CHECK(r.changes[1].raw_end == 7);
}

TEST_CASE("refang: the trigger search finds what a byte-by-byte search finds", "[ioc][refang]") {
  // The default search takes 16 bytes at a time and drops idle triggers before
  // the matcher; the --loose search tries every trigger byte one by one, and
  // finds the same markers in text without spaces (loose adds " at ", " dot ").
  const std::vector<std::string> atoms = {"[",
                                          "]",
                                          "(",
                                          ")",
                                          "{",
                                          "}",
                                          ":",
                                          "/",
                                          "\\",
                                          ".",
                                          "@",
                                          "|",
                                          "dot",
                                          "at",
                                          "hxxp",
                                          "h**p",
                                          "fxp",
                                          "https",
                                          "x",
                                          "a1",
                                          "-",
                                          "_",
                                          "*",
                                          "\xE3\x80\x82",
                                          "\xEF\xBC\x8E",
                                          "\xEF\xBD\xA1",
                                          "\xE7\x80",
                                          "\xEB",
                                          "evil",
                                          "com",
                                          "1",
                                          "22"};
  std::uint32_t seed = 12345;
  const auto next = [&] {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % atoms.size();
  };
  Refanged fast, slow;
  std::size_t changed = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string raw;
    const std::size_t n = 1 + round % 60;
    for (std::size_t k = 0; k < n; ++k) raw += atoms[next()];
    const bool a = refang(raw, {}, fast);
    const bool b = refang(raw, {.loose = true}, slow);
    INFO(raw);
    REQUIRE(a == b);
    if (!a) continue;
    ++changed;
    REQUIRE(fast.text == slow.text);
    REQUIRE(fast.changes == slow.changes);
  }
  CHECK(changed > 500);  // the atoms make markers often
}

TEST_CASE("refang: three-byte markers between every pair of bytes", "[ioc][refang]") {
  // "[.]" "(.)" "{.}" become "." between host bytes (letters, digits, '-',
  // UTF-8 bytes); "[@]" "(@)" "{@}" become "@" after a local-part byte (ASCII
  // letters, digits, "_-.") and before a host byte; otherwise they stay. Every byte before and
  // after that starts no marker of its own, after "x" and before "y".
  const auto alnum = [](unsigned c) {
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  };
  const auto host = [&](unsigned c) { return alnum(c) || c == '-' || c >= 0x80; };
  const std::string_view triggers = "[](){}:\\|";
  std::size_t changed = 0;
  for (const char* marker : {"[.]", "(.)", "{.}", "[@]", "(@)", "{@}"}) {
    const bool dot = marker[1] == '.';
    for (unsigned before = 1; before < 256; ++before) {
      if (triggers.find(static_cast<char>(before)) != std::string_view::npos) continue;
      if (before == 0xE3 || before == 0xEF) continue;  // lead bytes of full-width dots
      for (unsigned after = 1; after < 256; ++after) {
        if (triggers.find(static_cast<char>(after)) != std::string_view::npos) continue;
        if (after == 0xE3 || after == 0xEF) continue;
        const std::string head = std::string("x") + static_cast<char>(before);
        const std::string tail = std::string(1, static_cast<char>(after)) + "y";
        const bool want =
            dot ? host(before) && host(after)
                : (alnum(before) || before == '_' || before == '-' || before == '.') && host(after);
        INFO(marker << " after byte " << before << ", before byte " << after);
        REQUIRE(refang_text(head + marker + tail) ==
                head + (want ? std::string(1, marker[1]) : std::string(marker)) + tail);
        changed += want;
      }
    }
  }
  CHECK(changed > 50000);
  // After a defanged scheme word, the word is replaced first, then the marker.
  CHECK(refang_text("hxxp[.]evil") == "http.evil");
  CHECK(refang_text("hXXps[.]evil") == "https.evil");
  CHECK(refang_text("fxp[@]evil") == "ftp@evil");
  CHECK(refang_text("hxxp(.)evil") == "hxxp.evil");  // only '[' follows a scheme word
}

TEST_CASE("refang: the cursor answers as the searches do, in any order", "[ioc][refang]") {
  // Many changes (a block of lines), queried in order, in reverse and jumping.
  std::string raw;
  for (int i = 0; i < 40; ++i)
    raw += "a" + std::to_string(i) + "[.]b hxxp[:]//c(dot)d x\\.y bob[at]e[.]f 1.1.1[.1\n";
  Refanged r;
  REQUIRE(refang(raw, {}, r));
  REQUIRE(r.changes.size() > 200);
  const std::size_t n = r.text.size();
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i <= n; ++i) order.push_back(i);
  for (std::size_t i = n + 1; i-- > 0;) order.push_back(i);
  for (std::size_t i = 0; i <= n; i += 7) order.push_back((i * 7919) % (n + 1));
  Refanged::Cursor cursor(r);
  for (std::size_t i : order) {
    INFO("offset " << i);
    REQUIRE(cursor.raw_offset(i) == r.raw_offset(i));
    const std::size_t e = std::min(n, i + 3);
    REQUIRE(cursor.changed(i, e) == r.changed(i, e));
  }
  // map(): both ends of every span up to 12 bytes long, begins in any order.
  Refanged::Cursor spans(r);
  for (std::size_t b : order)
    for (std::size_t len = 0; len <= 12 && b + len <= n; ++len) {
      INFO("span " << b << "+" << len);
      std::size_t rb = b, re = b + len;
      REQUIRE(spans.map(rb, re) == r.changed(b, b + len));
      REQUIRE(rb == r.raw_offset(b));
      REQUIRE(re == r.raw_offset(b + len));
    }
}

TEST_CASE("refang: defang for tickets", "[ioc][refang]") {
  CHECK(defang(Type::kUrl, "https://evil.com/a.php") == "hxxps://evil[.]com/a.php");
  CHECK(defang(Type::kDomain, "evil.com") == "evil[.]com");
  CHECK(defang(Type::kEmail, "bob@evil.com") == "bob[@]evil[.]com");
  CHECK(defang(Type::kIpv6, "2001:db8::1") == "2001[:]db8[:][:]1");
  CHECK(defang(Type::kMd5, "abc") == "abc");
}

TEST_CASE("validate: fast paths agree with the plain definitions", "[ioc][validate]") {
  // format_ipv4 writes digits itself: every octet width, at every position.
  for (std::uint32_t octet : {0u, 5u, 9u, 10u, 99u, 100u, 199u, 200u, 255u})
    for (int shift = 0; shift < 32; shift += 8) {
      const std::uint32_t a = (octet << shift) | (shift == 0 ? 0x01020300u : 7u);
      const std::string want = std::to_string(a >> 24) + '.' + std::to_string((a >> 16) & 255) +
                               '.' + std::to_string((a >> 8) & 255) + '.' + std::to_string(a & 255);
      CHECK(format_ipv4(a) == want);
    }
  // hash_type_of checks 16 bytes at a time: each bad byte at each position.
  for (std::size_t len : {32u, 40u, 64u, 128u}) {
    const std::string good(len, 'a');
    CHECK(hash_type_of(good));
    CHECK(hash_type_of(std::string(len, 'F')));
    CHECK(hash_type_of(std::string(len, '9')));
    for (char bad : {'/', ':', '@', 'G', '`', 'g', 'z', ' ', '\0', '\x80', '\xc1', '\xe6'})
      for (std::size_t pos = 0; pos < len; pos += 7) {
        std::string s = good;
        s[pos] = bad;
        CHECK_FALSE(hash_type_of(s));
        s = good;
        s[len - 1] = bad;
        CHECK_FALSE(hash_type_of(s));
      }
  }
  // canonical_domain's one-pass ASCII check: label rules at the edges.
  CHECK(canonical_domain("A-B.Example.COM") == "a-b.example.com");
  CHECK(canonical_domain("a.b.c.d.e.f.com.") == "a.b.c.d.e.f.com");
  CHECK(canonical_domain(std::string(63, 'x') + ".com"));
  CHECK_FALSE(canonical_domain(std::string(64, 'x') + ".com"));
  CHECK_FALSE(canonical_domain("-a.com"));
  CHECK_FALSE(canonical_domain("a-.com"));
  CHECK_FALSE(canonical_domain("a.-com"));
  CHECK_FALSE(canonical_domain("a..com"));
  CHECK_FALSE(canonical_domain(".a.com"));
  CHECK_FALSE(canonical_domain("a_b.com"));
  CHECK_FALSE(canonical_domain("a.com-"));
  CHECK_FALSE(canonical_domain("a.c0m"));
  CHECK_FALSE(canonical_domain("com"));
  CHECK(canonical_domain("com", {.tld_check = true, .min_two_labels = false}) == "com");
  CHECK(canonical_domain("x.notatld", {.tld_check = false}) == "x.notatld");
  CHECK_FALSE(canonical_domain("x.notatld"));
  CHECK_FALSE(canonical_domain("x.xn--zzzzzz-zz", {.tld_check = false}));
  CHECK(canonical_domain("A.XN--P1AI") == "a.xn--p1ai");
  // A-labels are checked wherever they stand; "xn--" inside a label makes none.
  CHECK_FALSE(canonical_domain("a.b.c.d.e.f.g.h.xn--zz.com"));
  CHECK_FALSE(canonical_domain("XN--ZZ.example.com"));
  CHECK(canonical_domain("zzxn--a.com") == "zzxn--a.com");
}

TEST_CASE("validate: ASCII host bytes eight at a time agree with the byte rules",
          "[ioc][validate]") {
  // Every ASCII byte at every position of a 19-byte first label (two 8-byte
  // words and a tail), against the rules written out byte by byte: letters
  // (lower-cased), digits, '-' inside a label, '.' between two labels.
  const std::string base = "abcdefghijklmnopqrs";
  for (int c = 0; c < 128; ++c) {
    for (std::size_t pos = 0; pos < base.size(); ++pos) {
      std::string host = base + ".example.com";
      host[pos] = static_cast<char>(c);
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      const bool inner = pos > 0 && pos + 1 < base.size();
      const bool ok = letter || (c >= '0' && c <= '9') || ((c == '-' || c == '.') && inner);
      std::string want = host;
      for (char& k : want)
        if (k >= 'A' && k <= 'Z') k = static_cast<char>(k - 'A' + 'a');
      INFO("byte " << c << " at " << pos);
      const auto got = canonical_domain(host);
      REQUIRE(got.has_value() == ok);
      if (ok) CHECK(*got == want);
    }
  }
  // Label lengths around 63 across the word edges, and labels of one byte.
  for (std::size_t len = 60; len <= 66; ++len)
    CHECK(canonical_domain("a." + std::string(len, 'Q') + ".com").has_value() == (len <= 63));
  CHECK(canonical_domain("a.b.c.d.e.f.g.h.i.j.k.l.com") == "a.b.c.d.e.f.g.h.i.j.k.l.com");
  // A byte >= 0x80 at any position goes the IDN way: a lone lead or
  // continuation byte is no name; "é" (C3 A9) makes an A-label.
  for (std::size_t pos = 0; pos < base.size(); ++pos) {
    for (const char* high : {"\xC4", "\x80", "\xFF", "\xC3\xA9"}) {
      std::string host = base + ".example.com";
      host.replace(pos, 1, high);
      INFO("byte " << static_cast<unsigned>(static_cast<unsigned char>(high[0])) << " at " << pos);
      const auto got = canonical_domain(host);
      if (std::string_view(high) != "\xC3\xA9") {
        CHECK_FALSE(got.has_value());
      } else {
        REQUIRE(got.has_value());
        CHECK(got->rfind("xn--", 0) == 0);
        CHECK(got->size() > host.size());
      }
    }
  }
}
