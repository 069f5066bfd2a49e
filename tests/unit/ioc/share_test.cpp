// Unit tests of ioc/ioc/share.hpp: exact bytes for a small mixed list in every
// format, escaping, identifiers, option errors, empty input, determinism, and
// (where the tool is installed) the output checked by nft, ipset and
// named-checkzone.
#include "ioc/ioc/share.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

using namespace ioc::scan;

namespace {

// ipv4, ipv6, cidr, domain, url, email, md5, sha256 and a type no format but
// splunk writes (attack).
const std::vector<Indicator>& mixed() {
  static const std::vector<Indicator> list = {
      {Type::kIpv4, "45.77.65.211", ""},
      {Type::kIpv6, "2001:db8::1", ""},
      {Type::kIpv4Cidr, "203.0.113.7/24", ""},
      {Type::kDomain, "evil.com", ""},
      {Type::kUrl, "http://evil.com/a/b?x=1", ""},
      {Type::kEmail, "bad@evil.com", ""},
      {Type::kMd5, "d41d8cd98f00b204e9800998ecf8427e", ""},
      {Type::kSha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ""},
      {Type::kAttack, "T1059.001", ""},
  };
  return list;
}

ShareOptions opts() {
  ShareOptions o;
  o.timestamp = 1503443422;  // 2017-08-22T23:10:22Z
  return o;
}

ShareResult share(ShareFormat f, const std::vector<Indicator>& in, const ShareOptions& o = opts()) {
  auto r = write_share(f, in, o);
  if (!r) FAIL(r.error().message);
  return std::move(*r);
}

std::string main_text(ShareFormat f, const std::vector<Indicator>& in,
                      const ShareOptions& o = opts()) {
  const ShareResult r = share(f, in, o);
  REQUIRE(!r.files.empty());
  CHECK(r.files[0].name.empty());
  return r.files[0].text;
}

nlohmann::json parse_json(const std::string& text) {
  REQUIRE(nlohmann::json::accept(text));
  return nlohmann::json::parse(text);
}

// A shell command's exit status (-1 when it could not be run).
int run(const std::string& command) {
  const int rc = std::system(command.c_str());
  return rc == -1 ? -1 : WEXITSTATUS(rc);
}

bool have(const char* tool) {
  return run(std::string("command -v ") + tool + " >/dev/null 2>&1") == 0;
}

std::string temp_file(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "ioc_share_test";
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

}  // namespace

TEST_CASE("share: uuid_v5 matches RFC 4122/9562 and STIX vectors", "[ioc][share]") {
  // The RFC 4122/9562 UUIDv5 test vector (also Python's uuid.uuid5(NAMESPACE_DNS, ...)).
  CHECK(uuid_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com") ==
        "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  // Upper-case namespace digits read the same.
  CHECK(uuid_v5("6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "www.example.com") ==
        "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  // A STIX 2.1 specification example: ipv4-addr 198.51.100.3 has the deterministic id
  // ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4 (SCO namespace, JCS of {"value":...}).
  CHECK(uuid_v5("00abedb4-aa42-466c-9c01-fed23315a9b7", R"({"value":"198.51.100.3"})") ==
        "28bb3599-77cd-5a82-a950-b5bc3caf07c4");
  // The namespace of the ids share.cpp makes up (indicator, identity, bundle, MISP).
  CHECK(uuid_v5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "urn:ioc-toolkit:share") ==
        "9a039505-10dc-5c82-81c7-fa3e2ec6053b");
  const std::string u = uuid_v5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "");
  CHECK(u.size() == 36);
  CHECK(u[14] == '5');                                          // version
  CHECK(std::string("89ab").find(u[19]) != std::string::npos);  // variant 10xx
}

TEST_CASE("share: format names round trip", "[ioc][share]") {
  const std::string names(share_format_names());
  std::size_t count = 0;
  for (std::size_t b = 0; b < names.size();) {
    const std::size_t e = std::min(names.find(' ', b), names.size());
    const std::string name = names.substr(b, e - b);
    auto f = parse_share_format(name);
    REQUIRE(f);
    ++count;
    // Each format writes something for the mixed list.
    CHECK_FALSE(share(*f, mixed()).files.empty());
    b = e + 1;
  }
  CHECK(count == 10);
  CHECK(*parse_share_format("stix") == ShareFormat::kStix);
  CHECK(*parse_share_format("rpz") == ShareFormat::kRpz);
  auto bad = parse_share_format("STIX2");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ioc::ErrorCode::kUsage);
  CHECK(bad.error().message.find("suricata") != std::string::npos);
  CHECK_FALSE(parse_share_format(""));
}

TEST_CASE("share: written and skipped counts", "[ioc][share]") {
  struct Want {
    ShareFormat f;
    std::size_t written, skipped;
  };
  for (const Want& w : {Want{ShareFormat::kStix, 8, 1}, Want{ShareFormat::kMisp, 8, 1},
                        Want{ShareFormat::kSuricata, 7, 2}, Want{ShareFormat::kEdl, 5, 4},
                        Want{ShareFormat::kNft, 3, 6}, Want{ShareFormat::kIpset, 3, 6},
                        Want{ShareFormat::kZeek, 8, 1}, Want{ShareFormat::kSplunk, 9, 0},
                        Want{ShareFormat::kHosts, 1, 8}, Want{ShareFormat::kRpz, 4, 5}}) {
    const ShareResult r = share(w.f, mixed());
    CHECK(r.written == w.written);
    CHECK(r.skipped == w.skipped);
  }
}

TEST_CASE("share: every format is deterministic", "[ioc][share]") {
  for (ShareFormat f :
       {ShareFormat::kStix, ShareFormat::kMisp, ShareFormat::kSuricata, ShareFormat::kEdl,
        ShareFormat::kNft, ShareFormat::kIpset, ShareFormat::kZeek, ShareFormat::kSplunk,
        ShareFormat::kHosts, ShareFormat::kRpz}) {
    const ShareResult a = share(f, mixed());
    const ShareResult b = share(f, mixed());
    REQUIRE(a.files.size() == b.files.size());
    for (std::size_t i = 0; i < a.files.size(); ++i) {
      CHECK(a.files[i].name == b.files[i].name);
      CHECK(a.files[i].text == b.files[i].text);
    }
  }
  // Identifiers depend on the indicators and the source, not on the time.
  ShareOptions later = opts();
  later.timestamp += 86400;
  const auto a = parse_json(main_text(ShareFormat::kStix, mixed()));
  const auto b = parse_json(main_text(ShareFormat::kStix, mixed(), later));
  CHECK(a["id"] == b["id"]);
  CHECK(a["objects"][1]["id"] == b["objects"][1]["id"]);
  CHECK(a["objects"][1]["created"] != b["objects"][1]["created"]);
  ShareOptions other = opts();
  other.source = "someone else";
  const auto c = parse_json(main_text(ShareFormat::kStix, mixed(), other));
  CHECK(a["objects"][1]["id"] != c["objects"][1]["id"]);
}

TEST_CASE("share: stix bundle of indicators", "[ioc][share]") {
  const std::string want = R"x({
  "type": "bundle",
  "id": "bundle--c71aac63-7f63-56f3-809d-58f07e7657f5",
  "objects": [
    {
      "type": "identity",
      "spec_version": "2.1",
      "id": "identity--90ec7c53-c617-5579-94de-0a6a3d99e65a",
      "created": "2017-08-22T23:10:22.000Z",
      "modified": "2017-08-22T23:10:22.000Z",
      "name": "iocgrep"
    },
    {
      "type": "indicator",
      "spec_version": "2.1",
      "id": "indicator--c4fb3614-910f-5ed0-a6c0-5317f53b196d",
      "created_by_ref": "identity--90ec7c53-c617-5579-94de-0a6a3d99e65a",
      "created": "2017-08-22T23:10:22.000Z",
      "modified": "2017-08-22T23:10:22.000Z",
      "name": "45.77.65.211",
      "pattern": "[ipv4-addr:value = '45.77.65.211']",
      "pattern_type": "stix",
      "valid_from": "2017-08-22T23:10:22.000Z"
    },
    {
      "type": "indicator",
      "spec_version": "2.1",
      "id": "indicator--c6daa1d0-6438-54a5-9afa-c507f067b43b",
      "created_by_ref": "identity--90ec7c53-c617-5579-94de-0a6a3d99e65a",
      "created": "2017-08-22T23:10:22.000Z",
      "modified": "2017-08-22T23:10:22.000Z",
      "name": "2001:db8::1",
      "pattern": "[ipv6-addr:value = '2001:db8::1']",
      "pattern_type": "stix",
      "valid_from": "2017-08-22T23:10:22.000Z"
    },
    {
      "type": "indicator",
      "spec_version": "2.1",
      "id": "indicator--864bda13-b457-579e-b56e-774a31f3990b",
      "created_by_ref": "identity--90ec7c53-c617-5579-94de-0a6a3d99e65a",
      "created": "2017-08-22T23:10:22.000Z",
      "modified": "2017-08-22T23:10:22.000Z",
      "name": "203.0.113.7/24",
      "pattern": "[ipv4-addr:value = '203.0.113.7/24']",
      "pattern_type": "stix",
      "valid_from": "2017-08-22T23:10:22.000Z"
    },
    {
      "type": "indicator",
      "spec_version": "2.1",
      "id": "indicator--3bb0f0b9-aba7-5a4e-a615-b6ac5b8af0d8",
      "created_by_ref": "identity--90ec7c53-c617-5579-94de-0a6a3d99e65a",
      "created": "2017-08-22T23:10:22.000Z",
      "modified": "2017-08-22T23:10:22.000Z",
      "name": "evil.com",
      "pattern": "[domain-name:value = 'evil.com']",
      "pattern_type": "stix",
      "valid_from": "2017-08-22T23:10:22.000Z"
    },
    {
      "type": "indicator",
      "spec_version": "2.1",
      "id": "indicator--5457b645-885d-54c3-9fde-15b157feec66",
      "created_by_ref": "identity--90ec7c53-c617-5579-94de-0a6a3d99e65a",
      "created": "2017-08-22T23:10:22.000Z",
      "modified": "2017-08-22T23:10:22.000Z",
      "name": "http://evil.com/a/b?x=1",
      "pattern": "[url:value = 'http://evil.com/a/b?x=1']",
      "pattern_type": "stix",
      "valid_from": "2017-08-22T23:10:22.000Z"
    },
    {
      "type": "indicator",
      "spec_version": "2.1",
      "id": "indicator--1d6c21aa-2d8c-5b29-b5a3-8ba5e5192d1d",
      "created_by_ref": "identity--90ec7c53-c617-5579-94de-0a6a3d99e65a",
      "created": "2017-08-22T23:10:22.000Z",
      "modified": "2017-08-22T23:10:22.000Z",
      "name": "bad@evil.com",
      "pattern": "[email-addr:value = 'bad@evil.com']",
      "pattern_type": "stix",
      "valid_from": "2017-08-22T23:10:22.000Z"
    },
    {
      "type": "indicator",
      "spec_version": "2.1",
      "id": "indicator--278dee91-87ad-54ba-90cf-3bd575a710b0",
      "created_by_ref": "identity--90ec7c53-c617-5579-94de-0a6a3d99e65a",
      "created": "2017-08-22T23:10:22.000Z",
      "modified": "2017-08-22T23:10:22.000Z",
      "name": "d41d8cd98f00b204e9800998ecf8427e",
      "pattern": "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
      "pattern_type": "stix",
      "valid_from": "2017-08-22T23:10:22.000Z"
    },
    {
      "type": "indicator",
      "spec_version": "2.1",
      "id": "indicator--44d800dc-fe2c-579d-a966-e7ccc49d867a",
      "created_by_ref": "identity--90ec7c53-c617-5579-94de-0a6a3d99e65a",
      "created": "2017-08-22T23:10:22.000Z",
      "modified": "2017-08-22T23:10:22.000Z",
      "name": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "pattern": "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
      "pattern_type": "stix",
      "valid_from": "2017-08-22T23:10:22.000Z"
    }
  ]
}
)x";
  const std::string got = main_text(ShareFormat::kStix, mixed());
  CHECK(got == want);
  const auto j = parse_json(got);
  CHECK(j["objects"].size() == 9);  // identity + 8 indicators
}

