#include "ioc/x509/fetch.hpp"

#include <catch2/catch.hpp>

using ioc::x509::parse_endpoint;

TEST_CASE("fetch: endpoints", "[x509][fetch]") {
  auto a = parse_endpoint("45.77.65.211:443");
  REQUIRE(a);
  CHECK(a->host == "45.77.65.211");
  CHECK(a->port == "443");
  auto b = parse_endpoint("evil.example");
  REQUIRE(b);
  CHECK(b->host == "evil.example");
  CHECK(b->port == "443");
  auto c = parse_endpoint("[2001:db8::1]:8443");
  REQUIRE(c);
  CHECK(c->host == "2001:db8::1");
  CHECK(c->port == "8443");
  auto d = parse_endpoint("2001:db8::1");
  REQUIRE(d);
  CHECK(d->host == "2001:db8::1");
  CHECK(d->port == "443");
  for (const char* bad :
       {"", ":443", "host:", "host:0", "host:65536", "host:https", "[::1", "[::1]443", "[]:443"})
    CHECK_FALSE(parse_endpoint(bad));
}

TEST_CASE("fetch: an unknown STARTTLS protocol is a usage error", "[x509][fetch]") {
  ioc::x509::FetchOptions o;
  o.endpoint = *parse_endpoint("127.0.0.1:1");
  o.starttls = "pop3";
  auto r = ioc::x509::fetch_chain(o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ioc::ErrorCode::kUsage);
}
