// ioc/ioc/types.hpp — the indicator types iocgrep knows, by their stable names.
//
// The names are a contract: they appear in every output format and in -t/--type.
// (The module is called `ioc` as in DESIGN.md §2; its namespace is ioc::scan so
// that code does not read ioc::ioc.)
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ioc/core/result.hpp"

namespace ioc::scan {

enum class Type : std::uint8_t {
  kIpv4,
  kIpv6,
  kIpv4Cidr,
  kIpv6Cidr,
  kDomain,
  kUrl,
  kUri,
  kEmail,
  kMd5,
  kSha1,
  kSha256,
  kSha512,
  kSsdeep,
  kCve,
  kAttack,
  kAsn,
  kMac,
  kBtc,
  kRegistry,
  kFilepath,
  kUserAgent,
  kSessionKey,
  kCustom,  ///< a pattern from --patterns; its name is in Hit::name
};

inline constexpr std::size_t kTypeCount = static_cast<std::size_t>(Type::kCustom) + 1;
using TypeSet = std::bitset<kTypeCount>;

/// "ipv4", "ipv6", "ipv4_cidr", ... ("custom" for kCustom).
std::string_view type_name(Type type) noexcept;
/// The inverse of type_name (exact, lower case); nullopt for unknown names.
std::optional<Type> type_from_name(std::string_view name) noexcept;

/// The common network and hash types: ipv4 ipv6 ipv4_cidr ipv6_cidr domain url
/// email md5 sha1 sha256 sha512.
TypeSet default_types() noexcept;
/// Every built-in type (custom patterns are enabled by giving them).
TypeSet all_types() noexcept;
/// "ipv4,domain,url" -> set; "all" and "default" are accepted as members.
/// Unknown names are a kUsage error that lists the known ones.
Result<TypeSet> parse_type_list(std::string_view list);

inline bool has(const TypeSet& set, Type t) noexcept {
  return set.test(static_cast<std::size_t>(t));
}
inline void add(TypeSet& set, Type t) noexcept {
  set.set(static_cast<std::size_t>(t));
}

/// True for the types a network blocklist takes (addresses, names, URLs).
bool is_network_type(Type type) noexcept;
/// True for file hash types (md5 sha1 sha256 sha512 ssdeep).
bool is_hash_type(Type type) noexcept;

}  // namespace ioc::scan
