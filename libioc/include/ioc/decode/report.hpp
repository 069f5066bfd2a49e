// ioc/decode/report.hpp — psdecode's output: the JSON record, the text report,
// the recipe explanation, and the loop over input records.
//
// JSON keys (a contract scripts depend on; every key is always present):
//   source, input_kind, wrappers[], powershell_args{}, layers[{op, encoding,
//   span:[start,end], ok, parent, executed, recipe, error}], decoded, deobfuscated,
//   artifacts[{kind, size, sha256, prefix_hex, layer}], unresolved[], warnings[],
//   framework{name, variant, confidence, urls, hosts, ports, user_agents, evidence},
//   empire{ua, server, server_encoding, uris[], staging_key, cookie_name,
//          session_cookie, cookie_decoded{session_id, language, meta, additional,
//          length, verified}, proxy{mode, url, creds}, bypasses[],
//          tls_validation_disabled, custom_headers[], variant, confidence} or null,
//   registry_payload{key, value, encoding} or null,
//   persistence{mechanism, task_name, schedule, start_time, run_as, key, value_name} or null,
//   iocs[{type, value}]
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ioc/core/source.hpp"
#include "ioc/decode/peeler.hpp"
#include "ioc/io/diagnostics.hpp"
#include "ioc/io/output.hpp"
#include "ioc/io/records.hpp"
#include "ioc/io/writer.hpp"

namespace ioc::decode {

/// With `explain`, each layer also carries "cyberchef": its recipe in CyberChef's compact form.
/// The parsed form of to_jsonl_line (which writes the record).
nlohmann::ordered_json to_json(const Peeled& p, std::string_view source, bool explain = false);

/// psdecode's JSON record on one line (no newline), written by a streaming
/// writer (RapidJSON): the one place the record's keys are defined.
std::string to_jsonl_line(const Peeled& p, std::string_view source, bool explain = false);

struct TextOptions {
  bool pretty = false;   ///< the decoded script one statement per line
  bool color = false;    ///< ANSI highlighting (a terminal without NO_COLOR)
  bool explain = false;  ///< add the recipes of each layer
  bool escape = false;   ///< escape control bytes of values (output is a terminal)
};

/// The human report of one record.
std::string to_text(const Peeled& p, std::string_view source, const TextOptions& options);

/// For each decoding layer: where it was found and the recipe (ours and
/// CyberChef's) that reproduces it from that text.
std::string explain(const Peeled& p);

/// A script with one statement per line: breaks after ';' and around '{' '}'
/// outside strings and comments, indented by brace depth.
std::string pretty_script(std::string_view script);

struct RunOptions {
  PeelOptions peel;
  io::OutputFormat format = io::OutputFormat::kText;
  TextOptions text;
  std::string output_key;     ///< with --field: default "<field>_decoded"
  std::string artifacts_dir;  ///< write artifact bytes there as <sha256>.bin
  unsigned jobs = 1;          ///< worker threads; output order is the input order
};

/// Peels every record of the inputs (and every literal text, as "(argument N)")
/// and writes one report per record. A record with a decoded layer counts as ok,
/// one whose layers all failed as failed. Returns false if the output went away.
bool peel_records(const io::InputOptions& input, const std::vector<std::string>& texts,
                  const RunOptions& options, io::Output& out, io::Diagnostics& diag);

}  // namespace ioc::decode