TEST_CASE("share: stix observables use the spec's deterministic ids", "[ioc][share]") {
  ShareOptions o = opts();
  o.observables = true;
  const std::string want = R"x({
  "type": "bundle",
  "id": "bundle--1559e491-8702-5a78-955d-975e3a94bf90",
  "objects": [
    {
      "type": "ipv4-addr",
      "spec_version": "2.1",
      "id": "ipv4-addr--965cec60-5099-5d10-bccb-ea6fe9e14b26",
      "value": "45.77.65.211"
    },
    {
      "type": "ipv6-addr",
      "spec_version": "2.1",
      "id": "ipv6-addr--6469e3a9-b053-5e34-a025-9396ae051d26",
      "value": "2001:db8::1"
    },
    {
      "type": "ipv4-addr",
      "spec_version": "2.1",
      "id": "ipv4-addr--b7b8d1d6-bc84-5228-a09c-691e4de316d7",
      "value": "203.0.113.7/24"
    },
    {
      "type": "domain-name",
      "spec_version": "2.1",
      "id": "domain-name--5d7b159c-1821-5595-b1f7-2213ba2674e6",
      "value": "evil.com"
    },
    {
      "type": "url",
      "spec_version": "2.1",
      "id": "url--830ebdc1-f24b-5500-aa00-dcfbf9d9f565",
      "value": "http://evil.com/a/b?x=1"
    },
    {
      "type": "email-addr",
      "spec_version": "2.1",
      "id": "email-addr--9fdc40db-87c1-54a7-a2d2-2a2e75e59973",
      "value": "bad@evil.com"
    },
    {
      "type": "file",
      "spec_version": "2.1",
      "id": "file--02fff920-f614-527c-81d1-6353633a6d21",
      "hashes": {
        "MD5": "d41d8cd98f00b204e9800998ecf8427e"
      }
    },
    {
      "type": "file",
      "spec_version": "2.1",
      "id": "file--22f8ff52-8f62-5f03-a53a-6f50f54fd74c",
      "hashes": {
        "SHA-256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
      }
    }
  ]
}
)x";
  CHECK(main_text(ShareFormat::kStix, mixed(), o) == want);

  // Ids of the STIX 2.1 specification's own examples (§6.4, §6.8, §6.10, §6.15).
  const std::vector<Indicator> spec = {
      {Type::kIpv4, "198.51.100.3", ""},
      {Type::kIpv4Cidr, "198.51.100.0/24", ""},
      {Type::kDomain, "example.com", ""},
      {Type::kMac, "d2:fb:49:24:37:18", ""},
      {Type::kUrl, "https://example.com/research/index.html", ""},
      {Type::kEmail, "john@example.com", ""},
      {Type::kUserAgent, "curl/8.0", ""},  // no SCO for it
  };
  const ShareResult r = share(ShareFormat::kStix, spec, o);
  CHECK(r.written == 6);
  CHECK(r.skipped == 1);
  const auto j = parse_json(r.files[0].text);
  REQUIRE(j["objects"].size() == 6);
  CHECK(j["objects"][0]["id"] == "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4");
  CHECK(j["objects"][1]["id"] == "ipv4-addr--1ea47840-aa39-5aa8-b4a2-cd203eb6662a");
  CHECK(j["objects"][2]["id"] == "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7");
  CHECK(j["objects"][3]["id"] == "mac-addr--757b1725-9903-54f5-a855-1240691d7659");
  CHECK(j["objects"][4]["id"] == "url--47c3cf9a-5027-5bf0-997a-017c7edc7c55");
  CHECK(j["objects"][5]["id"] == "email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934");

  // Hashes, registry keys, paths, ASNs (ids checked with Python's uuid5 over
  // json.dumps(sort_keys=True, separators=(',', ':'))).
  const std::vector<Indicator> more = {
      {Type::kRegistry, "HKCU\\Software\\it's", ""},
      {Type::kFilepath, "C:\\Users\\bob\\evil.exe", ""},
      {Type::kFilepath, "C:\\Users\\bob\\other.exe", ""},
      {Type::kAsn, "AS13335", ""},
  };
  const auto k = parse_json(main_text(ShareFormat::kStix, more, o));
  REQUIRE(k["objects"].size() == 5);  // one directory for both files
  CHECK(k["objects"][0]["id"] == "windows-registry-key--b518cac9-c5bf-5d9f-97b6-a228356b0f57");
  CHECK(k["objects"][0]["key"] == "HKEY_CURRENT_USER\\Software\\it's");
  CHECK(k["objects"][1]["id"] == "directory--11fa1aa0-8636-50aa-893b-c56eb64f4138");
  CHECK(k["objects"][1]["path"] == "C:\\Users\\bob");
  CHECK(k["objects"][2]["id"] == "file--32ce85c7-b56d-55fd-b988-2f747a8b9801");
  CHECK(k["objects"][2]["parent_directory_ref"] == k["objects"][1]["id"]);
  CHECK(k["objects"][3]["name"] == "other.exe");
  CHECK(k["objects"][4]["id"] == "autonomous-system--0204c07d-e4dd-5f14-a3d5-c93cb1c5a9fc");
  CHECK(k["objects"][4]["number"] == 13335);
}

