// ioc/ioc/share.hpp — indicators in the formats blocklists and sharing platforms take.
//
//   std::vector<Indicator> found = {{Type::kIpv4, "45.77.65.211"}, {Type::kDomain, "evil.com"}};
//   ShareOptions opt;
//   opt.timestamp = 1503443422;            // SOURCE_DATE_EPOCH, or now: the caller decides
//   auto files = write_share(ShareFormat::kStix, found, opt);
//   // files[0].name == "" (standard output), files[0].text == the STIX 2.1 bundle
//
// The caller passes each indicator once (unique by type and value), in the order
// it wants them written; every writer is deterministic: the same indicators and
// options give the same bytes. Formats with several files (Suricata datasets,
// one EDL list per type) return them with file names; the main output has the
// empty name. Types a format cannot express are skipped and counted in
// ShareResult::skipped, never written wrongly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/core/result.hpp"
#include "ioc/ioc/types.hpp"

namespace ioc::scan {

struct Indicator {
  Type type = Type::kIpv4;
  std::string value;  ///< canonical form, as the scanner writes it
  std::string name;   ///< kCustom: the pattern's name
};

enum class ShareFormat {
  kStix,      ///< STIX 2.1 bundle of indicator objects (observables: SCOs)
  kMisp,      ///< MISP event JSON
  kSuricata,  ///< Suricata rules (+ dataset files for hashes and domains)
  kEdl,       ///< Palo Alto external dynamic lists, one file per list type
  kNft,       ///< nftables script: named sets, v4 and v6 apart, interval flag for CIDRs
  kIpset,     ///< ipset restore script: hash:net sets, v4 and v6 apart
  kZeek,      ///< Zeek Intel framework TSV
  kSplunk,    ///< Splunk lookup CSV
  kHosts,     ///< hosts-file blocklist (0.0.0.0 name)
  kRpz,       ///< DNS Response Policy Zone (CNAME . = NXDOMAIN)
};

/// "stix", "misp", "suricata", "edl", "nft", "ipset", "zeek", "splunk", "hosts", "rpz".
Result<ShareFormat> parse_share_format(std::string_view name);
/// The names above, space-separated, for --help and completion.
std::string_view share_format_names() noexcept;

struct ShareOptions {
  std::string source = "iocgrep";    ///< producer: STIX identity, MISP info, Zeek meta.source
  std::string description;           ///< optional free text (MISP info, Zeek meta.desc, ...)
  std::int64_t timestamp = 0;        ///< created/modified time, seconds since the epoch (UTC)
  bool observables = false;          ///< STIX: write SCOs (ipv4-addr, domain-name, ...) instead
  std::uint64_t sid_base = 1000000;  ///< Suricata: first rule sid (>= 1,000,000)
  std::string set_name = "iocgrep";  ///< nft/ipset set names, EDL and dataset file prefix
};

struct ShareFile {
  std::string name;  ///< "" = standard output; else a file name (no directories)
  std::string text;
};

struct ShareResult {
  /// files[0] is always the main output (name ""), possibly empty (edl writes
  /// only its list files); the other files follow in a fixed order.
  std::vector<ShareFile> files;
  std::size_t written = 0;  ///< indicators written
  std::size_t skipped = 0;  ///< indicators whose type the format cannot express
};

/// Writes `indicators` in `format`. kUsage error for a bad option (sid_base < 1000000,
/// a set name with characters the format does not allow).
Result<ShareResult> write_share(ShareFormat format, const std::vector<Indicator>& indicators,
                                const ShareOptions& options);

/// RFC 4122 version 5 UUID (SHA-1) of `name` in `namespace_uuid` ("xxxxxxxx-xxxx-...").
/// The namespace is read as its 32 hex digits (hyphens are skipped); the result
/// is lower case: uuid_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com")
/// == "2ed6657d-e927-568b-95e1-2665a8aea6a2".
std::string uuid_v5(std::string_view namespace_uuid, std::string_view name);

}  // namespace ioc::scan
