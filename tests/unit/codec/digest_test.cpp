#include <catch2/catch.hpp>

#include <string>

#include "ioc/codec/digest.hpp"

using namespace ioc::codec;

TEST_CASE("md5_hex, sha1_hex, sha256_hex: known vectors", "[codec][digest]") {
  CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Embedded NUL and high bytes are hashed as bytes.
  CHECK(sha256_hex(std::string("\0\xff", 2)) ==
        "06eb7d6a69ee19e5fbdf749018d3d2abfa04bcbd1365db312eb86dc7169389b8");
}
