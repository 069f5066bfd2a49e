#include "ioc/ioc/filter.hpp"

#include <algorithm>

#include "ioc/core/limits.hpp"
#include "ioc/io/file.hpp"
#include "ioc/text/ascii.hpp"

namespace ioc::scan {

std::string_view url_host(std::string_view url) {
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos) return {};
  std::string_view rest = url.substr(sep + 3);
  rest = rest.substr(0, std::min(rest.find_first_of("/?#"), rest.size()));
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos)
    rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    return close == std::string_view::npos ? std::string_view{} : rest.substr(1, close - 1);
  }
  return rest.substr(0, std::min(rest.find(':'), rest.size()));
}

namespace {

std::string_view before_slash(std::string_view v) {
  return v.substr(0, std::min(v.find('/'), v.size()));
}

bool special_host(std::string_view host) {
  if (auto a = parse_ipv4(host)) return is_special_ipv4(*a);
  if (auto a = parse_ipv6(host)) return is_special_ipv6(*a);
  return false;
}

bool in_v4(std::uint32_t a, std::uint32_t net, int bits) {
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (a & mask) == (net & mask);
}

bool in_v6(const Ipv6Bytes& a, const Ipv6Bytes& net, int bits) {
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const int take = std::min(bits, 8);
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - take));
    if ((a[static_cast<std::size_t>(i)] & mask) != (net[static_cast<std::size_t>(i)] & mask))
      return false;
  }
  return true;
}

}  // namespace

bool is_special_address(Type type, std::string_view value) {
  switch (type) {
    case Type::kIpv4:
    case Type::kIpv6:
    case Type::kIpv4Cidr:
    case Type::kIpv6Cidr: return special_host(before_slash(value));
    case Type::kUrl: return special_host(url_host(value));
    default: return false;
  }
}

Result<std::shared_ptr<const Exclusions>> Exclusions::parse(std::string_view text,
                                                            std::string_view source) {
  auto out = std::make_shared<Exclusions>();
  // One entry per line; '#' starts a comment anywhere on it.
  const auto add = [&](std::size_t line_no, std::string_view line) -> Result<void> {
    line = text::trim_space(line.substr(0, std::min(line.find('#'), line.size())));
    if (line.empty()) return {};
    const std::string where = std::string(source) + ":" + std::to_string(line_no) + ": ";
    const std::size_t slash = line.find('/');
    const std::string_view addr = line.substr(0, std::min(slash, line.size()));
    int bits = -1;
    if (slash != std::string_view::npos) {
      bits = 0;
      const std::string_view b = line.substr(slash + 1);
      if (b.empty() || b.size() > 3)
        return make_error(ErrorCode::kInvalidInput, where + "bad prefix length");
      for (char c : b) {
        if (c < '0' || c > '9')
          return make_error(ErrorCode::kInvalidInput, where + "bad prefix length");
        bits = bits * 10 + (c - '0');
      }
    }
    if (auto v4 = parse_ipv4(addr)) {
      if (bits > 32) return make_error(ErrorCode::kInvalidInput, where + "IPv4 prefix over 32");
      out->v4_.emplace_back(*v4, bits < 0 ? 32 : bits);
    } else if (auto v6 = parse_ipv6(addr)) {
      if (bits > 128) return make_error(ErrorCode::kInvalidInput, where + "IPv6 prefix over 128");
      out->v6_.emplace_back(*v6, bits < 0 ? 128 : bits);
    } else if (bits < 0) {
      std::string_view name = line;
      if (name.substr(0, 2) == "*.") name.remove_prefix(2);
      auto d = canonical_domain(name, {.tld_check = false, .min_two_labels = false});
      if (!d)
        return make_error(ErrorCode::kInvalidInput,
                          where + "not a domain, address or CIDR: '" + std::string(line) + "'");
      out->domains_.push_back(std::move(*d));
    } else {
      return make_error(ErrorCode::kInvalidInput,
                        where + "not a CIDR range: '" + std::string(line) + "'");
    }
    return {};
  };
  Result<void> status;
  text::for_each_line(text, [&](std::size_t n, std::string_view line) {
    status = add(n, line);
    return bool(status);
  });
  if (!status) return status.error();
  std::sort(out->domains_.begin(), out->domains_.end());
  return std::shared_ptr<const Exclusions>(std::move(out));
}

Result<std::shared_ptr<const Exclusions>> Exclusions::load(const std::string& path) {
  IOC_ASSIGN_OR_RETURN(std::string text, io::read_file(path, 16 * kMiB));
  return parse(text, path);
}

bool Exclusions::domain_excluded(std::string_view domain) const {
  // The domain itself and every parent ("a.b.example.com" -> "b.example.com" ...).
  while (true) {
    if (std::binary_search(domains_.begin(), domains_.end(), domain)) return true;
    const std::size_t dot = domain.find('.');
    if (dot == std::string_view::npos) return false;
    domain.remove_prefix(dot + 1);
  }
}

bool Exclusions::v4_excluded(std::uint32_t a) const {
  for (const auto& [net, bits] : v4_)
    if (in_v4(a, net, bits)) return true;
  return false;
}

bool Exclusions::v6_excluded(const Ipv6Bytes& a) const {
  for (const auto& [net, bits] : v6_)
    if (in_v6(a, net, bits)) return true;
  return false;
}

bool Exclusions::excluded(Type type, std::string_view value) const {
  const auto host_excluded = [&](std::string_view host) {
    if (auto a = parse_ipv4(host)) return v4_excluded(*a);
    if (auto a = parse_ipv6(host)) return v6_excluded(*a);
    return domain_excluded(host);
  };
  switch (type) {
    case Type::kIpv4:
    case Type::kIpv6:
    case Type::kIpv4Cidr:
    case Type::kIpv6Cidr: return host_excluded(before_slash(value));
    case Type::kDomain: return domain_excluded(value);
    case Type::kUrl: return host_excluded(url_host(value));
    case Type::kEmail: {
      const std::size_t at = value.rfind('@');
      return at != std::string_view::npos && domain_excluded(value.substr(at + 1));
    }
    default: return false;
  }
}

}  // namespace ioc::scan
