// Sharing and blocklist formats: see ioc/ioc/share.hpp.
//
// Every writer is a pure function of (indicators, options): no clock, no random
// numbers, no locale, no unordered containers. Identifiers are UUIDv5 (SHA-1,
// RFC 4122 §4.3 / RFC 9562 §5.5) of fixed names, so the same input always gives
// the same bytes. JSON is built with nlohmann::ordered_json (keys in the order
// written) and serialized with invalid UTF-8 replaced; the strings that go into
// JSON are repaired to valid UTF-8 first so that identifiers hash exactly the
// text that is written.
//
// Conventions shared by the writers:
//  * files[0] is always the main output (name ""), even when it is empty (edl);
//    further files follow in a fixed order.
//  * Blocklist formats (suricata, edl, nft, ipset, rpz) never write a /0 prefix:
//    it would match every address. Such an indicator is counted as skipped.
//  * The blocklist formats write CIDRs with the host bits cleared ("10.1.2.3/8"
//    -> "10.0.0.0/8") and a full-length prefix as the bare address ("/32").
#include "ioc/ioc/share.hpp"

#include <openssl/sha.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <ctime>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ioc/codec/base64.hpp"
#include "ioc/codec/charset.hpp"
#include "ioc/io/writer.hpp"
#include "ioc/ioc/validate.hpp"

namespace ioc::scan {

Result<ShareFormat> parse_share_format(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, ShareFormat>, 10> kFormats = {{
      {"stix", ShareFormat::kStix},
      {"misp", ShareFormat::kMisp},
      {"suricata", ShareFormat::kSuricata},
      {"edl", ShareFormat::kEdl},
      {"nft", ShareFormat::kNft},
      {"ipset", ShareFormat::kIpset},
      {"zeek", ShareFormat::kZeek},
      {"splunk", ShareFormat::kSplunk},
      {"hosts", ShareFormat::kHosts},
      {"rpz", ShareFormat::kRpz},
  }};
  for (const auto& [n, f] : kFormats)
    if (n == name) return f;
  return make_error(ErrorCode::kUsage, "unknown share format '" + std::string(name) +
                                           "'; use one of: " + std::string(share_format_names()));
}

std::string_view share_format_names() noexcept {
  return "stix misp suricata edl nft ipset zeek splunk hosts rpz";
}

namespace {

constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr char kHexLower[] = "0123456789abcdef";
constexpr char kHexUpper[] = "0123456789ABCDEF";

}  // namespace

std::string uuid_v5(std::string_view namespace_uuid, std::string_view name) {
  // Name-based UUID, RFC 4122 §4.3 (RFC 9562 §5.5): SHA-1 over the 16 namespace
  // bytes (network order) followed by the name; the first 16 bytes of the digest
  // with the version (5) and the variant (10xx) set.
  std::string data(16, '\0');
  std::size_t nibbles = 0;
  for (char c : namespace_uuid) {
    const int v = hex_value(c);
    if (v < 0) continue;  // the hyphens
    if (nibbles == 32) break;
    auto& byte = reinterpret_cast<unsigned char&>(data[nibbles / 2]);
    byte = static_cast<unsigned char>(byte | (nibbles % 2 == 0 ? v << 4 : v));
    ++nibbles;
  }
  data.append(name);
  unsigned char md[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  md[6] = static_cast<unsigned char>((md[6] & 0x0F) | 0x50);
  md[8] = static_cast<unsigned char>((md[8] & 0x3F) | 0x80);
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHexLower[md[i] >> 4];
    out += kHexLower[md[i] & 0x0F];
  }
  return out;
}

namespace {

using Json = nlohmann::ordered_json;

// ---------------------------------------------------------------------------
// Shared helpers

// The namespace of every identifier this file makes up itself (STIX indicator,
// identity and bundle ids, MISP event and attribute uuids): the UUIDv5 of
// "urn:ioc-toolkit:share" in the RFC 4122 URL namespace,
// 9a039505-10dc-5c82-81c7-fa3e2ec6053b (pinned by a unit test). It is not the
// STIX SCO namespace, which STIX 2.1 §2.9 reserves for SCO ids.
const std::string& share_namespace() {
  static const std::string ns =
      uuid_v5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "urn:ioc-toolkit:share");
  return ns;
}
// STIX 2.1 §2.9: the namespace for deterministic SCO identifiers.
constexpr std::string_view kStixScoNamespace = "00abedb4-aa42-466c-9c01-fed23315a9b7";

std::string make_id(std::string_view kind, std::initializer_list<std::string_view> parts) {
  std::string name(kind);
  for (std::string_view p : parts) {
    name += '\n';
    name += p;
  }
  return uuid_v5(share_namespace(), name);
}

std::string utf8(std::string_view s) {
  return codec::is_valid_utf8(s) ? std::string(s) : codec::repair_utf8(s);
}

std::string dump_json(const Json& j) {
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::tm utc_time(std::int64_t seconds) {
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

std::string format_time(std::int64_t seconds, const char* format) {
  const std::tm tm = utc_time(seconds);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

// RFC 3339 in UTC with milliseconds, as STIX 2.1 §2.16 writes it.
std::string rfc3339_ms(std::int64_t seconds) {
  return format_time(seconds, "%Y-%m-%dT%H:%M:%S.000Z");
}

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F) return true;
  return false;
}

// Free text for a one-line field: control characters become spaces.
std::string one_line(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return out;
}

// "AS13335" (the scanner's form), "as13335" or "13335" -> 13335.
std::optional<std::uint32_t> asn_number(std::string_view v) {
  if (v.size() > 2 && (v[0] == 'A' || v[0] == 'a') && (v[1] == 'S' || v[1] == 's'))
    v.remove_prefix(2);
  std::uint32_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || v.empty()) return std::nullopt;
  return n;
}

// An address or a CIDR block. IPv4 uses the first 4 bytes.
struct Net {
  bool v6 = false;
  Ipv6Bytes bytes{};
  int prefix = 0;

