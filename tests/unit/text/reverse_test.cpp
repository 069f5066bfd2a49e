#include <catch2/catch.hpp>

#include "ioc/text/reverse.hpp"

using namespace ioc::text;

TEST_CASE("reverse_characters: code points, not bytes", "[text][reverse]") {
  CHECK(reverse_characters("llehsrewop") == "powershell");
  CHECK(reverse_characters("a\xc3\xa9\xf0\x9f\x98\x80") ==
        "\xf0\x9f\x98\x80\xc3\xa9"
        "a");
  CHECK(reverse_characters("") == "");
  // An ill-formed byte stays a byte.
  CHECK(reverse_characters("a\xffz") ==
        "z\xff"
        "a");
  CHECK(reverse_characters("\xe2\x82") == "\x82\xe2");
}

TEST_CASE("reverse_lines and reverse_bytes", "[text][reverse]") {
  CHECK(reverse_lines("a\nb\nc") == "c\nb\na");
  CHECK(reverse_lines("a\nb\n") == "\nb\na");
  CHECK(reverse_lines("one") == "one");
  CHECK(reverse_bytes(std::string("\x01\x02\x00", 3)) == std::string("\x00\x02\x01", 3));
}
