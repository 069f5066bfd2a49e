#include "ioc/x509/report.hpp"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "ioc/io/file.hpp"
#include "ioc/io/paths.hpp"

namespace ioc::x509 {

namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json strings(const std::vector<std::string>& v) {
  ordered_json a = ordered_json::array();
  for (const auto& s : v) a.push_back(s);
  return a;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : "; ") + s;
  return out;
}

std::string source_name(std::string_view path, std::size_t index, std::size_t count) {
  std::string s = path.empty() || path == "-" ? std::string(kStdinName) : std::string(path);
  if (count > 1) s += "#" + std::to_string(index);
  return s;
}

// CSV/TSV: the scalar fields, and the lists joined with "; ".
ordered_json flat(const ordered_json& j) {
  ordered_json row = ordered_json::object();
  for (const auto& [key, value] : j.items()) {
    if (value.is_array()) {
      std::vector<std::string> parts;
      for (const auto& e : value) {
        if (e.is_string())
          parts.push_back(e.get<std::string>());
        else if (e.is_object() && e.contains("id"))
          parts.push_back(e["id"].get<std::string>());
      }
      row[key] = joined(parts);
    } else {
      row[key] = value;
    }
  }
  return row;
}

}  // namespace

ordered_json to_json(const Summary& s, std::string_view source) {
  ordered_json j;
  j["source"] = source;
  j["index"] = s.index;
  j["subject"] = s.subject;
  j["issuer"] = s.issuer;
  j["subject_oneline"] = s.subject_oneline;
  j["issuer_oneline"] = s.issuer_oneline;
  j["serial_hex"] = s.serial_hex;
  j["serial_dec"] = s.serial_dec;
  j["md5"] = s.md5;
  j["sha1"] = s.sha1;
  j["sha256"] = s.sha256;
  j["spki_sha256"] = s.spki_sha256;
  j["not_before"] = s.not_before;
  j["not_after"] = s.not_after;
  j["expired"] = s.expired;
  j["days_left"] = s.days_left;
  j["validity_days"] = s.validity_days;
  j["version"] = s.version;
  j["key_alg"] = s.key_alg;
  j["key_bits"] = s.key_bits;
  j["curve"] = s.curve;
  j["sig_alg"] = s.sig_alg;
  j["sans"] = strings(s.sans);
  j["sans_unicode"] = strings(s.sans_unicode);
  j["key_usage"] = strings(s.key_usage);
  j["ext_key_usage"] = strings(s.ext_key_usage);
  j["basic_constraints"] = s.basic_constraints;
  j["aki"] = s.aki;
  j["ski"] = s.ski;
  j["aia"] = strings(s.aia);
  j["crl"] = strings(s.crl);
  j["self_issued"] = s.self_issued;
  j["self_signed"] = s.self_signed;
  j["lints"] = ordered_json::array();
  for (const Lint& l : s.lints) j["lints"].push_back({{"id", l.id}, {"message", l.message}});
  j["flags"] = ordered_json::array();
  for (const Flag& f : s.flags)
    j["flags"].push_back({{"id", f.id},
                          {"framework", f.framework},
                          {"confidence", f.confidence},
                          {"reason", f.reason},
                          {"source", f.source}});
  if (!s.error.empty()) j["error"] = s.error;
  return j;
}

ordered_json splunk_names(const ordered_json& record) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"subject_oneline", "ssl_subject"},
      {"issuer_oneline", "ssl_issuer"},
      {"serial_dec", "ssl_serial"},
      {"md5", "ssl_hash"}};
  ordered_json out = ordered_json::object();
  for (const auto& [key, value] : record.items()) {
    std::string name = key;
    for (const auto& [from, to] : kNames)
      if (key == from) name = to;
    out[name] = value;
  }
  return out;
}

