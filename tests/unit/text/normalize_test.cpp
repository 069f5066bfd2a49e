#include "ioc/text/normalize.hpp"

#include <catch2/catch.hpp>

#include <string>

using ioc::ErrorCode;
using ioc::text::NormalForm;
using ioc::text::normalize;
using ioc::text::parse_normal_form;

namespace {

std::string norm(std::string_view in, NormalForm form) {
  auto r = normalize(in, form);
  REQUIRE(r.has_value());
  return *r;
}

}  // namespace

TEST_CASE("normalize folds full-width and compatibility characters with NFKC", "[text]") {
  CHECK(norm("ｐｏｗｅｒｓｈｅｌｌ", NormalForm::kNfkc) == "powershell");
  CHECK(norm("ＩＥＸ（Ｎｅｗ－Ｏｂｊｅｃｔ）", NormalForm::kNfkc) == "IEX(New-Object)");
  CHECK(norm("ﬁle", NormalForm::kNfkc) == "file");
  CHECK(norm("x²", NormalForm::kNfkc) == "x2");
  // NFC keeps compatibility characters.
  CHECK(norm("ﬁle", NormalForm::kNfc) == "ﬁle");
  CHECK(norm("ｐｓ", NormalForm::kNfc) == "ｐｓ");
}

TEST_CASE("normalize composes and decomposes", "[text]") {
  const std::string composed = "\xC3\xA9";     // é
  const std::string decomposed = "e\xCC\x81";  // e + U+0301
  CHECK(norm(decomposed, NormalForm::kNfc) == composed);
  CHECK(norm(composed, NormalForm::kNfd) == decomposed);
  CHECK(norm(composed, NormalForm::kNfkd) == decomposed);
  CHECK(norm(decomposed, NormalForm::kNfkc) == composed);
  CHECK(norm("ﬁ", NormalForm::kNfkd) == "fi");
}

TEST_CASE("normalize with nfkc_cf folds case and circled letters", "[text]") {
  CHECK(norm("Ⓟⓞⓦⓔⓡ", NormalForm::kNfkcCasefold) == "power");
  CHECK(norm("ＰｏｗｅｒＳｈｅｌｌ", NormalForm::kNfkcCasefold) == "powershell");
  CHECK(norm("PowerShell", NormalForm::kNfkcCasefold) == "powershell");  // ASCII path
  CHECK(norm("Straße", NormalForm::kNfkcCasefold) == "strasse");
}

TEST_CASE("normalize leaves ASCII alone", "[text]") {
  for (auto form : {NormalForm::kNfc, NormalForm::kNfd, NormalForm::kNfkc, NormalForm::kNfkd}) {
    CHECK(norm("cmd.exe /c whoami", form) == "cmd.exe /c whoami");
    CHECK(norm("", form) == "");
  }
}

TEST_CASE("normalize replaces ill-formed UTF-8 with U+FFFD", "[text]") {
  CHECK(norm("a\xFF"
             "b",
             NormalForm::kNfc) ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(norm("\xC3", NormalForm::kNfkc) == "\xEF\xBF\xBD");
}

TEST_CASE("normalize handles inputs longer than one ICU piece", "[text]") {
  std::string in;
  std::string expected;
  while (in.size() < (2u << 20) + 100) {
    in += "ｐｓ e\xCC\x81";
    expected += "ps \xC3\xA9";
  }
  CHECK(norm(in, NormalForm::kNfkc) == expected);
  // No ASCII at all: the cut must still fall on a normalization boundary.
  std::string accents;
  std::string composed;
  while (accents.size() < (2u << 20) + 5) {
    accents += "\xCE\xB1\xCC\x81";  // α + U+0301
    composed += "\xCE\xAC";         // ά
  }
  CHECK(norm(accents, NormalForm::kNfc) == composed);
}

TEST_CASE("parse_normal_form knows the five names", "[text]") {
  CHECK(*parse_normal_form("nfc") == NormalForm::kNfc);
  CHECK(*parse_normal_form("NFD") == NormalForm::kNfd);
  CHECK(*parse_normal_form("nfkc") == NormalForm::kNfkc);
  CHECK(*parse_normal_form("NfKd") == NormalForm::kNfkd);
  CHECK(*parse_normal_form("nfkc_cf") == NormalForm::kNfkcCasefold);
  CHECK(*parse_normal_form("NFKC_CF") == NormalForm::kNfkcCasefold);
  auto bad = parse_normal_form("nfx");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == ErrorCode::kNotFound);
  CHECK(bad.error().message.find("nfx") != std::string::npos);
  CHECK_FALSE(parse_normal_form("").has_value());
}
