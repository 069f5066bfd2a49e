// ioc/ioc/validate.hpp — exact validators and canonical forms for single indicators.
//
// The scanner (scanner.hpp) finds candidates with a byte-class pass and asks
// these functions whether a candidate is the real thing and what its canonical
// value is. Each takes the candidate alone (already refanged) and never looks
// around it; context rules live in the scanner.
//
//   canonical_ipv4("010.1.2.003")      -> "10.1.2.3"   (zero-padded octets are decimal)
//   canonical_ipv6("2001:DB8:0:0::1")  -> "2001:db8::1" (RFC 5952, via inet_pton/inet_ntop)
//   canonical_domain("Bücher.DE.", {}) -> "xn--bcher-kva.de" (UTS #46 via ICU, TLD via libpsl)
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ioc/ioc/types.hpp"

namespace ioc::scan {

/// Four dot-separated decimal groups of 1-3 digits, each <= 255 -> host-order value.
/// `canonical`, when given, is set to whether `s` is already written in the
/// canonical form (no group with a leading zero).
std::optional<std::uint32_t> parse_ipv4(std::string_view s, bool* canonical = nullptr) noexcept;
std::string format_ipv4(std::uint32_t address);
/// parse_ipv4 + format_ipv4.
std::optional<std::string> canonical_ipv4(std::string_view s);

using Ipv6Bytes = std::array<std::uint8_t, 16>;
/// An IPv6 address as inet_pton(AF_INET6) reads it; a "%zone" suffix is dropped.
std::optional<Ipv6Bytes> parse_ipv6(std::string_view s) noexcept;
/// RFC 5952 text (lower case, longest run of two or more zero groups compressed,
/// "::ffff:1.2.3.4" keeps its dotted tail).
std::string format_ipv6(const Ipv6Bytes& address);
std::optional<std::string> canonical_ipv6(std::string_view s);

/// Private, loopback, link-local, CGNAT, documentation, benchmarking, multicast,
/// reserved, broadcast and "this network" ranges (RFC 6890 and its updates).
bool is_special_ipv4(std::uint32_t address) noexcept;
/// Unspecified, loopback, IPv4-mapped special, link-local, unique-local,
/// site-local, multicast, documentation, 6to4/Teredo/ORCHID/discard-only and
/// benchmarking ranges.
bool is_special_ipv6(const Ipv6Bytes& address) noexcept;

/// "a.b.c.d/nn" (nn <= 32) or "x::/nn" (nn <= 128), the address part valid.
bool is_ipv4_cidr(std::string_view s) noexcept;
bool is_ipv6_cidr(std::string_view s) noexcept;

struct DomainOptions {
  bool tld_check = true;  ///< the last label must be an ICANN top-level domain
  bool unicode = false;   ///< return U-labels instead of A-labels
  bool min_two_labels = true;
};

/// A host name in canonical form: lower case, trailing dot removed, IDN labels
/// as A-labels (UTS #46 through ICU), every label 1-63 letters/digits/hyphens
/// not starting or ending with '-', at most 253 bytes; the TLD alphabetic (or an
/// A-label) and, with tld_check, a delegated ICANN TLD from the Public Suffix
/// List built into libpsl. nullopt when it is not a domain.
std::optional<std::string> canonical_domain(std::string_view s, const DomainOptions& options = {});
/// canonical_domain appended to `out`; false (and `out` as it was) when `s` is
/// not a domain name. For callers that collect many names in one buffer.
bool canonical_domain_into(std::string_view s, const DomainOptions& options, std::string& out);

/// True when `tld` (lower-case ASCII, an A-label for IDN) is an ICANN
/// top-level domain in libpsl's built-in list.
bool is_icann_tld(std::string_view tld) noexcept;
/// The registrable domain (public suffix + one label) of a canonical domain,
/// from libpsl; the domain itself when it has none (e.g. it is a suffix).
std::string registrable_domain(std::string_view domain);
/// Where libpsl's built-in list comes from, for --version output.
std::string public_suffix_list_info();

/// "aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF" or "aabb.ccdd.eeff" -> "aa:bb:cc:dd:ee:ff".
std::optional<std::string> canonical_mac(std::string_view s);

/// md5/sha1/sha256/sha512 by the length of an all-hex string (32/40/64/128).
std::optional<Type> hash_type_of(std::string_view hex) noexcept;

/// A Bitcoin address whose checksum verifies: Base58Check P2PKH/P2SH ("1...",
/// "3...") or Bech32/Bech32m segwit ("bc1...").
bool is_btc_address(std::string_view s);

}  // namespace ioc::scan
