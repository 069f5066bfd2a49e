// ioc/ioc/grep.hpp — iocgrep's loop: records in, indicators out.
//
//   GrepOptions g;
//   g.format = GrepFormat::kJsonl;
//   grep_records(input, g, out, diag);   // diag.exit_code(): 0 found, 1 none, 2 error
//
// Each record (line, field, whole file, or a printable run or UTF-16LE string
// of a binary input with input.binary = kAuto, records.hpp) is scanned
// (scanner.hpp), its hits filtered (--public-only, --exclude), and written in
// the chosen format. Output order is input order, also with several threads.
// Records with at least one hit count as "matched" in --stats.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ioc/core/limits.hpp"
#include "ioc/core/result.hpp"
#include "ioc/io/diagnostics.hpp"
#include "ioc/io/output.hpp"
#include "ioc/io/records.hpp"
#include "ioc/ioc/filter.hpp"
#include "ioc/ioc/scanner.hpp"
#include "ioc/ioc/share.hpp"

namespace ioc::scan {

enum class GrepFormat { kPlain, kJsonl, kJson, kCsv, kTsv };

/// "plain" (also "text"), "jsonl", "json", "csv", "tsv".
Result<GrepFormat> parse_grep_format(std::string_view name);
/// The names parse_grep_format takes, for --help.
std::string_view grep_format_names() noexcept;

struct GrepOptions {
  ScanOptions scan;
  GrepFormat format = GrepFormat::kPlain;
  bool with_type = false;      ///< plain: "type<TAB>value"
  bool defang = false;         ///< write defanged values
  bool with_filename = false;  ///< -H: prefix "FILE:"
  bool line_number = false;    ///< -n: prefix "LINE:"
  bool byte_offset = false;    ///< -b: prefix "OFFSET:" (byte offset of the hit in the input)
  bool count = false;          ///< -c: counts per type instead of hits
  bool quiet = false;          ///< -q: no output; stop at the first hit
  bool unique = false;         ///< -u: each type+value once, first occurrence kept
  bool sort = false;           ///< sort by type, then value (buffers the hits)
  bool public_only = false;    ///< drop special-purpose addresses
  bool registrable = false;    ///< domains as their registrable domain
  std::shared_ptr<const Exclusions> exclude;
  unsigned decoders = 0;  ///< --decode: embedded.hpp Decoder mask
  bool wide = false;      ///< --wide: also UTF-16LE strings in binary input (sets input.wide)
  Limits limits{};        ///< for --decode
  unsigned jobs = 1;
  /// A sharing format (STIX, MISP, Suricata, ...): the unique indicators are
  /// written once the input is read; extra files go to share_dir.
  std::optional<ShareFormat> share;
  ShareOptions share_options{};
  std::string share_dir;
  char terminator = '\n';  ///< plain output record terminator (-z: '\0')
};

/// Runs the whole job; returns false when output stopped early (closed pipe, -q).
bool grep_records(const io::InputOptions& input, const GrepOptions& options, io::Output& out,
                  io::Diagnostics& diag);

}  // namespace ioc::scan
