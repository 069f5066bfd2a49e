// iocgrep — extract indicators of compromise (IPs, domains, URLs, hashes, ...) from
// any text, defanged or not. A thin front-end: options here, the work in libioc
// (ioc/scanner.hpp, ioc/grep.hpp).
#include <sys/stat.h>

#include <exception>
#include <iostream>

#include "common/options.hpp"
#include "ioc/io/output.hpp"
#include "ioc/io/paths.hpp"
#include "ioc/ioc/embedded.hpp"
#include "ioc/ioc/grep.hpp"
#include "ioc/ioc/validate.hpp"

namespace {

namespace po = boost::program_options;

int run(int argc, char** argv) {
  static constexpr ioc::tools::ToolInfo kInfo{
      .name = "iocgrep",
      .summary =
          "Extract indicators of compromise (IPs, domains, URLs, hashes, ...) from any text, "
          "defanged or not.",
      .usage = "[OPTIONS] [FILE]...",
      .recipe_short_r = false,
      .ok_verb = "matched",
      .extra_formats = "plain json stix misp suricata edl nft ipset zeek splunk hosts rpz",
  };
  ioc::tools::CommandLine cmd(kInfo);
  cmd.tool_options().add_options()(
      "type,t", po::value<std::string>()->value_name("LIST"),
      "indicator types to find, comma-separated (default: ipv4 ipv6 ipv4_cidr ipv6_cidr domain "
      "url email md5 sha1 sha256 sha512); see --list-types")("all", "find every built-in type")(
      "list-types", "list the indicator types and exit")(
      "patterns", po::value<std::string>()->value_name("FILE"),
      "also find custom patterns: 'NAME REGEX' per line (RE2 syntax)")(
      "recursive,r", "search directories recursively")("with-filename,H",
                                                       "prefix each plain hit with its file name")(
      "line-number,n", "prefix each plain hit with its line (record) number")(
      "byte-offset,b", "prefix each plain hit with its byte offset in the input")(
      "only-matching,o", "print only the indicators (the default; accepted for grep habits)")(
      "count,c", "print the number of hits per type instead of the hits")(
      "quiet,q", "print nothing; exit 0 at the first hit")(
      "unique,u", "print each type and value once (the first occurrence)")(
      "sort", "sort hits by type, then value (reads all input first)")(
      "with-type", "plain format: write TYPE<TAB>VALUE")(
      "defang", "write values defanged (hxxp, [.]) for tickets and mail")(
      "no-refang", "do not understand defanged indicators")(
      "loose", "also read unbracketed ' at ' and ' dot ' in prose as '@' and '.'")(
      "no-derived", "do not also report a URL's host as a domain or address")(
      "no-tld-check", "accept domains whose last label is not a delegated TLD")(
      "unicode", "write internationalized domains as Unicode (U-labels), not xn--")(
      "registrable", "write domains as their registrable domain (public suffix + 1 label)")(
      "context-filter", "skip IPv4-like version numbers ('version 1.2.3.4')")(
      "public-only",
      "drop private, loopback, link-local, CGNAT, documentation, multicast and "
      "reserved addresses")(
      "exclude", po::value<std::string>()->value_name("FILE"),
      "drop hits covered by FILE: domains (and their subdomains), addresses and CIDR ranges")(
      "decode", po::value<std::string>()->value_name("LIST"),
      "also decode embedded blobs (base64, hex, url, utf16, gzip (also zlib and raw deflate), "
      "or all) and find the indicators inside; such hits carry decoded_from")(
      "text,a",
      "read binary input (a NUL byte in its first 32 KiB) as text lines; by default its "
      "printable runs are scanned, as with strings(1)")(
      "wide", "also find indicators in UTF-16LE strings inside binary input")(
      "output-dir", po::value<std::string>()->value_name("DIR"),
      "suricata, edl: write the list files there (the rules or nothing go to standard "
      "output)")("observables", "stix: write observables (SCOs) instead of indicators")(
      "sid-base", po::value<std::uint64_t>()->value_name("N"),
      "suricata: the first rule's sid (default 1000000)")(
      "set-name", po::value<std::string>()->value_name("NAME"),
      "nft, ipset: the set names; suricata, edl: the list file prefix (default iocgrep)")(
      "source-name", po::value<std::string>()->value_name("NAME"),
      "stix, misp, zeek, splunk: who produced the indicators (default iocgrep)")(
      "description", po::value<std::string>()->value_name("TEXT"),
      "misp, zeek, splunk: a description of the indicators")(
      "jobs,j", po::value<unsigned>()->value_name("N"),
      "scan with N threads (default 1); output keeps the input order");
  if (auto code = cmd.parse(argc, argv)) return *code;
  const auto& common = cmd.common();
  if (!common.recipe.empty()) return ioc::tools::run_recipe_mode(cmd);
  const auto& vm = cmd.vm();

  if (vm.count("list-types")) {
    const auto defaults = ioc::scan::default_types();
    for (std::size_t i = 0; i + 1 < ioc::scan::kTypeCount; ++i) {
      const auto t = static_cast<ioc::scan::Type>(i);
      std::cout << ioc::scan::type_name(t) << (ioc::scan::has(defaults, t) ? "\tdefault" : "")
                << '\n';
    }
    std::cout << "# " << ioc::scan::public_suffix_list_info() << '\n';
    return 0;
  }

  ioc::scan::GrepOptions g;
  if (auto share = ioc::scan::parse_share_format(common.format_name)) {
    g.share = *share;
    g.format = ioc::scan::GrepFormat::kPlain;
    auto& so = g.share_options;
    if (vm.count("sid-base")) so.sid_base = vm["sid-base"].as<std::uint64_t>();
    if (vm.count("set-name")) so.set_name = vm["set-name"].as<std::string>();
    if (vm.count("source-name")) so.source = vm["source-name"].as<std::string>();
    if (vm.count("description")) so.description = vm["description"].as<std::string>();
    so.observables = vm.count("observables") > 0;
    // Reproducible output: SOURCE_DATE_EPOCH (reproducible-builds.org) wins over the clock.
    const auto now = ioc::tools::source_date_epoch_or_now();
    if (!now) return cmd.usage_error("SOURCE_DATE_EPOCH must be a number of seconds");
    so.timestamp = static_cast<std::int64_t>(*now);
    const bool needs_dir =
        *share == ioc::scan::ShareFormat::kSuricata || *share == ioc::scan::ShareFormat::kEdl;
    if (needs_dir && !vm.count("output-dir"))
      return cmd.usage_error("--format " + common.format_name +
                             " writes list files: give --output-dir DIR");
    if (vm.count("output-dir")) {
      g.share_dir = vm["output-dir"].as<std::string>();
      struct stat st;
      if (::stat(g.share_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return cmd.usage_error("--output-dir: '" + g.share_dir + "' is not a directory");
    }
  } else {
    auto format = ioc::scan::parse_grep_format(common.format_name);
    if (!format) return cmd.usage_error("--format: " + format.error().message);
    g.format = *format;
    for (const char* opt :
         {"output-dir", "observables", "sid-base", "set-name", "source-name", "description"})
      if (vm.count(opt))
        return cmd.usage_error(std::string("--") + opt +
                               " needs a sharing format (-f stix, misp, "
                               "suricata, edl, nft, ipset, zeek, splunk, hosts or rpz)");
  }
  if (vm.count("type")) {
    auto types = ioc::scan::parse_type_list(vm["type"].as<std::string>());
    if (!types) return cmd.usage_error("--type: " + types.error().message);
    g.scan.types = *types;
  }
  if (vm.count("all")) g.scan.types |= ioc::scan::all_types();
  if (vm.count("patterns")) {
    auto p = ioc::scan::CustomPatterns::load(vm["patterns"].as<std::string>());
    if (!p) return cmd.usage_error("--patterns: " + p.error().message);
    g.scan.custom = *p;
    if (!vm.count("type") && !vm.count("all")) g.scan.types.reset();  // only the patterns
  }
  if (vm.count("exclude")) {
    auto ex = ioc::scan::Exclusions::load(vm["exclude"].as<std::string>());
    if (!ex) return cmd.usage_error("--exclude: " + ex.error().message);
    g.exclude = *ex;
  }
  if (vm.count("decode")) {
    auto d = ioc::scan::parse_decoders(vm["decode"].as<std::string>());
    if (!d) return cmd.usage_error("--decode: " + d.error().message);
    g.decoders = *d;
  }
  g.wide = vm.count("wide") > 0;
  g.limits = common.limits;
  g.scan.refang = !vm.count("no-refang");
  g.scan.loose = vm.count("loose") > 0;
  g.scan.derived = !vm.count("no-derived");
  g.scan.tld_check = !vm.count("no-tld-check");
  g.scan.unicode = vm.count("unicode") > 0;
  g.scan.context_filter = vm.count("context-filter") > 0;
  g.with_type = vm.count("with-type") > 0;
  g.defang = vm.count("defang") > 0;
  g.with_filename = vm.count("with-filename") > 0;
  g.line_number = vm.count("line-number") > 0;
  g.byte_offset = vm.count("byte-offset") > 0;
  g.count = vm.count("count") > 0;
  g.quiet = vm.count("quiet") > 0;
  g.unique = vm.count("unique") > 0;
  g.sort = vm.count("sort") > 0;
  g.public_only = vm.count("public-only") > 0;
  g.registrable = vm.count("registrable") > 0;
  g.jobs = vm.count("jobs") ? vm["jobs"].as<unsigned>() : 1;
  if (g.jobs == 0) return cmd.usage_error("--jobs must be at least 1");
  g.terminator = common.input.separator;

  // -q: a hit wins over an unreadable file, as in grep.
  return ioc::tools::run_job(
      cmd,
      [&](ioc::io::Output& out, ioc::io::Diagnostics& diag) {
        ioc::io::InputOptions input = common.input;
        input.binary = vm.count("text") ? ioc::io::BinaryInput::kText : ioc::io::BinaryInput::kAuto;
        input.paths = ioc::io::expand_paths(common.input.paths, vm.count("recursive") > 0, diag,
                                            "use -r to search it");
        // Every argument a directory without -r, or empty directories: nothing to read.
        if (input.paths.empty() && !common.input.paths.empty()) return;
        ioc::scan::grep_records(input, g, out, diag);
      },
      g.quiet);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    return ioc::tools::report_internal_error("iocgrep", e);
  }
}
