// ioc/ioc/scanner.hpp — find indicators in text, in linear time.
//
//   scan::Scanner scanner({.types = scan::all_types()});
//   std::vector<scan::Hit> hits;
//   scanner.scan("beacon to hxxp://45.77.65[.]211/admin/get.php", hits);
//   // hits: url "http://45.77.65.211/admin/get.php" (defanged), ipv4 "45.77.65.211" (derived)
//   for (const scan::HitView& h : scanner.scan_views(line)) ...  // the same, no copies
//
// How: the text is refanged first (refang.hpp) when it holds a defang marker,
// with a map back to raw offsets. Then one byte-class pass cuts the text into
// runs of host characters (letters, digits, '.', '-', ':', UTF-8 letters) and
// exact validators (validate.hpp) decide what each run is: IPv4 (4 groups
// exactly; 5+ dotted numbers are never an address), IPv6 (inet_pton), CIDR,
// domain (PSL TLD check), hashes (exact lengths, non-alphanumeric borders), MAC,
// CVE, ATT&CK, ASN, Bitcoin (checksum verified). URLs are found from "://" and
// e-mails from '@' with bounded look-behind, so no input is quadratic. The rarer
// types (user agents, URIs, session keys, registry keys, file paths, ssdeep,
// custom patterns) use RE2, which is linear too, behind a cheap substring test.
//
// A Scanner holds scratch buffers: use one per thread.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/core/result.hpp"
#include "ioc/ioc/types.hpp"

namespace ioc::scan {

/// Custom patterns from a file: "NAME REGEX" per line (RE2 syntax; '#' starts a
/// comment line). The value of a hit is capture group 1 when the pattern has
/// one, else the whole match.
class CustomPatterns {
 public:
  static Result<std::shared_ptr<const CustomPatterns>> parse(std::string_view text,
                                                             std::string_view source);
  static Result<std::shared_ptr<const CustomPatterns>> load(const std::string& path);
  ~CustomPatterns();
  struct Pattern;
  const std::vector<Pattern>& patterns() const noexcept { return patterns_; }

 private:
  std::vector<Pattern> patterns_;
};

struct ScanOptions {
  TypeSet types = default_types();
  bool refang = true;           ///< understand defanged indicators
  bool loose = false;           ///< also " at " and " dot " in prose
  bool derived = true;          ///< a URL's host is also a domain / ipv4 / ipv6 hit
  bool tld_check = true;        ///< domains must end in an ICANN TLD
  bool unicode = false;         ///< domains as U-labels instead of A-labels
  bool context_filter = false;  ///< "version 1.2.3.4" is not an IPv4 address
  std::shared_ptr<const CustomPatterns> custom;
};

struct Hit {
  Type type = Type::kIpv4;
  std::string value;      ///< canonical form (types.hpp, issue text)
  std::size_t begin = 0;  ///< raw byte span in the scanned text
  std::size_t end = 0;
  bool defanged = false;  ///< the raw text was defanged
  bool derived = false;   ///< taken from inside a URL (its host)
  std::string name;       ///< kCustom: the pattern's name
  /// Hits inside a decoded blob (iocgrep --decode/--wide): how it was decoded
  /// ("base64>utf16le"), and the hit's text in the decoded text; begin/end are
  /// then the blob's span.
  std::string decoded_from;
  std::string raw;
};

/// A hit whose strings are views: into the scanner (Scanner::scan_views) or
/// into a Hit (view_of). The fields mean what Hit's do.
struct HitView {
  Type type = Type::kIpv4;
  std::string_view value;
  std::size_t begin = 0;
  std::size_t end = 0;
  bool defanged = false;
  bool derived = false;
  std::string_view name;
  std::string_view decoded_from;
  std::string_view raw;
};

inline HitView view_of(const Hit& h) noexcept {
  return {h.type, h.value, h.begin, h.end, h.defanged, h.derived, h.name, h.decoded_from, h.raw};
}

class Scanner {
 public:
  explicit Scanner(ScanOptions options = {});
  ~Scanner();
  Scanner(Scanner&&) noexcept;
  Scanner& operator=(Scanner&&) noexcept;

  /// Appends the hits in `text` to `hits`, ordered by position.
  void scan(std::string_view text, std::vector<Hit>& hits);

  /// The hits in `text`, ordered by position, as scan finds them, without an
  /// allocation per hit: the views and the strings they show stay valid until
  /// the next scan with this scanner.
  std::span<const HitView> scan_views(std::string_view text);

  const ScanOptions& options() const noexcept;

  /// True when no hit can span a newline (no RE2-backed type and no custom
  /// pattern is wanted). Then the hits of lines joined with '\n' are those of
  /// each line scanned alone, at their places, and lines can be scanned in blocks.
  bool line_bounded() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Convenience for tests and one-off use.
std::vector<Hit> scan_text(std::string_view text, const ScanOptions& options = {});

}  // namespace ioc::scan