TEST_CASE("share: stix patterns escape quotes and backslashes", "[ioc][share]") {
  const std::vector<Indicator> in = {
      {Type::kRegistry, "hklm:\\Software\\O'Brien\\Run", ""},
      {Type::kUrl, "http://evil.com/it's\\x", ""},
      {Type::kFilepath, "/tmp/x.sh", ""},
      {Type::kFilepath, "evil.exe", ""},
      {Type::kSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", ""},
      {Type::kSsdeep, "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C", ""},
      {Type::kUserAgent, "Mozilla/5.0 'x'", ""},
      {Type::kAsn, "AS13335", ""},
      {Type::kCve, "CVE-2021-44228", ""},
      {Type::kBtc, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", ""},
  };
  const ShareResult r = share(ShareFormat::kStix, in);
  CHECK(r.written == 8);
  CHECK(r.skipped == 2);
  const auto j = parse_json(r.files[0].text);
  std::vector<std::string> patterns;
  for (const auto& o : j["objects"])
    if (o["type"] == "indicator") patterns.push_back(o["pattern"].get<std::string>());
  const std::vector<std::string> want = {
      R"([windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\Software\\O\'Brien\\Run'])",
      R"([url:value = 'http://evil.com/it\'s\\x'])",
      R"([file:name = 'x.sh' AND file:parent_directory_ref.path = '/tmp'])",
      R"([file:name = 'evil.exe'])",
      R"([file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709'])",
      R"([file:hashes.SSDEEP = '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C'])",
      R"([network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'[*] = 'Mozilla/5.0 \'x\''])",
      R"([autonomous-system:number = 13335])",
  };
  CHECK(patterns == want);
  // In the JSON text the pattern's backslashes are escaped once more.
  CHECK(r.files[0].text.find(R"('HKEY_LOCAL_MACHINE\\\\Software\\\\O\\'Brien\\\\Run')") !=
        std::string::npos);
}

TEST_CASE("share: stix with no indicators is an empty bundle", "[ioc][share]") {
  const std::string want = R"x({
  "type": "bundle",
  "id": "bundle--dd225cc7-a193-5362-b48a-2dcea9cc9d9d"
}
)x";
  CHECK(main_text(ShareFormat::kStix, {}) == want);
  const ShareResult r = share(ShareFormat::kStix, {{Type::kCve, "CVE-2021-44228", ""}});
  CHECK(r.skipped == 1);
  CHECK(r.files[0].text == want);
  ShareOptions o = opts();
  o.observables = true;
  CHECK(parse_json(main_text(ShareFormat::kStix, {}, o)).count("objects") == 0);
  // Description and an empty source (no identity, no created_by_ref).
  o = opts();
  o.source = "";
  o.description = "from case 42";
  const auto j = parse_json(main_text(ShareFormat::kStix, {mixed()[0]}, o));
  REQUIRE(j["objects"].size() == 1);
  CHECK(j["objects"][0]["description"] == "from case 42");
  CHECK(j["objects"][0].count("created_by_ref") == 0);
}