  int max_prefix() const { return v6 ? 128 : 32; }
};

std::optional<Net> parse_net(const Indicator& ind) {
  std::string_view addr = ind.value;
  Net net;
  net.v6 = ind.type == Type::kIpv6 || ind.type == Type::kIpv6Cidr;
  if (ind.type != Type::kIpv4 && ind.type != Type::kIpv6 && ind.type != Type::kIpv4Cidr &&
      ind.type != Type::kIpv6Cidr)
    return std::nullopt;
  net.prefix = net.max_prefix();
  if (ind.type == Type::kIpv4Cidr || ind.type == Type::kIpv6Cidr) {
    const std::size_t slash = addr.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const std::string_view p = addr.substr(slash + 1);
    addr = addr.substr(0, slash);
    const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), net.prefix);
    if (ec != std::errc() || end != p.data() + p.size() || p.empty() || net.prefix < 0 ||
        net.prefix > net.max_prefix())
      return std::nullopt;
  }
  if (net.v6) {
    const auto b = parse_ipv6(addr);
    if (!b) return std::nullopt;
    net.bytes = *b;
  } else {
    const auto a = parse_ipv4(addr);
    if (!a) return std::nullopt;
    for (int i = 0; i < 4; ++i) net.bytes[i] = static_cast<std::uint8_t>(*a >> (24 - 8 * i));
  }
  return net;
}

// Clears the bits after the prefix.
Net masked(Net net) {
  for (int i = 0; i < 16; ++i) {
    const int keep = net.prefix - 8 * i;  // bits of byte i inside the prefix
    if (keep >= 8) continue;
    net.bytes[i] = keep <= 0 ? 0 : static_cast<std::uint8_t>(net.bytes[i] & (0xFF00 >> keep));
  }
  return net;
}

std::string address_text(const Net& net) {
  if (net.v6) return format_ipv6(net.bytes);
  return format_ipv4(static_cast<std::uint32_t>(net.bytes[0]) << 24 |
                     static_cast<std::uint32_t>(net.bytes[1]) << 16 |
                     static_cast<std::uint32_t>(net.bytes[2]) << 8 | net.bytes[3]);
}

// "a.b.c.d", "a.b.c.0/24", "2001:db8::/32": the masked block, no "/32" or "/128".
std::string block_text(const Net& net) {
  const Net m = masked(net);
  std::string s = address_text(m);
  if (m.prefix != m.max_prefix()) s += "/" + std::to_string(m.prefix);
  return s;
}

// A canonical "scheme://[user@]host[:port]/rest" URL in pieces.
struct UrlParts {
  std::string_view scheme;
  std::string_view host;        // "evil.com", "1.2.3.4", "[2001:db8::1]"
  std::string_view port;        // without ':'; empty when absent
  std::string_view path_query;  // from the first '/' or '?' to the fragment, may be empty
};

std::optional<UrlParts> split_url(std::string_view url) {
  const std::size_t colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  UrlParts u;
  u.scheme = url.substr(0, colon);
  std::string_view rest = url.substr(colon + 3);
  const std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    u.host = authority.substr(0, close + 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      u.port = authority.substr(close + 2);
    }
  } else {
    const std::size_t c = authority.rfind(':');
    u.host = authority.substr(0, c);
    if (c != std::string_view::npos) u.port = authority.substr(c + 1);
  }
  if (u.host.empty()) return std::nullopt;
  u.path_query = rest.substr(0, rest.find('#'));
  return u;
}

// Set names go into file names and firewall object names.
Result<void> check_set_name(std::string_view name, ShareFormat format) {
  const bool nft = format == ShareFormat::kNft;
  // ipset: IPSET_MAXNAMELEN is 32 with the NUL, and "-v4" is added. Suricata:
  // DATASET_NAME_MAX_LEN is 63 and "-domains" is added. nft identifiers are a
  // letter then letters, digits, '_', '.', '/' or '\' (nft(8) LEXICAL
  // CONVENTIONS); we keep to letters, digits and '_'.
  const std::size_t max = format == ShareFormat::kIpset      ? 28
                          : format == ShareFormat::kSuricata ? 55
                          : nft                              ? 60
                                                             : 200;
  bool ok = !name.empty() && name.size() <= max;
  for (std::size_t i = 0; ok && i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    if (i == 0)
      ok = nft ? alpha : alpha || digit;
    else
      ok = alpha || digit || c == '_' || (!nft && (c == '-' || c == '.'));
  }
  if (ok) return {};
  return make_error(ErrorCode::kUsage,
                    "set name '" + std::string(name) + "' is not valid for this format: use " +
                        (nft ? "a letter, then letters, digits or '_'"
                             : "a letter or digit, then letters, digits, '_', '-' or '.'") +
                        ", at most " + std::to_string(max) + " characters");
}

// ---------------------------------------------------------------------------
// STIX 2.1
//
// Checked against the OASIS STIX 2.1 standard (https://docs.oasis-open.org/cti/
// stix/v2.1/os/stix-v2.1-os.html; markdown at github.com/oasis-tcs/cti-stix2
// spec/stix-v2.1.md):
//  * §2.16 timestamps are RFC 3339 UTC with "Z"; §3.2 created and modified
//    need at least millisecond precision (".000Z").
//  * §4.7 indicator: type, spec_version, id, created, modified, pattern,
//    pattern_type, valid_from required; name, description optional.
//    §4.5 identity: name required; used as created_by_ref.
//  * §8 bundle: type, id; "objects" holds one or more objects, so an empty
//    bundle has no "objects" member.
//  * §9 patterning: string constants in apostrophes, '\' escapes only '\' and
//    '\''; hash names with a hyphen are quoted (file:hashes.'SHA-256', §9.8
//    examples); §9.7.2 list properties are matched with [*]; http-request-ext
//    request_header values are lists of strings (§6.12.2), hence
//    request_header.'User-Agent'[*]. §9.8 shows the file path form
//    [file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\...'].
//  * §6.8/§6.9 ipv4-addr/ipv6-addr values may be CIDR blocks; §6.10 mac-addr
//    values are colon-delimited lower case; §6.17 windows-registry-key key
//    MUST spell out the hive (HKEY_LOCAL_MACHINE, not HKLM): we expand HKLM,
//    HKCU, HKCR, HKU, HKCC (and PowerShell's "HKLM:") in patterns and SCOs.
//  * §10.7 hash names: MD5, SHA-1, SHA-256, SHA-512, SSDEEP.
//  * §2.9 deterministic SCO ids: UUIDv5 in 00abedb4-aa42-466c-9c01-fed23315a9b7
//    of the RFC 8785 (JCS) serialization of the ID Contributing Properties:
//    value (ipv4-addr, ipv6-addr, domain-name, url, email-addr, mac-addr),
//    number (autonomous-system), key/values (windows-registry-key), path
//    (directory), hashes (one hash, preferring MD5, SHA-1, SHA-256, SHA-512)
//    and name and parent_directory_ref (file). For these flat objects with
//    ASCII keys JCS is nlohmann's compact dump with sorted keys.
// Skipped (no pattern object or SCO fits): uri (a path without a host), cve and
// attack (STIX models them as vulnerability and attack-pattern SDOs, not as
// indicators), btc, session_key, custom; in observables mode also user_agent
// (a network-traffic SCO needs src_ref/dst_ref and protocols).
// Our own ids (indicator, identity, bundle) are UUIDv5 in share_namespace() of
// "stix-indicator\n<source>\n<type>\n<value>", "stix-identity\n<source>" and
// "stix-bundle\n<object ids, one a line>".

