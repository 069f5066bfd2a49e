// ioc/x509/report.hpp — certsum's loop: inputs -> certificates -> one record each.
//
//   CertsumOptions o;
//   o.rules = &rules;                 // c2.hpp; flags are added to every summary
//   o.match = {"10285871634388831649"};
//   certsum_inputs({"a.pem", "dir"}, o, out, diag);   // diag.exit_code(): 0 / 1 / 2
//
// Each input is read whole (bounded by max_input), its format detected, every
// certificate summarized at `now`, flagged, filtered by --match / --flagged,
// and written: text (one line per certificate), jsonl (one object with the
// keys of Summary, plus source), csv or tsv (the scalar fields; lists joined
// with "; "). An input without a certificate is a per-input error; the loop
// goes on with the next.
#pragma once

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ioc/io/diagnostics.hpp"
#include "ioc/io/output.hpp"
#include "ioc/io/writer.hpp"
#include "ioc/x509/c2.hpp"
#include "ioc/x509/cert.hpp"
#include "ioc/x509/fetch.hpp"

namespace ioc::x509 {

struct CertsumOptions {
  io::OutputFormat format = io::OutputFormat::kText;
  LoadOptions load{};
  std::vector<std::string> match;  ///< keep certificates matching any (matches())
  bool flagged_only = false;       ///< keep certificates with at least one flag
  bool recursive = false;          ///< directories: every regular file below, sorted
  /// Splunk Stream's names: subject_oneline -> ssl_subject, issuer_oneline ->
  /// ssl_issuer, serial_dec -> ssl_serial, md5 -> ssl_hash (see splunk_names).
  bool splunk = false;
  std::time_t now = 0;
  const C2Rules* rules = nullptr;
  std::size_t max_input = 64 * 1024 * 1024;
};

/// The JSON record of one certificate: source, then Summary's fields by name.
nlohmann::ordered_json to_json(const Summary& s, std::string_view source);

/// The record with Splunk Stream's field names (--splunk): subject_oneline,
/// issuer_oneline, serial_dec and md5 renamed ssl_subject, ssl_issuer,
/// ssl_serial and ssl_hash, in place; the other keys unchanged.
nlohmann::ordered_json splunk_names(const nlohmann::ordered_json& record);

/// --splunk's text form: "SOURCE: ssl_subject="C = US" ssl_issuer="C = US"
/// ssl_serial=DEC ssl_hash=MD5", a clause to paste into a Splunk search.
std::string to_splunk_line(const Summary& s, std::string_view source);

/// The one-line text form: "SOURCE[#i] subject=... issuer=... serial=HEX (DEC)
/// sha1=... not_after=... [self-signed] [FLAG id (confidence): reason]...".
std::string to_text_line(const Summary& s, std::string_view source);

/// Runs certsum over `paths` ("-" or none: standard input). Returns false when
/// output stopped early (closed pipe).
bool certsum_inputs(const std::vector<std::string>& paths, const CertsumOptions& options,
                    io::Output& out, io::Diagnostics& diag);

/// The same for live TLS servers (--connect): each server's chain, leaf first,
/// with source "host:port#i". A server that cannot be reached is an I/O error
/// naming it; the loop goes on with the next.
bool certsum_servers(const std::vector<FetchOptions>& servers, const CertsumOptions& options,
                     io::Output& out, io::Diagnostics& diag);

}  // namespace ioc::x509