namespace {

// A Splunk search value: quoted when it holds a space, a quote, '=' or a
// parenthesis, with " and \ escaped.
std::string splunk_value(std::string_view v) {
  const bool plain = !v.empty() && v.find_first_of(" \t\"\\=()|,") == std::string_view::npos;
  if (plain) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

std::string to_splunk_line(const Summary& s, std::string_view source) {
  std::string line(source);
  line += ": ssl_subject=" + splunk_value(s.subject_oneline);
  line += " ssl_issuer=" + splunk_value(s.issuer_oneline);
  line += " ssl_serial=" + splunk_value(s.serial_dec);
  line += " ssl_hash=" + splunk_value(s.md5);
  return line;
}

std::string to_text_line(const Summary& s, std::string_view source) {
  std::string line(source);
  line += ": subject=" + s.subject_oneline + " | issuer=" + s.issuer_oneline;
  line += " | serial=" + s.serial_hex + " (" + s.serial_dec + ")";
  line += " | sha1=" + s.sha1;
  line += " | " + s.not_before + " .. " + s.not_after;
  if (s.expired) line += " (expired)";
  if (s.self_signed)
    line += " | self-signed";
  else if (s.self_issued)
    line += " | self-issued";
  for (const Flag& f : s.flags) {
    char conf[16];
    std::snprintf(conf, sizeof conf, "%.2f", f.confidence);
    line += " | FLAG " + f.id + " (" + conf + "): " + f.reason;
  }
  for (const Lint& l : s.lints) line += " | lint " + l.id;
  if (!s.error.empty()) line += " | error: " + s.error;
  return line;
}

namespace {

// Summarizes, flags, filters and writes `certs`; counts the input as ok when
// one was written. Returns false when output stopped (closed pipe).
bool emit(const std::vector<Certificate>& certs, std::string_view name_base,
          const CertsumOptions& o, io::RecordWriter& writer, io::Output& out,
          io::Diagnostics& diag) {
  bool any = false;
  for (const Certificate& c : certs) {
    Summary s = summarize(c, o.now);
    if (o.rules != nullptr) add_flags(s, *o.rules);
    if (o.flagged_only && s.flags.empty()) continue;
    if (!o.match.empty() && std::none_of(o.match.begin(), o.match.end(),
                                         [&](const std::string& m) { return matches(s, m); }))
      continue;
    any = true;
    const std::string name = source_name(name_base, c.index(), certs.size());
    if (o.format == io::OutputFormat::kText) {
      const std::string line = o.splunk ? to_splunk_line(s, name) : to_text_line(s, name);
      out.write(out.is_tty() ? io::escape_for_terminal(line) : line);
      out.end_record();
    } else {
      ordered_json record = to_json(s, name);
      if (o.splunk) record = splunk_names(record);
      if (o.format == io::OutputFormat::kJsonl)
        writer.write(record);
      else
        writer.write(flat(record));
    }
    if (out.broken_pipe()) return false;
  }
  if (any) diag.count_ok();
  return true;
}

}  // namespace

bool certsum_inputs(const std::vector<std::string>& paths, const CertsumOptions& o, io::Output& out,
                    io::Diagnostics& diag) {
  io::RecordWriter writer(
      out, o.format == io::OutputFormat::kText ? io::OutputFormat::kJsonl : o.format);
  std::vector<std::string> inputs =
      io::expand_paths(paths, o.recursive, diag, "use -r to read the certificates in it");
  if (paths.empty()) inputs.push_back("-");
  for (const std::string& path : inputs) {
    const Source src{path == "-" ? kStdinName : std::string_view(path), 0, 0};
    diag.count_read();
    auto file = io::InputFile::open(path);
    if (!file) {
      diag.io_error(file.error().message);
      continue;
    }
    auto bytes = io::read_all(file->fd(), o.max_input);
    if (!bytes) {
      diag.record_error(src, bytes.error().message);
      continue;
    }
    auto certs = load_certificates(*bytes, o.load);
    if (!certs) {
      diag.record_error(src, certs.error().message);
      continue;
    }
    if (!emit(*certs, path, o, writer, out, diag)) return false;
  }
  return true;
}

}  // namespace ioc::x509

namespace ioc::x509 {

bool certsum_servers(const std::vector<FetchOptions>& servers, const CertsumOptions& o,
                     io::Output& out, io::Diagnostics& diag) {
  io::RecordWriter writer(
      out, o.format == io::OutputFormat::kText ? io::OutputFormat::kJsonl : o.format);
  for (const FetchOptions& server : servers) {
    diag.count_read();
    const std::string name =
        (server.endpoint.host.find(':') != std::string::npos ? "[" + server.endpoint.host + "]"
                                                             : server.endpoint.host) +
        ":" + server.endpoint.port;
    auto chain = fetch_chain(server);
    if (!chain) {
      diag.io_error(name + ": " + chain.error().message);
      continue;
    }
    std::vector<Certificate> certs;
    for (std::size_t i = 0; i < chain->certificates.size(); ++i)
      certs.emplace_back(std::move(chain->certificates[i]), i);
    if (!emit(certs, name, o, writer, out, diag)) return false;
  }
  return true;
}

}  // namespace ioc::x509