std::string stix_string(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

// "HKLM\Software\x", "hklm:\Software\x" -> "HKEY_LOCAL_MACHINE\Software\x".
std::string registry_key_full(std::string_view key) {
  const std::size_t sep = key.find('\\');
  std::string_view hive = key.substr(0, sep);
  if (!hive.empty() && hive.back() == ':') hive.remove_suffix(1);
  std::string upper(hive);
  for (char& c : upper)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kHives = {{
      {"HKLM", "HKEY_LOCAL_MACHINE"},
      {"HKCU", "HKEY_CURRENT_USER"},
      {"HKCR", "HKEY_CLASSES_ROOT"},
      {"HKU", "HKEY_USERS"},
      {"HKCC", "HKEY_CURRENT_CONFIG"},
  }};
  for (const auto& [abbr, full] : kHives)
    if (upper == abbr) upper = full;
  if (upper.rfind("HKEY_", 0) != 0) return std::string(key);
  return sep == std::string_view::npos ? upper : upper + std::string(key.substr(sep));
}

// "C:\Users\bob\evil.exe" -> {"C:\Users\bob", "evil.exe"}; "/tmp/x.sh" -> {"/tmp", "x.sh"};
// "x.exe" -> {"", "x.exe"}.
std::pair<std::string, std::string> split_path(std::string_view path) {
  const std::size_t sep = path.find_last_of("\\/");
  if (sep == std::string_view::npos) return {"", std::string(path)};
  std::size_t dir_end = sep;
  if (sep == 0 || (sep == 2 && path[1] == ':')) dir_end = sep + 1;  // "/" or "C:\"
  return {std::string(path.substr(0, dir_end)), std::string(path.substr(sep + 1))};
}

const char* stix_hash_name(Type t) {
  switch (t) {
    case Type::kMd5: return "MD5";
    case Type::kSha1: return "SHA-1";
    case Type::kSha256: return "SHA-256";
    case Type::kSha512: return "SHA-512";
    case Type::kSsdeep: return "SSDEEP";
    default: return nullptr;
  }
}

std::optional<std::string> stix_pattern(const Indicator& ind, const std::string& v) {
  switch (ind.type) {
    case Type::kIpv4:
    case Type::kIpv4Cidr: return "[ipv4-addr:value = " + stix_string(v) + "]";
    case Type::kIpv6:
    case Type::kIpv6Cidr: return "[ipv6-addr:value = " + stix_string(v) + "]";
    case Type::kDomain: return "[domain-name:value = " + stix_string(v) + "]";
    case Type::kUrl: return "[url:value = " + stix_string(v) + "]";
    case Type::kEmail: return "[email-addr:value = " + stix_string(v) + "]";
    case Type::kMac: return "[mac-addr:value = " + stix_string(v) + "]";
    case Type::kMd5:
    case Type::kSha1:
    case Type::kSha256:
    case Type::kSha512:
    case Type::kSsdeep: {
      const std::string name = stix_hash_name(ind.type);
      const bool quote = name.find('-') != std::string::npos;
      return "[file:hashes." + (quote ? "'" + name + "'" : name) + " = " + stix_string(v) + "]";
    }
    case Type::kAsn: {
      const auto n = asn_number(v);
      if (!n) return std::nullopt;
      return "[autonomous-system:number = " + std::to_string(*n) + "]";
    }
    case Type::kRegistry:
      return "[windows-registry-key:key = " + stix_string(registry_key_full(v)) + "]";
    case Type::kFilepath: {
      const auto [dir, name] = split_path(v);
      if (name.empty()) return "[directory:path = " + stix_string(dir) + "]";
      if (dir.empty()) return "[file:name = " + stix_string(name) + "]";
      return "[file:name = " + stix_string(name) +
             " AND file:parent_directory_ref.path = " + stix_string(dir) + "]";
    }
    case Type::kUserAgent:
      return "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'[*] = " +
             stix_string(v) + "]";
    default: return std::nullopt;
  }
}

// An SCO with its deterministic id: {"type", "spec_version", "id", properties...}.
Json stix_sco(std::string_view type, const Json& id_properties, const Json& properties) {
  // nlohmann::json (not ordered) keeps keys sorted; compact, not ASCII-escaped:
  // RFC 8785 for objects of strings, integers and such nested objects.
  const nlohmann::json canonical =
      nlohmann::json::parse(id_properties.dump(-1, ' ', false, Json::error_handler_t::replace));
  const std::string id =
      std::string(type) + "--" +
      uuid_v5(kStixScoNamespace, canonical.dump(-1, ' ', false, Json::error_handler_t::replace));
  Json o = {{"type", std::string(type)}, {"spec_version", "2.1"}, {"id", id}};
  for (auto it = properties.begin(); it != properties.end(); ++it) o[it.key()] = it.value();
  return o;
}

// The SCOs for one indicator (empty: skipped). A file path gives a directory and a file.
std::vector<Json> stix_observables(const Indicator& ind, const std::string& v) {
  auto simple = [&](std::string_view type) {
    const Json p = {{"value", v}};
    return std::vector<Json>{stix_sco(type, p, p)};
  };
  switch (ind.type) {
    case Type::kIpv4:
    case Type::kIpv4Cidr: return simple("ipv4-addr");
    case Type::kIpv6:
    case Type::kIpv6Cidr: return simple("ipv6-addr");
    case Type::kDomain: return simple("domain-name");
    case Type::kUrl: return simple("url");
    case Type::kEmail: return simple("email-addr");
    case Type::kMac: return simple("mac-addr");
    case Type::kMd5:
    case Type::kSha1:
    case Type::kSha256:
    case Type::kSha512:
    case Type::kSsdeep: {
      const Json p = {{"hashes", {{stix_hash_name(ind.type), v}}}};
      return {stix_sco("file", p, p)};
    }
    case Type::kAsn: {
      const auto n = asn_number(v);
      if (!n) return {};
      const Json p = {{"number", *n}};
      return {stix_sco("autonomous-system", p, p)};
    }
    case Type::kRegistry: {
      const Json p = {{"key", registry_key_full(v)}};
      return {stix_sco("windows-registry-key", p, p)};
    }
    case Type::kFilepath: {
      const auto [dir, name] = split_path(v);
      std::vector<Json> out;
      std::string dir_id;
      if (!dir.empty()) {
        const Json p = {{"path", dir}};
        out.push_back(stix_sco("directory", p, p));
        dir_id = out.back()["id"].get<std::string>();
      }
      if (!name.empty()) {
        Json p = {{"name", name}};
        if (!dir_id.empty()) p["parent_directory_ref"] = dir_id;
        out.push_back(stix_sco("file", p, p));
      }
      return out;
    }
    default: return {};
  }
}

ShareResult write_stix(const std::vector<Indicator>& indicators, const ShareOptions& o) {
  ShareResult r;
  const std::string ts = rfc3339_ms(o.timestamp);
  const std::string source = utf8(o.source);
  Json objects = Json::array();
  std::set<std::string> ids;  // an SCO (a shared directory) is written once
  std::string identity_id;
  if (!o.observables && !source.empty()) {
    identity_id = "identity--" + make_id("stix-identity", {source});
    objects.push_back({{"type", "identity"},
                       {"spec_version", "2.1"},
                       {"id", identity_id},
                       {"created", ts},
                       {"modified", ts},
                       {"name", source}});
  }
  std::size_t written_objects = 0;
  for (const Indicator& ind : indicators) {
    const std::string v = utf8(ind.value);
    if (o.observables) {
      std::vector<Json> scos = stix_observables(ind, v);
      if (scos.empty()) {
        ++r.skipped;
        continue;
      }
      ++r.written;
      for (Json& sco : scos)
        if (ids.insert(sco["id"].get<std::string>()).second) objects.push_back(std::move(sco));
      continue;
    }
    const auto pattern = stix_pattern(ind, v);
    if (!pattern) {
      ++r.skipped;
      continue;
    }
    ++r.written;
    Json ind_obj = {
        {"type", "indicator"},
        {"spec_version", "2.1"},
        {"id", "indicator--" + make_id("stix-indicator", {source, type_name(ind.type), v})}};
    if (!identity_id.empty()) ind_obj["created_by_ref"] = identity_id;
    ind_obj["created"] = ts;
    ind_obj["modified"] = ts;
    ind_obj["name"] = v;
    if (!o.description.empty()) ind_obj["description"] = utf8(o.description);
    ind_obj["pattern"] = *pattern;
    ind_obj["pattern_type"] = "stix";
    ind_obj["valid_from"] = ts;
    objects.push_back(std::move(ind_obj));
    ++written_objects;
  }
  // No indicator: no identity either, and an empty bundle has no "objects".
  if (!o.observables && written_objects == 0) objects = Json::array();
  std::string id_list;
  for (const auto& obj : objects) id_list += obj["id"].get<std::string>() + "\n";
  Json bundle = {{"type", "bundle"}, {"id", "bundle--" + make_id("stix-bundle", {id_list})}};
  if (!objects.empty()) bundle["objects"] = std::move(objects);
  r.files.push_back({"", dump_json(bundle)});
  return r;
}

// ---------------------------------------------------------------------------
// MISP
//
// Checked against the MISP core format (draft-dulaunoy-misp-core-format,
// https://github.com/MISP/misp-rfc/blob/master/misp-core-format/raw.md) and MISP's
// describeTypes.json (sane_defaults: default category and to_ids per type) and
// app/Lib/Tools/AttributeValidationTool.php (https://github.com/MISP/MISP):
//  * Event: uuid, info, date ("YYYY-MM-DD"), timestamp (string of seconds),
//    published (boolean), threat_level_id ("4" = undefined), analysis ("0" =
//    initial), distribution ("0" = your organisation only: nothing leaves the
//    instance until someone decides to share it). All numbers are strings.
//  * Attribute: type, category, value, to_ids (boolean), uuid, timestamp,
//    distribution ("5" = inherit the event's).
//  * ip-dst accepts a CIDR block ("ip-src"/"ip-dst": a value with '/' is
//    validated as CIDR); AS takes the bare number; vulnerability must match
//    ^CVE-[0-9]{4}-[0-9]{4,}$ (upper case); url, uri, user-agent, regkey and
//    filename must not contain a new line (such values are skipped here).
//  * Type -> default category: ip-dst, domain, url, uri, user-agent, AS,
//    mac-address "Network activity"; email-src, md5, sha1, sha256, sha512,
//    ssdeep, filename "Payload delivery"; regkey "Persistence mechanism"; btc
//    "Financial fraud"; vulnerability "External analysis".
//  * filepath goes to "filename": MISP has no path type, its file object keeps
//    the path as text; a full path is accepted by the filename validation.
// to_ids is true for ipv4 ipv6 cidr domain url email md5 sha1 sha256 sha512 and
// false otherwise (MISP's sane_defaults would also set it for uri, ssdeep,
// regkey, filename and btc: we leave those to the analyst). Skipped: attack (MISP models ATT&CK as
// galaxy clusters), session_key, custom. The event uuid is UUIDv5 in share_namespace() of
// "misp-event\n<source>\n" and the "<misp type>|<value>" keys one a line; each attribute's is of
// "misp-attribute\n<event uuid>\n<misp type>\n<value>", so the same value in
// two events gets two uuids.

struct MispType {
  const char* type;
  const char* category;
  bool to_ids;
};

std::optional<MispType> misp_type(Type t) {
  switch (t) {
    case Type::kIpv4:
    case Type::kIpv6:
    case Type::kIpv4Cidr:
    case Type::kIpv6Cidr: return MispType{"ip-dst", "Network activity", true};
    case Type::kDomain: return MispType{"domain", "Network activity", true};
    case Type::kUrl: return MispType{"url", "Network activity", true};
    case Type::kUri: return MispType{"uri", "Network activity", false};
    case Type::kEmail: return MispType{"email-src", "Payload delivery", true};
    case Type::kMd5: return MispType{"md5", "Payload delivery", true};
    case Type::kSha1: return MispType{"sha1", "Payload delivery", true};
    case Type::kSha256: return MispType{"sha256", "Payload delivery", true};
    case Type::kSha512: return MispType{"sha512", "Payload delivery", true};
    case Type::kSsdeep: return MispType{"ssdeep", "Payload delivery", false};
    case Type::kCve: return MispType{"vulnerability", "External analysis", false};
    case Type::kAsn: return MispType{"AS", "Network activity", false};
    case Type::kMac: return MispType{"mac-address", "Network activity", false};
    case Type::kBtc: return MispType{"btc", "Financial fraud", false};
    case Type::kRegistry: return MispType{"regkey", "Persistence mechanism", false};
    case Type::kFilepath: return MispType{"filename", "Payload delivery", false};
    case Type::kUserAgent: return MispType{"user-agent", "Network activity", false};
    default: return std::nullopt;
  }
}

ShareResult write_misp(const std::vector<Indicator>& indicators, const ShareOptions& o) {
  ShareResult r;
  struct Row {
    MispType t;
    std::string value;
  };
  std::vector<Row> rows;
  for (const Indicator& ind : indicators) {
    const auto t = misp_type(ind.type);
    std::string v = utf8(ind.value);
    if (t && ind.type == Type::kAsn) {
      const auto n = asn_number(v);
      v = n ? std::to_string(*n) : std::string();
    }
    if (t && ind.type == Type::kCve)
      for (char& c : v)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!t || v.empty() || v.find_first_of("\r\n") != std::string::npos) {
      ++r.skipped;
      continue;
    }
    ++r.written;
    rows.push_back({*t, std::move(v)});
  }
  const std::string source = utf8(o.source);
  std::string keys;
  for (const Row& row : rows) keys += std::string(row.t.type) + "|" + row.value + "\n";
  const std::string event_uuid = make_id("misp-event", {source, keys});
  const std::string ts = std::to_string(o.timestamp);
  Json attributes = Json::array();
  for (const Row& row : rows)
    attributes.push_back({{"type", row.t.type},
                          {"category", row.t.category},
                          {"value", row.value},
                          {"to_ids", row.t.to_ids},
                          {"uuid", make_id("misp-attribute", {event_uuid, row.t.type, row.value})},
                          {"timestamp", ts},
                          {"distribution", "5"}});
  std::string info = one_line(utf8(o.description.empty() ? o.source : o.description));
  if (info.empty()) info = "iocgrep";
  const Json event = {{"Event",
                       {{"info", info},
                        {"date", format_time(o.timestamp, "%Y-%m-%d")},
                        {"timestamp", ts},
                        {"published", false},
                        {"threat_level_id", "4"},
                        {"analysis", "0"},
                        {"distribution", "0"},
                        {"uuid", event_uuid},
                        {"Attribute", std::move(attributes)}}}};
  r.files.push_back({"", dump_json(event)});
  return r;
}

