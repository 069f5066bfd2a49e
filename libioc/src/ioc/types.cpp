#include "ioc/ioc/types.hpp"

#include <array>

namespace ioc::scan {
namespace {

constexpr std::array<std::string_view, kTypeCount> kNames = {
    "ipv4", "ipv6", "ipv4_cidr", "ipv6_cidr", "domain",     "url",         "uri",    "email",
    "md5",  "sha1", "sha256",    "sha512",    "ssdeep",     "cve",         "attack", "asn",
    "mac",  "btc",  "registry",  "filepath",  "user_agent", "session_key", "custom"};

}  // namespace

std::string_view type_name(Type type) noexcept {
  return kNames[static_cast<std::size_t>(type)];
}

std::optional<Type> type_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kTypeCount; ++i)
    if (kNames[i] == name) return static_cast<Type>(i);
  return std::nullopt;
}

TypeSet default_types() noexcept {
  TypeSet s;
  for (Type t : {Type::kIpv4, Type::kIpv6, Type::kIpv4Cidr, Type::kIpv6Cidr, Type::kDomain,
                 Type::kUrl, Type::kEmail, Type::kMd5, Type::kSha1, Type::kSha256, Type::kSha512})
    add(s, t);
  return s;
}

TypeSet all_types() noexcept {
  TypeSet s;
  for (std::size_t i = 0; i + 1 < kTypeCount; ++i) s.set(i);
  return s;
}

Result<TypeSet> parse_type_list(std::string_view list) {
  TypeSet set;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view name = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty()) continue;
    if (name == "all") {
      set |= all_types();
    } else if (name == "default") {
      set |= default_types();
    } else if (auto t = type_from_name(name); t && *t != Type::kCustom) {
      add(set, *t);
    } else {
      std::string known;
      for (std::size_t i = 0; i + 1 < kTypeCount; ++i) known += std::string(kNames[i]) + ' ';
      return make_error(ErrorCode::kUsage, "unknown type '" + std::string(name) +
                                               "'; known types: " + known + "all default");
    }
  }
  if (set.none()) return make_error(ErrorCode::kUsage, "no type given");
  return set;
}

bool is_network_type(Type type) noexcept {
  switch (type) {
    case Type::kIpv4:
    case Type::kIpv6:
    case Type::kIpv4Cidr:
    case Type::kIpv6Cidr:
    case Type::kDomain:
    case Type::kUrl:
    case Type::kEmail: return true;
    default: return false;
  }
}

bool is_hash_type(Type type) noexcept {
  switch (type) {
    case Type::kMd5:
    case Type::kSha1:
    case Type::kSha256:
    case Type::kSha512:
    case Type::kSsdeep: return true;
    default: return false;
  }
}

}  // namespace ioc::scan
