// ioc/ioc/filter.hpp — drop hits an analyst does not want in a blocklist.
//
//   auto ex = Exclusions::parse("example.com\n10.0.0.0/8\n# comment\n", "allow.txt");
//   ex->excluded(hit.type, hit.value)        // a.example.com, 10.1.2.3, http://example.com/x: true
//   is_special_address(hit.type, hit.value)  // 192.168.1.1, fe80::1, http://127.0.0.1/: true
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/core/result.hpp"
#include "ioc/ioc/scanner.hpp"
#include "ioc/ioc/validate.hpp"

namespace ioc::scan {

/// The host of a canonical URL value ("https://a.b:8443/x" -> "a.b", IPv6 without brackets).
std::string_view url_host(std::string_view url);

/// True for ipv4/ipv6/CIDR values in special-purpose ranges (validate.hpp) and
/// URLs whose host is such an address; false for every other hit.
bool is_special_address(Type type, std::string_view value);

/// An allow-list: domains (matching themselves and their subdomains), IPv4 and
/// IPv6 addresses, and CIDR ranges; one per line, '#' comments.
class Exclusions {
 public:
  static Result<std::shared_ptr<const Exclusions>> parse(std::string_view text,
                                                         std::string_view source);
  static Result<std::shared_ptr<const Exclusions>> load(const std::string& path);

  /// Domains, URLs (by host), e-mail addresses (by domain), addresses and CIDR
  /// hits (by network address) that the list covers.
  bool excluded(Type type, std::string_view value) const;

 private:
  bool domain_excluded(std::string_view domain) const;
  bool v4_excluded(std::uint32_t a) const;
  bool v6_excluded(const Ipv6Bytes& a) const;

  std::vector<std::string> domains_;  // sorted, for suffix lookups
  std::vector<std::pair<std::uint32_t, int>> v4_;
  std::vector<std::pair<Ipv6Bytes, int>> v6_;
};

}  // namespace ioc::scan
