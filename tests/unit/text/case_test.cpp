#include "ioc/text/case.hpp"

#include <catch2/catch.hpp>

#include <string>

using ioc::text::case_fold;
using ioc::text::to_lower;
using ioc::text::to_upper;

TEST_CASE("to_lower maps ASCII on the fast path", "[text]") {
  CHECK(to_lower("") == "");
  CHECK(to_lower("PowerShell -EncodedCommand") == "powershell -encodedcommand");
  CHECK(to_lower("ABC xyz 123 !@#") == "abc xyz 123 !@#");
  // Embedded NUL and control bytes are kept.
  CHECK(to_lower(std::string("A\0B\x01", 4)) == std::string("a\0b\x01", 4));
  // A locale without special rules takes the same path with the same result.
  CHECK(to_lower("HELLO", "de") == "hello");
  CHECK(to_lower("HELLO", "en_US") == "hello");
}

TEST_CASE("to_lower handles final sigma", "[text]") {
  CHECK(to_lower("ΟΔΟΣ") == "οδος");
  CHECK(to_lower("ΣΑΣ ΟΔΟΣ") == "σας οδος");
  // Not final when a letter follows.
  CHECK(to_lower("ΣΑ") == "σα");
}

TEST_CASE("to_lower follows Turkish and root rules for dotted I", "[text]") {
  CHECK(to_lower("İSTANBUL") == "i\xCC\x87stanbul");  // i + U+0307, like JavaScript
  CHECK(to_lower("İSTANBUL", "tr") == "istanbul");
  CHECK(to_lower("I", "tr") == "ı");
  CHECK(to_lower("I", "tr_TR") == "ı");
  CHECK(to_lower("I", "tr-TR") == "ı");
  CHECK(to_lower("I", "az") == "ı");
  CHECK(to_lower("I") == "i");
  CHECK(to_lower("I", "TR") == "ı");  // language codes are case-insensitive
}

TEST_CASE("to_lower keeps the dot of Lithuanian i under accents", "[text]") {
  CHECK(to_lower("\xC3\x8C", "lt") == "i\xCC\x87\xCC\x80");  // Ì -> i + U+0307 + U+0300
  CHECK(to_lower("\xC3\x8C") == "\xC3\xAC");                 // ì in the root locale
  CHECK(to_lower("I", "lt") == "i");
}

TEST_CASE("to_upper handles special casing", "[text]") {
  CHECK(to_upper("straße") == "STRASSE");
  CHECK(to_upper("i", "tr") == "İ");
  CHECK(to_upper("i") == "I");
  CHECK(to_upper("hello world") == "HELLO WORLD");
  CHECK(to_upper("ﬁle") == "FILE");  // the ligature expands
  CHECK(to_upper("οδος") == "ΟΔΟΣ");
}

TEST_CASE("to_lower and to_upper replace ill-formed UTF-8 with U+FFFD", "[text]") {
  CHECK(to_lower("A\xFF"
                 "B") ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(to_upper("a\xC3") == "A\xEF\xBF\xBD");
  CHECK(case_fold("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("case_fold makes case variants compare equal", "[text]") {
  CHECK(case_fold("ς") == case_fold("σ"));
  CHECK(case_fold("ΣΑΣ") == case_fold("σας"));
  CHECK(case_fold("Straße") == case_fold("STRASSE"));
  CHECK(case_fold("Straße") == "strasse");
  CHECK(case_fold("HeLLo") == "hello");
  CHECK(case_fold("I") == "i");
  CHECK(case_fold("I", true) == "ı");
  CHECK(case_fold("İ", true) == "i");
  CHECK(case_fold("İ") == "i\xCC\x87");
}

TEST_CASE("to_lower maps long inputs in pieces with the same result", "[text]") {
  // More than one ICU piece (1 MiB): the context of final sigma must survive the cuts.
  std::string in;
  std::string expected;
  while (in.size() < (3u << 20)) {
    in += "ΟΔΟΣ ΣΑΣ 42 ";
    expected += "οδος σας 42 ";
  }
  CHECK(to_lower(in) == expected);
  // Without any ASCII to cut at.
  std::string greek;
  std::string greek_lower;
  while (greek.size() < (2u << 20) + 7) {
    greek += "ΑΒ";
    greek_lower += "αβ";
  }
  CHECK(to_lower(greek) == greek_lower);
}