// ---------------------------------------------------------------------------
// Suricata
//
// Checked against the Suricata user guide for 6.0 and 7.0
// (https://docs.suricata.io/en/suricata-7.0.0/rules/; source doc/userguide/rules
// at github.com/OISF/suricata, tags suricata-6.0.0 and suricata-7.0.9):
//  * meta.rst: msg must escape ';', '\' and '"' with '\'; sid, rev, classtype.
//    classtype bad-unknown ("Potentially Bad Traffic") is in the default
//    etc/classification.config of 6.0 and later.
//  * payload-keywords.rst: in content, '"' ';' ':' '|' are written as |22| |3B|
//    |3A| |7C|; we also hex '\' (the escape character) and every byte outside
//    printable ASCII. endswith; startswith + endswith together are accepted.
//  * transforms.rst: "dns.query; dotprefix; content:\".microsoft.com\"; endswith;"
//    matches the domain and its subdomains but not fakemicrosoft.com; the same
//    on tls.sni. http-keywords.rst: http.host is lower-cased and without the
//    port, and nocase is not allowed on it; http.uri.raw is the request target
//    as sent (origin-form "/p?q" or, through a proxy, the absolute URL), so the
//    URL's path and query are matched with endswith.
//  * file-keywords.rst: filemd5/filesha1/filesha256:<file>, the file relative to
//    the rule directory, one hex hash per line at the start of the line (file
//    hashing must be enabled in suricata.yaml). There is no filesha512; the
//    rules use "alert http" as the guide's file-extraction examples do.
//  * datasets.rst: "dataset:isset,<name>,type string,load <file>"; a string set
//    file holds one base64-encoded value per line; "load" is relative to the
//    rule file; names are at most 63 characters (datasets.h).
// Layout: one rule per address or CIDR (alert ip $HOME_NET any -> <addr> any),
// two per domain (DNS query and TLS SNI, the domain and its subdomains), one per
// http/https URL (host exact, path+query at the end of the raw URI), then one
// rule per non-empty hash list and one DNS rule for the domain dataset. The
// dataset rule matches the exact names only, and overlaps the per-domain DNS
// rules on purpose: the set can grow at run time (dataset-add) without a rule
// reload. sids count up from sid_base in that order. Hash lists and the domain
// dataset are only written when they have entries (an empty list file would
// not load). Skipped: sha512, ssdeep, URLs of other schemes, and every other
// type.

