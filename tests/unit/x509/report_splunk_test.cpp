// Unit tests of certsum's --splunk naming (ioc/x509/report.hpp).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "ioc/x509/report.hpp"

using nlohmann::ordered_json;

TEST_CASE("splunk_names renames the four Splunk Stream fields in place", "[x509]") {
  ordered_json r;
  r["source"] = "a.pem";
  r["subject_oneline"] = "C = US";
  r["issuer_oneline"] = "C = US";
  r["serial_hex"] = "8EBEC1C12D034DA1";
  r["serial_dec"] = "10285871634388831649";
  r["md5"] = "BF775DD133F369377101D0CC2A2E9EDB";
  r["sha1"] = "X";
  const ordered_json s = ioc::x509::splunk_names(r);
  std::vector<std::string> keys;
  for (const auto& item : s.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"source", "ssl_subject", "ssl_issuer", "serial_hex",
                                         "ssl_serial", "ssl_hash", "sha1"});
  CHECK(s["ssl_serial"] == "10285871634388831649");
  CHECK(s["ssl_hash"] == "BF775DD133F369377101D0CC2A2E9EDB");
}

TEST_CASE("to_splunk_line quotes values a Splunk search would split", "[x509]") {
  ioc::x509::Summary s;
  s.subject_oneline = "CN = a \"quoted\" \\ name";
  s.issuer_oneline = "C=US";
  s.serial_dec = "-5";
  s.md5 = "00";
  CHECK(ioc::x509::to_splunk_line(s, "f.pem") ==
        "f.pem: ssl_subject=\"CN = a \\\"quoted\\\" \\\\ name\" ssl_issuer=\"C=US\" "
        "ssl_serial=-5 ssl_hash=00");
}