TEST_CASE("share: misp event", "[ioc][share]") {
  const std::string want = R"x({
  "Event": {
    "info": "iocgrep",
    "date": "2017-08-22",
    "timestamp": "1503443422",
    "published": false,
    "threat_level_id": "4",
    "analysis": "0",
    "distribution": "0",
    "uuid": "0cc65488-2264-5d6e-972d-293d9978b640",
    "Attribute": [
      {
        "type": "ip-dst",
        "category": "Network activity",
        "value": "45.77.65.211",
        "to_ids": true,
        "uuid": "0dad9be4-0247-5424-bdeb-3c397b17039c",
        "timestamp": "1503443422",
        "distribution": "5"
      },
      {
        "type": "ip-dst",
        "category": "Network activity",
        "value": "2001:db8::1",
        "to_ids": true,
        "uuid": "3a88e6b9-4e16-5cdd-b95f-1a3a181accf9",
        "timestamp": "1503443422",
        "distribution": "5"
      },
      {
        "type": "ip-dst",
        "category": "Network activity",
        "value": "203.0.113.7/24",
        "to_ids": true,
        "uuid": "846e5ac7-75f7-525e-a2a0-3cf31879cd69",
        "timestamp": "1503443422",
        "distribution": "5"
      },
      {
        "type": "domain",
        "category": "Network activity",
        "value": "evil.com",
        "to_ids": true,
        "uuid": "a7ac2b8d-6480-50c4-80c1-2ea2af1b9bd4",
        "timestamp": "1503443422",
        "distribution": "5"
      },
      {
        "type": "url",
        "category": "Network activity",
        "value": "http://evil.com/a/b?x=1",
        "to_ids": true,
        "uuid": "85af849a-8d87-5f8a-8d3c-5c9267dbf036",
        "timestamp": "1503443422",
        "distribution": "5"
      },
      {
        "type": "email-src",
        "category": "Payload delivery",
        "value": "bad@evil.com",
        "to_ids": true,
        "uuid": "1efe91ee-868e-5bfb-8cb7-d0adba115144",
        "timestamp": "1503443422",
        "distribution": "5"
      },
      {
        "type": "md5",
        "category": "Payload delivery",
        "value": "d41d8cd98f00b204e9800998ecf8427e",
        "to_ids": true,
        "uuid": "9b361b8f-56ed-53fd-bb11-9ec3589814de",
        "timestamp": "1503443422",
        "distribution": "5"
      },
      {
        "type": "sha256",
        "category": "Payload delivery",
        "value": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "to_ids": true,
        "uuid": "9d26af54-97c9-5995-bf0a-f5d3b4ec810e",
        "timestamp": "1503443422",
        "distribution": "5"
      }
    ]
  }
}
)x";
  CHECK(main_text(ShareFormat::kMisp, mixed()) == want);

  const std::vector<Indicator> in = {
      {Type::kRegistry, "HKCU\\Software\\it's \"quoted\"", ""},
      {Type::kAsn, "AS13335", ""},
      {Type::kCve, "cve-2021-44228", ""},
      {Type::kBtc, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", ""},
      {Type::kFilepath, "C:\\Users\\bob\\evil.exe", ""},
      {Type::kUserAgent, "line\nbreak", ""},  // MISP refuses new lines
      {Type::kSessionKey, "0123456789abcdef", ""},
  };
  ShareOptions o = opts();
  o.description = "case 42\nphishing";
  const ShareResult r = share(ShareFormat::kMisp, in, o);
  CHECK(r.written == 5);
  CHECK(r.skipped == 2);
  const auto e = parse_json(r.files[0].text)["Event"];
  CHECK(e["info"] == "case 42 phishing");
  const auto& a = e["Attribute"];
  REQUIRE(a.size() == 5);
  CHECK(a[0]["type"] == "regkey");
  CHECK(a[0]["category"] == "Persistence mechanism");
  CHECK(a[0]["value"] == "HKCU\\Software\\it's \"quoted\"");
  CHECK(a[0]["to_ids"] == false);
  CHECK(a[1]["type"] == "AS");
  CHECK(a[1]["value"] == "13335");
  CHECK(a[2]["type"] == "vulnerability");
  CHECK(a[2]["value"] == "CVE-2021-44228");
  CHECK(a[2]["category"] == "External analysis");
  CHECK(a[3]["category"] == "Financial fraud");
  CHECK(a[4]["type"] == "filename");

  // The same value in another event (another source) gets another uuid.
  ShareOptions other = opts();
  other.source = "someone else";
  const auto e2 = parse_json(main_text(ShareFormat::kMisp, mixed(), other))["Event"];
  const auto e1 = parse_json(main_text(ShareFormat::kMisp, mixed()))["Event"];
  CHECK(e1["uuid"] != e2["uuid"]);
  CHECK(e1["Attribute"][0]["uuid"] != e2["Attribute"][0]["uuid"]);
  CHECK(e1["Attribute"][0]["value"] == e2["Attribute"][0]["value"]);
}