std::string suricata_msg_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ';' || c == '\\' || c == '"') out += '\\';
    out += static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? '?' : c;
  }
  return out;
}

std::string suricata_content(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F || c == '"' || c == ';' || c == ':' || c == '|' || c == '\\') {
      out += '|';
      out += kHexUpper[u >> 4];
      out += kHexUpper[u & 0x0F];
      out += '|';
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

Result<ShareResult> write_suricata(const std::vector<Indicator>& indicators,
                                   const ShareOptions& o) {
  if (o.sid_base < 1000000)
    return make_error(ErrorCode::kUsage, "sid base " + std::to_string(o.sid_base) +
                                             " is below 1000000, the first sid for local rules");
  if (o.sid_base > 0xFFFFFFFFull)
    return make_error(ErrorCode::kUsage, "sid base " + std::to_string(o.sid_base) +
                                             " is above 4294967295, the largest sid");
  IOC_TRY(check_set_name(o.set_name, ShareFormat::kSuricata));
  ShareResult r;
  std::string rules;
  std::uint64_t sid = o.sid_base;
  const std::string src = suricata_msg_text(o.source.empty() ? "iocgrep" : o.source);
  auto rule = [&](std::string_view header, std::string_view msg, std::string_view body) {
    rules += "alert ";
    rules += header;
    rules += " (msg:\"" + src + " " + std::string(msg) + "\"; ";
    rules += body;
    rules += "classtype:bad-unknown; sid:" + std::to_string(sid++) + "; rev:1;)\n";
  };
  std::string md5s, sha1s, sha256s, domains;
  for (const Indicator& ind : indicators) {
    const std::string type(type_name(ind.type));
    const std::string msg = type + " " + suricata_msg_text(ind.value);
    if (const auto net = parse_net(ind)) {
      if (net->prefix == 0) {
        ++r.skipped;
        continue;
      }
      rule("ip $HOME_NET any -> " + block_text(*net) + " any", msg, "");
    } else if (ind.type == Type::kDomain && !ind.value.empty() && !has_control(ind.value)) {
      const std::string content = suricata_content("." + ind.value);
      rule("dns $HOME_NET any -> any any", msg + " (DNS query)",
           "dns.query; dotprefix; content:" + content + "; nocase; endswith; ");
      rule("tls $HOME_NET any -> any any", msg + " (TLS SNI)",
           "flow:established,to_server; tls.sni; dotprefix; content:" + content +
               "; nocase; endswith; ");
      domains += codec::encode_base64(ind.value) + "\n";
    } else if (ind.type == Type::kUrl) {
      const auto u = split_url(ind.value);
      if (!u || (u->scheme != "http" && u->scheme != "https")) {
        ++r.skipped;
        continue;
      }
      std::string body =
          "flow:established,to_server; http.host; content:" + suricata_content(u->host) +
          "; startswith; endswith; ";
      if (!u->path_query.empty() && u->path_query != "/")
        body += "http.uri.raw; content:" + suricata_content(u->path_query) + "; endswith; ";
      rule("http $HOME_NET any -> any any", msg, body);
    } else if (ind.type == Type::kMd5 || ind.type == Type::kSha1 || ind.type == Type::kSha256) {
      std::string& list = ind.type == Type::kMd5 ? md5s : ind.type == Type::kSha1 ? sha1s : sha256s;
      list += ind.value + "\n";
    } else {
      ++r.skipped;
      continue;
    }
    ++r.written;
  }
  std::vector<ShareFile> lists;
  const struct {
    const std::string& text;
    const char* suffix;
    const char* keyword;
    const char* what;
  } hash_lists[] = {{md5s, "-md5.lst", "filemd5", "file md5 list"},
                    {sha1s, "-sha1.lst", "filesha1", "file sha1 list"},
                    {sha256s, "-sha256.lst", "filesha256", "file sha256 list"}};
  for (const auto& h : hash_lists) {
    if (h.text.empty()) continue;
    const std::string file = o.set_name + h.suffix;
    rule("http any any -> any any", h.what, std::string(h.keyword) + ":" + file + "; ");
    lists.push_back({file, h.text});
  }
  if (!domains.empty()) {
    const std::string set = o.set_name + "-domains";
    rule("dns $HOME_NET any -> any any", "domain list (DNS query)",
         "dns.query; dataset:isset," + set + ",type string,load " + set + ".lst; ");
    lists.push_back({set + ".lst", domains});
  }
  if (sid - 1 > 0xFFFFFFFFull)
    return make_error(ErrorCode::kUsage, "sids from " + std::to_string(o.sid_base) +
                                             " run past 4294967295; use a smaller sid base");
  r.files.push_back({"", std::move(rules)});
  for (auto& f : lists) r.files.push_back(std::move(f));
  return r;
}

// ---------------------------------------------------------------------------
// Palo Alto Networks external dynamic lists
//
// Checked against "Formatting Guidelines for an External Dynamic List"
// (https://docs.paloaltonetworks.com/network-security/security-policy/
// administration/objects/external-dynamic-lists/formatting-guidelines-for-an-
// external-dynamic-list) and "Guidelines for URL Category Exceptions"
// (https://docs.paloaltonetworks.com/advanced-url-filtering/administration/
// configuring-url-filtering/url-category-exceptions/guidelines-for-url-category-
// exceptions): a list holds entries of one type, one a line; IP lists take
// addresses, address/mask and ranges, IPv4 and IPv6; URL entries omit http://
// and https://, are at most 255 characters and case-insensitive, and '*' and
// '^' are wildcards (so a URL holding one is skipped, not widened).
// We also drop the port (the entries we found documented have none; a URL with
// a port is written as host/path, a wider match) and the fragment (never sent).
// Files: <set>-ip.txt (ipv4 ipv6 cidr), <set>-domain.txt, <set>-url.txt, always
// all three, possibly empty, so that a list that became empty is emptied on the
// web server too. The main output is empty: the lists are the output.

ShareResult write_edl(const std::vector<Indicator>& indicators, const ShareOptions& o) {
  ShareResult r;
  std::string ips, domains, urls;
  for (const Indicator& ind : indicators) {
    bool ok =
        !ind.value.empty() && !has_control(ind.value) && ind.value.find(' ') == std::string::npos;
    if (const auto net = ok ? parse_net(ind) : std::nullopt) {
      ok = net->prefix != 0;
      if (ok) ips += block_text(*net) + "\n";
    } else if (ok && ind.type == Type::kDomain) {
      domains += ind.value + "\n";
    } else if (ok && ind.type == Type::kUrl) {
      const auto u = split_url(ind.value);
      std::string entry = u ? std::string(u->host) + std::string(u->path_query) : std::string();
      ok = u && entry.size() <= 255 && entry.find_first_of("*^") == std::string::npos;
      if (ok) urls += entry + "\n";
    } else {
      ok = false;
    }
    ++(ok ? r.written : r.skipped);
  }
  r.files.push_back({"", ""});
  r.files.push_back({o.set_name + "-ip.txt", std::move(ips)});
  r.files.push_back({o.set_name + "-domain.txt", std::move(domains)});
  r.files.push_back({o.set_name + "-url.txt", std::move(urls)});
  return r;
}

// The addresses and CIDR ranges a firewall set takes (not /0), in input order;
// every other indicator is counted as skipped.
std::vector<Net> firewall_blocks(const std::vector<Indicator>& indicators, ShareResult& r) {
  std::vector<Net> out;
  for (const Indicator& ind : indicators) {
    const auto net = parse_net(ind);
    if (!net || net->prefix == 0) {
      ++r.skipped;
      continue;
    }
    ++r.written;
    out.push_back(*net);
  }
  return out;
}

// ---------------------------------------------------------------------------
// nftables
//
// Checked against nft(8) (doc/nft.txt in the nftables sources, mirrored at
// github.com/1g4-mirror/nftables): "add set ... { type ipv4_addr|ipv6_addr;
// flags interval; elements = { ... }; auto-merge; }"; an interval set takes
// addresses and prefixes; auto-merge merges adjacent and overlapping ranges
// (without it an address inside an already added prefix is an error); '#'
// starts a comment; identifiers are a letter followed by letters, digits, '/',
// '\', '_' or '.'. An "inet" table holds sets of both families.
// Output: table inet <set> with sets <set>_v4 and <set>_v6 (always both; an
// empty set has no elements line), one element a line. Loading it again adds
// to the existing sets: flush them first (nft flush set inet <set> <set>_v4) to
// replace their contents.

ShareResult write_nft(const std::vector<Indicator>& indicators, const ShareOptions& o) {
  ShareResult r;
  std::vector<std::string> v4, v6;
  for (const Net& net : firewall_blocks(indicators, r))
    (net.v6 ? v6 : v4).push_back(block_text(net));
  std::string out = "# nft -f: adds to the sets; flush them first to replace their elements\n";
  out += "table inet " + o.set_name + " {\n";
  auto set = [&](const char* suffix, const char* type, const std::vector<std::string>& elements) {
    out += "  set " + o.set_name + suffix + " {\n";
    out += std::string("    type ") + type + "\n";
    out += "    flags interval\n";
    out += "    auto-merge\n";
    if (!elements.empty()) {
      out += "    elements = {\n";
      for (std::size_t i = 0; i < elements.size(); ++i)
        out += "      " + elements[i] + (i + 1 < elements.size() ? ",\n" : "\n");
      out += "    }\n";
    }
    out += "  }\n";
  };
  set("_v4", "ipv4_addr", v4);
  set("_v6", "ipv6_addr", v6);
  out += "}\n";
  r.files.push_back({"", std::move(out)});
  return r;
}

// ---------------------------------------------------------------------------
// ipset
//
// Checked against ipset(8) and lib/ipset.c of the ipset sources
// (https://ipset.netfilter.org/ipset.man.html; github mirror
// codacy-open-source-projects-scans/ipset): restore reads one command a line,
// without the "ipset" word, create before add; the global option -exist may
// stand on any line (the parser takes core options before the command) and
// makes "create" of an identical set and "add" of a present entry no errors;
// hash:net takes addresses and CIDRs of family inet or inet6 but no /0;
// maxelem defaults to 65536; set names are at most 31 characters
// (IPSET_MAXNAMELEN 32). Output: create <set>-v4 and <set>-v6 (always both),
// then one add per address. maxelem is only written when a set needs more than
// the default (the next power of two), so that a list that fits recreates an
// existing default set with -exist.

ShareResult write_ipset(const std::vector<Indicator>& indicators, const ShareOptions& o) {
  ShareResult r;
  std::size_t n4 = 0, n6 = 0;
  std::string adds;
  for (const Net& net : firewall_blocks(indicators, r)) {
    ++(net.v6 ? n6 : n4);
    adds += "add " + o.set_name + (net.v6 ? "-v6 " : "-v4 ") + block_text(net) + " -exist\n";
  }
  auto maxelem = [](std::size_t n) {
    std::size_t m = 65536;
    while (m < n) m *= 2;
    return m == 65536 ? std::string() : " maxelem " + std::to_string(m);
  };
  std::string out = "create " + o.set_name + "-v4 hash:net family inet" + maxelem(n4) + " -exist\n";
  out += "create " + o.set_name + "-v6 hash:net family inet6" + maxelem(n6) + " -exist\n";
  out += adds;
  r.files.push_back({"", std::move(out)});
  return r;
}

// ---------------------------------------------------------------------------
// Zeek Intel framework
//
// Checked against the Zeek sources (github.com/zeek/zeek):
// scripts/base/frameworks/intel/main.zeek (Intel::ADDR, Intel::SUBNET "a subnet
// in CIDR notation", Intel::URL "a complete URL without the prefix http://",
// Intel::SOFTWARE, Intel::EMAIL, Intel::DOMAIN, ...; matching is on the
// lower-cased indicator), files.zeek (Intel::FILE_HASH, not specific to one
// hash type; Intel::FILE_NAME), policy/frameworks/intel/seen/http-headers.zeek
// (the User-Agent header is looked up as Intel::SOFTWARE), seen/http-url.zeek
// with HTTP::build_url (host, ":port" unless the port is 80, then the URI),
// and the intel framework docs (https://docs.zeek.org/en/master/frameworks/
// intel.html): a "#fields" header, tab-separated columns, "-" for an unset
// field. Output columns: indicator, indicator_type, meta.source, meta.desc.
// URLs drop the scheme, userinfo, a ":80" on http and the fragment; a URL
// without a path gets "/" (what build_url produces). An empty source is written
// "(empty)" (the empty string in Zeek's ASCII input), an empty description "-".
// Tabs and line breaks in source and description become spaces; an indicator
// holding one (or being "-" or "(empty)") is skipped, as it cannot be written.
// Skipped types: uri, mac, asn, cve, attack, btc, registry, ssdeep,
// session_key, custom, and filepath (Intel::FILE_NAME is matched against bare
// file names, a path would never match).

std::optional<std::string_view> zeek_type(Type t) {
  switch (t) {
    case Type::kIpv4:
    case Type::kIpv6: return "Intel::ADDR";
    case Type::kIpv4Cidr:
    case Type::kIpv6Cidr: return "Intel::SUBNET";
    case Type::kDomain: return "Intel::DOMAIN";
    case Type::kUrl: return "Intel::URL";
    case Type::kEmail: return "Intel::EMAIL";
    case Type::kMd5:
    case Type::kSha1:
    case Type::kSha256:
    case Type::kSha512: return "Intel::FILE_HASH";
    case Type::kUserAgent: return "Intel::SOFTWARE";
    default: return std::nullopt;
  }
}

ShareResult write_zeek(const std::vector<Indicator>& indicators, const ShareOptions& o) {
  ShareResult r;
  std::string source = one_line(o.source);
  if (source.empty()) source = "(empty)";
  std::string desc = one_line(o.description);
  if (desc.empty()) desc = "-";
  std::string out = "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\n";
  for (const Indicator& ind : indicators) {
    const auto t = zeek_type(ind.type);
    std::string v = ind.value;
    if (t && ind.type == Type::kUrl) {
      const auto u = split_url(ind.value);
      v.clear();
      if (u) {
        v = std::string(u->host);
        if (!u->port.empty() && !(u->scheme == "http" && u->port == "80"))
          v += ":" + std::string(u->port);
        v += u->path_query.empty() || u->path_query.front() != '/' ? "/" : "";
        v += std::string(u->path_query);
      }
    }
    if (!t || v.empty() || v == "-" || v == "(empty)" || has_control(v)) {
      ++r.skipped;
      continue;
    }
    ++r.written;
    out += v + "\t" + std::string(*t) + "\t" + source + "\t" + desc + "\n";
  }
  r.files.push_back({"", std::move(out)});
  return r;
}

// ---------------------------------------------------------------------------
// Splunk lookup CSV
//
// RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): CRLF line ends, a header
// line, cells quoted only when they hold ',', '"', CR or LF, '"' doubled inside
// quotes (io::append_csv_cell, as iocgrep's csv output). Splunk takes the first
// line as the field names of a CSV lookup (https://docs.splunk.com/
// Documentation/Splunk/latest/Knowledge/Usefieldlookupstoaddinformationtoyourevents).
// Columns: indicator (the value to match a field against, e.g. "| lookup
// iocs.csv indicator AS dest_ip"), type (iocgrep's type name; a custom
// pattern's own name), source, description. Every type is written.

ShareResult write_splunk(const std::vector<Indicator>& indicators, const ShareOptions& o) {
  ShareResult r;
  std::string out = "indicator,type,source,description\r\n";
  for (const Indicator& ind : indicators) {
    const std::string_view type = ind.type == Type::kCustom && !ind.name.empty()
                                      ? std::string_view(ind.name)
                                      : type_name(ind.type);
    io::append_csv_cell(out, ind.value);
    out += ',';
    io::append_csv_cell(out, type);
    out += ',';
    io::append_csv_cell(out, o.source);
    out += ',';
    io::append_csv_cell(out, o.description);
    out += "\r\n";
    ++r.written;
  }
  r.files.push_back({"", std::move(out)});
  return r;
}

// ---------------------------------------------------------------------------
// hosts file
//
// hosts(5): an address, white space, a host name, one entry a line. Only
// domains are written ("0.0.0.0 <domain>"): a hosts file cannot block an
// address, a path or a subdomain, and writing the host of a URL would block a
// whole site for one bad page. Every other type is skipped.

ShareResult write_hosts(const std::vector<Indicator>& indicators) {
  ShareResult r;
  std::string out;
  for (const Indicator& ind : indicators) {
    if (ind.type != Type::kDomain || ind.value.empty() || has_control(ind.value) ||
        ind.value.find_first_of(" #") != std::string::npos) {
      ++r.skipped;
      continue;
    }
    ++r.written;
    out += "0.0.0.0 " + ind.value + "\n";
  }
  r.files.push_back({"", std::move(out)});
  return r;
}

// ---------------------------------------------------------------------------
// DNS Response Policy Zone
//
// Checked against the BIND 9 ARM, "Response Policy Zone (RPZ) Rewriting"
// (https://bind9.readthedocs.io/en/latest/reference.html#response-policy-zone-
// rpz-rewriting; doc/arm/reference.rst in github.com/isc-projects/bind9) and
// draft-vixie-dnsop-dns-rpz: a policy zone is an ordinary zone (its example
// starts "$TTL 1H", "@ SOA LOCALHOST. named-mgr.example.com (1 1h 15m 30d 2h)",
// "NS LOCALHOST."); owner names are relative to the zone origin; "CNAME ." is
// the NXDOMAIN action, "*.<name> CNAME ." covers the subdomains; IP triggers
// (addresses in answers) are "prefixlength.B4.B3.B2.B1.rpz-ip" for IPv4 (prefix
// 1-32, all four bytes) and "prefixlength.W8.W7...W1.rpz-ip" for IPv6 (prefix
// 1-128, hex words reversed, one run of zero words written "zz").
// We use the RFC 5952 choice of zero run (the longest of two or more, the first
// on a tie). The SOA serial is options.timestamp (mod 2^32), so that it grows
// from one export to the next. Skipped: everything but domains, addresses and
// CIDRs (and /0).

std::string rpz_ip(const Net& in) {
  const Net net = masked(in);
  std::string out = std::to_string(net.prefix);
  if (!net.v6) {
    for (int i = 3; i >= 0; --i) out += "." + std::to_string(net.bytes[i]);
    return out + ".rpz-ip";
  }
  std::array<unsigned, 8> w{};
  for (int i = 0; i < 8; ++i)
    w[i] = static_cast<unsigned>(net.bytes[2 * i] << 8 | net.bytes[2 * i + 1]);
  int best = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && w[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  for (int i = 7; i >= 0; --i) {
    if (best >= 0 && i >= best && i < best + best_len) {
      if (i == best) out += ".zz";
      continue;
    }
    char buf[8];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, w[i], 16);
    (void)ec;
    out += "." + std::string(buf, end);
  }
  return out + ".rpz-ip";
}

ShareResult write_rpz(const std::vector<Indicator>& indicators, const ShareOptions& o) {
  ShareResult r;
  std::string out = "$TTL 300\n";
  out += "@ IN SOA localhost. hostmaster.localhost. ( " +
         std::to_string(static_cast<std::uint32_t>(o.timestamp)) + " 3600 600 86400 300 )\n";
  out += "@ IN NS localhost.\n";
  for (const Indicator& ind : indicators) {
    if (const auto net = parse_net(ind); net && net->prefix > 0) {
      out += rpz_ip(*net) + " CNAME .\n";
    } else if (ind.type == Type::kDomain && !ind.value.empty() &&
               ind.value.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-.") ==
                   std::string::npos &&
               ind.value.front() != '.' && ind.value.back() != '.') {
      out += ind.value + " CNAME .\n*." + ind.value + " CNAME .\n";
    } else {
      ++r.skipped;
      continue;
    }
    ++r.written;
  }
  r.files.push_back({"", std::move(out)});
  return r;
}

}  // namespace

Result<ShareResult> write_share(ShareFormat format, const std::vector<Indicator>& indicators,
                                const ShareOptions& options) {
  switch (format) {
    case ShareFormat::kStix: return write_stix(indicators, options);
    case ShareFormat::kMisp: return write_misp(indicators, options);
    case ShareFormat::kSuricata: return write_suricata(indicators, options);
    case ShareFormat::kEdl:
      IOC_TRY(check_set_name(options.set_name, format));
      return write_edl(indicators, options);
    case ShareFormat::kNft:
      IOC_TRY(check_set_name(options.set_name, format));
      return write_nft(indicators, options);
    case ShareFormat::kIpset:
      IOC_TRY(check_set_name(options.set_name, format));
      return write_ipset(indicators, options);
    case ShareFormat::kZeek: return write_zeek(indicators, options);
    case ShareFormat::kSplunk: return write_splunk(indicators, options);
    case ShareFormat::kHosts: return write_hosts(indicators);
    case ShareFormat::kRpz: return write_rpz(indicators, options);
  }
  return make_error(ErrorCode::kUsage, "unknown share format");
}

}  // namespace ioc::scan