TEST_CASE("share: misp with no indicators", "[ioc][share]") {
  const std::string want = R"x({
  "Event": {
    "info": "iocgrep",
    "date": "2017-08-22",
    "timestamp": "1503443422",
    "published": false,
    "threat_level_id": "4",
    "analysis": "0",
    "distribution": "0",
    "uuid": "cf82e017-c276-5a07-86b9-724840b0e7fb",
    "Attribute": []
  }
}
)x";
  CHECK(main_text(ShareFormat::kMisp, {}) == want);
}

TEST_CASE("share: suricata rules and lists", "[ioc][share]") {
  const ShareResult r = share(ShareFormat::kSuricata, mixed());
  REQUIRE(r.files.size() == 4);
  CHECK(
      r.files[0].text ==
      R"x(alert ip $HOME_NET any -> 45.77.65.211 any (msg:"iocgrep ipv4 45.77.65.211"; classtype:bad-unknown; sid:1000000; rev:1;)
alert ip $HOME_NET any -> 2001:db8::1 any (msg:"iocgrep ipv6 2001:db8::1"; classtype:bad-unknown; sid:1000001; rev:1;)
alert ip $HOME_NET any -> 203.0.113.0/24 any (msg:"iocgrep ipv4_cidr 203.0.113.7/24"; classtype:bad-unknown; sid:1000002; rev:1;)
alert dns $HOME_NET any -> any any (msg:"iocgrep domain evil.com (DNS query)"; dns.query; dotprefix; content:".evil.com"; nocase; endswith; classtype:bad-unknown; sid:1000003; rev:1;)
alert tls $HOME_NET any -> any any (msg:"iocgrep domain evil.com (TLS SNI)"; flow:established,to_server; tls.sni; dotprefix; content:".evil.com"; nocase; endswith; classtype:bad-unknown; sid:1000004; rev:1;)
alert http $HOME_NET any -> any any (msg:"iocgrep url http://evil.com/a/b?x=1"; flow:established,to_server; http.host; content:"evil.com"; startswith; endswith; http.uri.raw; content:"/a/b?x=1"; endswith; classtype:bad-unknown; sid:1000005; rev:1;)
alert http any any -> any any (msg:"iocgrep file md5 list"; filemd5:iocgrep-md5.lst; classtype:bad-unknown; sid:1000006; rev:1;)
alert http any any -> any any (msg:"iocgrep file sha256 list"; filesha256:iocgrep-sha256.lst; classtype:bad-unknown; sid:1000007; rev:1;)
alert dns $HOME_NET any -> any any (msg:"iocgrep domain list (DNS query)"; dns.query; dataset:isset,iocgrep-domains,type string,load iocgrep-domains.lst; classtype:bad-unknown; sid:1000008; rev:1;)
)x");
  CHECK(r.files[1].name == "iocgrep-md5.lst");
  CHECK(r.files[1].text == "d41d8cd98f00b204e9800998ecf8427e\n");
  CHECK(r.files[2].name == "iocgrep-sha256.lst");
  CHECK(r.files[2].text == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n");
  CHECK(r.files[3].name == "iocgrep-domains.lst");
  CHECK(r.files[3].text == "ZXZpbC5jb20=\n");  // base64("evil.com")
}

TEST_CASE("share: suricata escapes content and msg", "[ioc][share]") {
  ShareOptions o = opts();
  o.source = "feed \"x\"; v2";
  o.sid_base = 2000000;
  o.set_name = "case-42";
  const std::vector<Indicator> in = {
      {Type::kUrl, "https://[2001:db8::1]:8443/a;b\"c|d\\e'f", ""},
      {Type::kUrl, "http://evil.com/", ""},
      {Type::kUrl, "ftp://evil.com/x", ""},
      {Type::kIpv6Cidr, "2001:db8::1/32", ""},
      {Type::kSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", ""},
      {Type::kSha512, std::string(128, 'a'), ""},
  };
  const ShareResult r = share(ShareFormat::kSuricata, in, o);
  CHECK(r.written == 4);
  CHECK(r.skipped == 2);
  REQUIRE(r.files.size() == 2);
  CHECK(
      r.files[0].text ==
      R"x(alert http $HOME_NET any -> any any (msg:"feed \"x\"\; v2 url https://[2001:db8::1]:8443/a\;b\"c|d\\e'f"; flow:established,to_server; http.host; content:"[2001|3A|db8|3A||3A|1]"; startswith; endswith; http.uri.raw; content:"/a|3B|b|22|c|7C|d|5C|e'f"; endswith; classtype:bad-unknown; sid:2000000; rev:1;)
alert http $HOME_NET any -> any any (msg:"feed \"x\"\; v2 url http://evil.com/"; flow:established,to_server; http.host; content:"evil.com"; startswith; endswith; classtype:bad-unknown; sid:2000001; rev:1;)
alert ip $HOME_NET any -> 2001:db8::/32 any (msg:"feed \"x\"\; v2 ipv6_cidr 2001:db8::1/32"; classtype:bad-unknown; sid:2000002; rev:1;)
alert http any any -> any any (msg:"feed \"x\"\; v2 file sha1 list"; filesha1:case-42-sha1.lst; classtype:bad-unknown; sid:2000003; rev:1;)
)x");
  CHECK(r.files[1].name == "case-42-sha1.lst");
}

TEST_CASE("share: suricata rejects bad options; empty input", "[ioc][share]") {
  ShareOptions o = opts();
  o.sid_base = 999999;
  auto r = write_share(ShareFormat::kSuricata, mixed(), o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ioc::ErrorCode::kUsage);
  CHECK(r.error().message.find("1000000") != std::string::npos);
  o.sid_base = 0;
  CHECK_FALSE(write_share(ShareFormat::kSuricata, mixed(), o));
  o.sid_base = 4294967295ull;  // the last sid: one rule fits, two do not
  CHECK(write_share(ShareFormat::kSuricata, {mixed()[0]}, o));
  CHECK_FALSE(write_share(ShareFormat::kSuricata, mixed(), o));
  o.sid_base = 1000000;
  o.set_name = "../etc";
  CHECK_FALSE(write_share(ShareFormat::kSuricata, mixed(), o));
  o.set_name = "";
  CHECK_FALSE(write_share(ShareFormat::kSuricata, mixed(), o));

  const ShareResult e = share(ShareFormat::kSuricata, {});
  REQUIRE(e.files.size() == 1);
  CHECK(e.files[0].text.empty());
}

TEST_CASE("share: edl lists", "[ioc][share]") {
  const ShareResult r = share(ShareFormat::kEdl, mixed());
  REQUIRE(r.files.size() == 4);
  CHECK(r.files[0].name.empty());
  CHECK(r.files[0].text.empty());  // the lists are the output
  CHECK(r.files[1].name == "iocgrep-ip.txt");
  CHECK(r.files[1].text == "45.77.65.211\n2001:db8::1\n203.0.113.0/24\n");
  CHECK(r.files[2].name == "iocgrep-domain.txt");
  CHECK(r.files[2].text == "evil.com\n");
  CHECK(r.files[3].name == "iocgrep-url.txt");
  CHECK(r.files[3].text == "evil.com/a/b?x=1\n");

  const std::vector<Indicator> urls = {
      {Type::kUrl, "https://evil.com:8443/x?q='1'\\#frag", ""},
      {Type::kUrl, "http://evil.com/a*b", ""},                       // '*' is a PAN-OS wildcard
      {Type::kUrl, "http://evil.com/" + std::string(300, 'a'), ""},  // over 255 characters
      {Type::kIpv4Cidr, "0.0.0.0/0", ""},                            // would match everything
  };
  const ShareResult u = share(ShareFormat::kEdl, urls);
  CHECK(u.written == 1);
  CHECK(u.skipped == 3);
  CHECK(u.files[3].text == "evil.com/x?q='1'\\\n");
  CHECK(u.files[1].text.empty());

  // Empty input: all three lists, empty.
  const ShareResult e = share(ShareFormat::kEdl, {});
  REQUIRE(e.files.size() == 4);
  for (const auto& f : e.files) CHECK(f.text.empty());
  ShareOptions o = opts();
  o.set_name = "a/b";
  CHECK_FALSE(write_share(ShareFormat::kEdl, mixed(), o));
}

TEST_CASE("share: nft script", "[ioc][share]") {
  CHECK(main_text(ShareFormat::kNft, mixed()) ==
        R"x(# nft -f: adds to the sets; flush them first to replace their elements
table inet iocgrep {
  set iocgrep_v4 {
    type ipv4_addr
    flags interval
    auto-merge
    elements = {
      45.77.65.211,
      203.0.113.0/24
    }
  }
  set iocgrep_v6 {
    type ipv6_addr
    flags interval
    auto-merge
    elements = {
      2001:db8::1
    }
  }
}
)x");
  CHECK(main_text(ShareFormat::kNft, {}) ==
        R"x(# nft -f: adds to the sets; flush them first to replace their elements
table inet iocgrep {
  set iocgrep_v4 {
    type ipv4_addr
    flags interval
    auto-merge
  }
  set iocgrep_v6 {
    type ipv6_addr
    flags interval
    auto-merge
  }
}
)x");
  ShareOptions o = opts();
  o.set_name = "ioc-list";  // nft identifiers take no '-'
  CHECK_FALSE(write_share(ShareFormat::kNft, mixed(), o));
  o.set_name = "1ioc";
  CHECK_FALSE(write_share(ShareFormat::kNft, mixed(), o));
  o.set_name = "case_42";
  CHECK(main_text(ShareFormat::kNft, {}, o).find("table inet case_42 {\n  set case_42_v4 {") !=
        std::string::npos);
}

TEST_CASE("share: ipset restore script", "[ioc][share]") {
  CHECK(main_text(ShareFormat::kIpset, mixed()) == R"x(create iocgrep-v4 hash:net family inet -exist
create iocgrep-v6 hash:net family inet6 -exist
add iocgrep-v4 45.77.65.211 -exist
add iocgrep-v6 2001:db8::1 -exist
add iocgrep-v4 203.0.113.0/24 -exist
)x");
  CHECK(main_text(ShareFormat::kIpset, {}) ==
        "create iocgrep-v4 hash:net family inet -exist\n"
        "create iocgrep-v6 hash:net family inet6 -exist\n");
  // More than the default maxelem (65536) raises it to the next power of two.
  std::vector<Indicator> many;
  for (std::uint32_t i = 0; i < 70000; ++i)
    many.push_back({Type::kIpv4,
                    "10." + std::to_string(i >> 16) + "." + std::to_string((i >> 8) & 255) + "." +
                        std::to_string(i & 255),
                    ""});
  const std::string big = main_text(ShareFormat::kIpset, many);
  CHECK(big.rfind("create iocgrep-v4 hash:net family inet maxelem 131072 -exist\n"
                  "create iocgrep-v6 hash:net family inet6 -exist\n",
                  0) == 0);
  ShareOptions o = opts();
  o.set_name = std::string(29, 'x');  // 29 + "-v4" is over ipset's 31 characters
  CHECK_FALSE(write_share(ShareFormat::kIpset, mixed(), o));
  o.set_name = std::string(28, 'x');
  CHECK(write_share(ShareFormat::kIpset, mixed(), o));
}

TEST_CASE("share: zeek intel file", "[ioc][share]") {
  CHECK(main_text(ShareFormat::kZeek, mixed()) ==
        R"x(#fields	indicator	indicator_type	meta.source	meta.desc
45.77.65.211	Intel::ADDR	iocgrep	-
2001:db8::1	Intel::ADDR	iocgrep	-
203.0.113.7/24	Intel::SUBNET	iocgrep	-
evil.com	Intel::DOMAIN	iocgrep	-
evil.com/a/b?x=1	Intel::URL	iocgrep	-
bad@evil.com	Intel::EMAIL	iocgrep	-
d41d8cd98f00b204e9800998ecf8427e	Intel::FILE_HASH	iocgrep	-
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855	Intel::FILE_HASH	iocgrep	-
)x");
  ShareOptions o = opts();
  o.source = "feed\tone";
  o.description = "case 42";
  const std::vector<Indicator> in = {
      {Type::kUrl, "http://evil.com:80", ""},   {Type::kUrl, "https://evil.com:8443/x?y#z", ""},
      {Type::kUserAgent, "Mozilla/5.0\tx", ""},  // a tab cannot be written
      {Type::kUserAgent, "curl/8.0", ""},       {Type::kIpv6Cidr, "2001:db8::/32", ""},
      {Type::kFilepath, "C:\\x.exe", ""},
  };
  const ShareResult r = share(ShareFormat::kZeek, in, o);
  CHECK(r.written == 4);
  CHECK(r.skipped == 2);
  CHECK(r.files[0].text ==
        "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\n"
        "evil.com/\tIntel::URL\tfeed one\tcase 42\n"
        "evil.com:8443/x?y\tIntel::URL\tfeed one\tcase 42\n"
        "curl/8.0\tIntel::SOFTWARE\tfeed one\tcase 42\n"
        "2001:db8::/32\tIntel::SUBNET\tfeed one\tcase 42\n");
  CHECK(main_text(ShareFormat::kZeek, {}) ==
        "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\n");
}

TEST_CASE("share: splunk lookup csv", "[ioc][share]") {
  CHECK(main_text(ShareFormat::kSplunk, mixed()) ==
        "indicator,type,source,description\r\n"
        "45.77.65.211,ipv4,iocgrep,\r\n"
        "2001:db8::1,ipv6,iocgrep,\r\n"
        "203.0.113.7/24,ipv4_cidr,iocgrep,\r\n"
        "evil.com,domain,iocgrep,\r\n"
        "http://evil.com/a/b?x=1,url,iocgrep,\r\n"
        "bad@evil.com,email,iocgrep,\r\n"
        "d41d8cd98f00b204e9800998ecf8427e,md5,iocgrep,\r\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,sha256,iocgrep,\r\n"
        "T1059.001,attack,iocgrep,\r\n");
  ShareOptions o = opts();
  o.description = "said \"bad\", twice";
  const std::vector<Indicator> in = {
      {Type::kUserAgent, "Mozilla/5.0 (a, b)", ""},
      {Type::kCustom, "ACME-1234", "ticket"},
  };
  CHECK(main_text(ShareFormat::kSplunk, in, o) ==
        "indicator,type,source,description\r\n"
        "\"Mozilla/5.0 (a, b)\",user_agent,iocgrep,\"said \"\"bad\"\", twice\"\r\n"
        "ACME-1234,ticket,iocgrep,\"said \"\"bad\"\", twice\"\r\n");
  CHECK(main_text(ShareFormat::kSplunk, {}) == "indicator,type,source,description\r\n");
}

TEST_CASE("share: hosts file", "[ioc][share]") {
  CHECK(main_text(ShareFormat::kHosts, mixed()) == "0.0.0.0 evil.com\n");
  CHECK(main_text(ShareFormat::kHosts, {}).empty());
}

TEST_CASE("share: rpz zone", "[ioc][share]") {
  CHECK(main_text(ShareFormat::kRpz, mixed()) == R"x($TTL 300
@ IN SOA localhost. hostmaster.localhost. ( 1503443422 3600 600 86400 300 )
@ IN NS localhost.
32.211.65.77.45.rpz-ip CNAME .
128.1.zz.db8.2001.rpz-ip CNAME .
24.0.113.0.203.rpz-ip CNAME .
evil.com CNAME .
*.evil.com CNAME .
)x");
  const std::vector<Indicator> v6 = {
      {Type::kIpv6, "::1", ""},
      {Type::kIpv6Cidr, "2001:db8::/32", ""},
      {Type::kIpv6, "1:0:0:2::3", ""},            // the longer zero run is compressed
      {Type::kIpv6, "1:0:0:2:0:0:3:4", ""},       // a tie: the first run
      {Type::kIpv6, "2001:db8:1:2:3:4:5:6", ""},  // no zero run
      {Type::kIpv6, "::ffff:1.2.3.4", ""},
      {Type::kIpv4Cidr, "10.1.2.3/8", ""},
      {Type::kIpv4Cidr, "0.0.0.0/0", ""},  // prefix 0 is not allowed
  };
  const ShareResult r = share(ShareFormat::kRpz, v6);
  CHECK(r.skipped == 1);
  CHECK(r.files[0].text.substr(r.files[0].text.find("NS localhost.\n") + 14) ==
        "128.1.zz.rpz-ip CNAME .\n"
        "32.zz.db8.2001.rpz-ip CNAME .\n"
        "128.3.zz.2.0.0.1.rpz-ip CNAME .\n"
        "128.4.3.0.0.2.zz.1.rpz-ip CNAME .\n"
        "128.6.5.4.3.2.1.db8.2001.rpz-ip CNAME .\n"
        "128.304.102.ffff.zz.rpz-ip CNAME .\n"
        "8.0.0.0.10.rpz-ip CNAME .\n");
  CHECK(main_text(ShareFormat::kRpz, {}) == R"x($TTL 300
@ IN SOA localhost. hostmaster.localhost. ( 1503443422 3600 600 86400 300 )
@ IN NS localhost.
)x");
}

TEST_CASE("share: outputs pass nft, ipset and named-checkzone", "[ioc][share]") {
  std::vector<Indicator> in = mixed();
  in.push_back({Type::kIpv6Cidr, "2001:db8:abcd::/48", ""});
  in.push_back({Type::kIpv4, "203.0.113.9", ""});  // inside 203.0.113.0/24: auto-merge
  in.push_back({Type::kIpv6, "::ffff:1.2.3.4", ""});
  in.push_back({Type::kDomain, "xn--bcher-kva.de", ""});

  // nft -c and ipset need CAP_NET_ADMIN; a user and network namespace gives it
  // unprivileged. A probe that must pass tells a missing kernel feature (or a
  // sandbox without namespaces) from a bad output: then the check is skipped.
  const bool userns = have("unshare") && run("unshare -rn true >/dev/null 2>&1") == 0;
  if (!userns || !have("nft") ||
      run("echo 'table inet ioc_probe { }' | unshare -rn nft -c -f - >/dev/null 2>&1") != 0) {
    WARN("nft -c in a user namespace is not available: nft check skipped");
  } else {
    for (const auto& list : {in, std::vector<Indicator>{}}) {
      const std::string f = temp_file("share.nft", main_text(ShareFormat::kNft, list));
      CHECK(run("unshare -rn nft -c -f '" + f + "'") == 0);
    }
  }
  if (!userns || !have("ipset") ||
      run("echo 'create ioc_probe hash:net' | unshare -rn ipset restore >/dev/null 2>&1") != 0) {
    WARN("ipset in a user namespace is not available: ipset check skipped");
  } else {
    const std::string f = temp_file("share.ipset", main_text(ShareFormat::kIpset, in));
    // Twice: -exist makes a second load of the same file no error.
    CHECK(run("unshare -rn sh -c \"ipset restore < '" + f + "' && ipset restore < '" + f + "'\"") ==
          0);
  }
  if (!have("named-checkzone")) {
    WARN("named-checkzone not available: rpz check skipped");
  } else {
    for (const auto& list : {in, std::vector<Indicator>{}}) {
      const std::string f = temp_file("share.rpz", main_text(ShareFormat::kRpz, list));
      CHECK(run("named-checkzone -q rpz.example '" + f + "'") == 0);
    }
  }
  std::filesystem::remove_all(std::filesystem::temp_directory_path() / "ioc_share_test");
  // JSON formats parse (and nlohmann is always there).
  CHECK(nlohmann::json::accept(main_text(ShareFormat::kStix, in)));
  CHECK(nlohmann::json::accept(main_text(ShareFormat::kMisp, in)));
}
