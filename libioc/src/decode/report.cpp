#include "ioc/decode/report.hpp"

#include <sys/stat.h>

#include <cctype>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "ioc/codec/charset.hpp"
#include "ioc/io/parallel.hpp"
#include "ioc/recipe/parse.hpp"

namespace ioc::decode {
namespace {

using nlohmann::ordered_json;

// ANSI styling, and escaping of untrusted text when the output is a terminal.
struct Style {
  bool on;
  bool escape;
  std::string bold(std::string_view s) const { return wrap("1", s); }
  std::string red(std::string_view s) const { return wrap("1;31", s); }
  std::string green(std::string_view s) const { return wrap("32", s); }
  std::string yellow(std::string_view s) const { return wrap("33", s); }
  std::string wrap(const char* code, std::string_view s) const {
    if (!on) return std::string(s);
    return std::string("\x1b[") + code + "m" + std::string(s) + "\x1b[0m";
  }
  std::string safe(std::string_view s) const {
    return escape ? io::escape_for_terminal(s) : std::string(s);
  }
};

void field(std::string& out, const Style& st, std::string_view label, std::string_view value,
           bool hot = false) {
  if (value.empty()) return;
  std::string l(label);
  l.resize(std::max<std::size_t>(l.size(), 13), ' ');
  const std::string v = st.safe(value);
  out += "  " + st.bold(l) + (hot ? st.red(v) : v) + "\n";
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

std::string layer_line(const Peeled& p, std::size_t i) {
  const Layer& l = p.layers[i];
  std::string s = l.op;
  if (!l.encoding.empty() && l.encoding != "text") s += "  " + l.encoding;
  if (l.op == "fold") s += "  " + l.recipe;
  s += "  [" + std::to_string(l.begin) + ", " + std::to_string(l.end) + ")";
  if (l.parent != 0) s += " of layer " + std::to_string(l.parent);
  if (!l.executed) s += "  value";
  s += l.ok ? "  ok" : "  FAILED: " + l.error;
  return s;
}

}  // namespace

ordered_json to_json(const Peeled& p, std::string_view source, bool explain_layers) {
  // One writer defines the record: to_jsonl_line. This is its parsed form (for
  // --field, which adds the report to the input record).
  return ordered_json::parse(to_jsonl_line(p, source, explain_layers));
}

std::string explain(const Peeled& p) {
  std::string out;
  for (std::size_t i = 0; i < p.layers.size(); ++i) {
    const Layer& l = p.layers[i];
    if (l.recipe.empty() || l.op == "fold" || l.op == "unescape") continue;
    out += "layer " + std::to_string(i + 1) + ": " + l.op + " at [" + std::to_string(l.begin) +
           ", " + std::to_string(l.end) + ") of " +
           (l.parent == 0 ? std::string("the input") : "layer " + std::to_string(l.parent)) + "\n";
    auto recipe = recipe::parse_recipe(l.recipe);
    if (!recipe) {
      out += "  recipe:    " + l.recipe + "\n";
      continue;
    }
    out += "  recipe:    " + recipe::to_text(*recipe) + "\n";
    auto chef = recipe::to_cyberchef_compact(*recipe);
    out += "  cyberchef: " + (chef ? *chef : "(none: " + chef.error().message + ")") + "\n";
  }
  if (out.empty()) out = "no decoding layers\n";
  return out;
}

std::string pretty_script(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  int depth = 0;
  bool line_start = true;
  auto newline = [&] {
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out.push_back('\n');
    line_start = true;
  };
  auto indent = [&] {
    if (!line_start) return;
    out.append(static_cast<std::size_t>(std::max(depth, 0)) * 4, ' ');
    line_start = false;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (line_start && (c == ' ' || c == '\t')) continue;
    if (c == '\'' || c == '"') {  // copy a string literal whole
      indent();
      std::size_t j = i + 1;
      while (j < s.size()) {
        if (s[j] == c && j + 1 < s.size() && s[j + 1] == c)
          j += 2;
        else if (s[j] == c)
          break;
        else if (c == '"' && s[j] == '`')
          j += 2;
        else
          ++j;
      }
      j = std::min(j, s.size() - 1);
      out.append(s.substr(i, j - i + 1));
      i = j;
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (!line_start) newline();
      continue;
    }
    if (c == '{') {
      indent();
      // A short block without statements stays on its line: {$_}, {$true}, @{a=1}.
      std::size_t j = i + 1, nest = 1;
      bool simple = true;
      while (j < s.size() && nest > 0 && j - i < 80) {
        if (s[j] == '{')
          ++nest;
        else if (s[j] == '}')
          --nest;
        else if (s[j] == ';' || s[j] == '\n' || s[j] == '\'' || s[j] == '"')
          simple = false;
        if (nest > 0) ++j;
      }
      if (simple && nest == 0) {
        out.append(s.substr(i, j - i + 1));
        i = j;
        continue;
      }
      out.push_back('{');
      ++depth;
      newline();
      continue;
    }
    if (c == '}') {
      if (!line_start) newline();
      --depth;
      indent();
      out.push_back('}');
      // keep "};" "})" "}," and "}else{" "}catch{" ... together
      if (i + 1 < s.size() && (s[i + 1] == ';' || s[i + 1] == ')' || s[i + 1] == ',' ||
                               s[i + 1] == '|' || s[i + 1] == '.'))
        continue;
      std::size_t k = i + 1;
      while (k < s.size() && (s[k] == ' ' || s[k] == '\t')) ++k;
      std::string word;
      while (k < s.size() && std::isalpha(static_cast<unsigned char>(s[k])) && word.size() < 8)
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(s[k++])));
      if (word == "else" || word == "elseif" || word == "catch" || word == "finally" ||
          word == "until" || word == "while")
        continue;
      newline();
      continue;
    }
    if (c == ';') {
      out.push_back(';');
      newline();
      continue;
    }
    indent();
    out.push_back(c);
  }
  if (!line_start) newline();
  return out;
}

std::string to_text(const Peeled& p, std::string_view source, const TextOptions& o) {
  const Style st{o.color, o.escape};
  std::string out = st.bold("== " + st.safe(source)) + "  " + p.input_kind + "\n";
  if (!p.wrappers.empty()) field(out, st, "wrappers", join(p.wrappers, " > "));
  if (p.powershell_args) {
    const auto& a = *p.powershell_args;
    std::vector<std::string> parts{a.executable};
    if (a.has_encoded_command) parts.push_back("-EncodedCommand");
    if (a.has_command) parts.push_back("-Command");
    if (!a.file.empty()) parts.push_back("-File " + a.file);
    for (auto [name, on] : {std::pair{"noprofile", a.noprofile},
                            {"noninteractive", a.noninteractive},
                            {"nologo", a.nologo},
                            {"noexit", a.noexit},
                            {"sta", a.sta},
                            {"mta", a.mta}})
      if (on) parts.push_back(name);
    if (!a.window_style.empty()) parts.push_back("window_style=" + a.window_style);
    if (!a.execution_policy.empty()) parts.push_back("execution_policy=" + a.execution_policy);
    if (!a.version.empty()) parts.push_back("version=" + a.version);
    for (const auto& u : a.unknown) parts.push_back("unknown " + u);
    field(out, st, "powershell", join(parts, ", "));
  }
  if (p.persistence) {
    const auto& q = *p.persistence;
    std::string s = q.mechanism;
    if (!q.task_name.empty()) s += " task " + q.task_name;
    if (!q.schedule.empty()) s += " schedule " + q.schedule;
    if (!q.start_time.empty()) s += " at " + q.start_time;
    if (!q.run_as.empty()) s += " as " + q.run_as;
    if (!q.key.empty()) s += " key " + q.key;
    if (!q.value_name.empty()) s += " value " + q.value_name;
    field(out, st, "persistence", s, true);
  }
  for (std::size_t i = 0; i < p.layers.size(); ++i)
    field(out, st, "layer " + std::to_string(i + 1), layer_line(p, i));
  if (p.framework.name != "unknown") {
    char conf[16];
    std::snprintf(conf, sizeof conf, "%.2f", p.framework.confidence);
    field(out, st, "framework",
          p.framework.name + " " + p.framework.variant + " (confidence " + conf + ")", true);
  }
  if (p.empire) {
    const auto& e = *p.empire;
    field(out, st, "server",
          e.server + (e.server_encoding == "plain" ? "" : "  (" + e.server_encoding + ")"), true);
    field(out, st, "uris", join(e.uris, ", "), true);
    field(out, st, "user_agent", e.ua);
    field(out, st, "staging_key", e.staging_key, true);
    if (!e.session_cookie.empty()) {
      std::string c = e.cookie_name + "=" + e.session_cookie;
      if (e.cookie_decoded) {
        const auto& d = *e.cookie_decoded;
        c += d.verified ? st.green("  verified") : st.yellow("  NOT verified");
        c += " (session " + d.session_id + ", language " + std::to_string(d.language) + ", meta " +
             std::to_string(d.meta) + ")";
      }
      field(out, st, "cookie", c);
    }
    field(out, st, "bypasses", join(e.bypasses, ", "));
    if (e.tls_validation_disabled) field(out, st, "tls", "certificate validation disabled");
    field(out, st, "proxy",
          e.proxy.mode + (e.proxy.url.empty() ? "" : " " + e.proxy.url) +
              " (credentials: " + e.proxy.creds + ")");
    field(out, st, "headers", join(e.custom_headers, "; "));
  }
  if (p.other) {
    field(out, st, "urls", join(p.other->urls, ", "), true);
    field(out, st, "hosts", join(p.other->hosts, ", "), true);
    field(out, st, "ports", join(p.other->ports, ", "));
    field(out, st, "user_agents", join(p.other->user_agents, "; "));
    field(out, st, "evidence", join(p.other->evidence, "; "));
  }
  if (p.registry_payload) {
    const auto& r = *p.registry_payload;
    field(out, st, "registry", r.key + " value " + r.value + " (" + r.encoding + ")", true);
  }
  for (const Artifact& a : p.artifacts)
    field(out, st, "artifact",
          a.kind + " " + std::to_string(a.size) + " bytes sha256 " + a.sha256 + " prefix " +
              a.prefix_hex,
          true);
  for (const auto& u : p.unresolved) field(out, st, "unresolved", u);
  for (const auto& w : p.warnings) field(out, st, "warning", w);
  if (!p.iocs.empty()) {
    std::vector<std::string> items;
    for (const Ioc& i : p.iocs) items.push_back(i.type + " " + i.value);
    field(out, st, "iocs", join(items, ", "));
  }
  if (o.explain) {
    out += st.bold("  explain") + "\n";
    std::string e = explain(p);
    std::size_t start = 0;
    while (start < e.size()) {
      const std::size_t nl = e.find('\n', start);
      out += "    " + e.substr(start, nl - start) + "\n";
      start = nl == std::string::npos ? e.size() : nl + 1;
    }
  }
  if (!p.decoded.empty()) {
    const std::string& script = p.deobfuscated.empty() ? p.decoded : p.deobfuscated;
    out += st.bold(p.deobfuscated.empty() ? "  decoded" : "  decoded (deobfuscated)") + "\n";
    out += st.safe(o.pretty ? pretty_script(script) : script);
    if (out.back() != '\n') out += '\n';
  }
  return out;
}

namespace {

// One record's report, made on a worker thread and written in input order.
struct Rendered {
  std::string text;                    // text and jsonl: the bytes to write
  std::optional<ordered_json> record;  // csv and tsv: the record for the writer
  bool ok = false;
  std::string error;  // a record whose layers all failed
  std::vector<std::string> warnings;
};

std::string iocs_cell(const Peeled& p) {
  std::string iocs;
  for (const Ioc& i : p.iocs) iocs += (iocs.empty() ? "" : " ") + i.type + ":" + i.value;
  return iocs;
}

void save_artifacts(const Peeled& p, const std::string& dir, Rendered& r) {
  for (const Artifact& a : p.artifacts) {
    const std::string path = dir + "/" + a.sha256 + ".bin";
    std::ofstream f(path, std::ios::binary);
    f.write(a.bytes.data(), static_cast<std::streamsize>(a.bytes.size()));
    if (!f) r.warnings.push_back("cannot write artifact " + path);
  }
}

}  // namespace

bool peel_records(const io::InputOptions& input, const std::vector<std::string>& texts,
                  const RunOptions& o, io::Output& out, io::Diagnostics& diag) {
  const std::string output_key = !o.output_key.empty() ? o.output_key : input.field + "_decoded";
  io::RecordWriter writer(out, o.format, {}, "output", '\n');
  TextOptions text_options = o.text;
  text_options.escape = out.is_tty();
  const auto dump = [](const ordered_json& j) {
    return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace) + "\n";
  };

  // Runs on worker threads: only the record and read-only options.
  const auto render = [&](io::OwnedRecord& rec) {
    Rendered r;
    Peeled p = peel(rec.text, o.peel);
    r.ok = p.decoded_any();
    if (!r.ok && p.failed()) {
      for (const Layer& l : p.layers)
        if (!l.ok) r.error = "no layer decoded (" + l.op + ": " + l.error + ")";
    }
    if (!o.artifacts_dir.empty()) save_artifacts(p, o.artifacts_dir, r);
    const std::string src = rec.source().to_string();
    if (o.format == io::OutputFormat::kText) {
      r.text = to_text(p, src, text_options) + "\n";
      return r;
    }
    if (rec.fields) {
      ordered_json& fields = *rec.fields;
      if (o.format == io::OutputFormat::kJsonl) {
        ordered_json report = to_json(p, src, o.text.explain);
        report.erase("source");
        fields[output_key] = std::move(report);
        r.text = dump(fields);
      } else {
        fields[output_key] = p.deobfuscated.empty() ? p.decoded : p.deobfuscated;
        fields[output_key + "_framework"] = p.framework.name;
        fields[output_key + "_iocs"] = iocs_cell(p);
        r.record = std::move(fields);
      }
      return r;
    }
    if (o.format == io::OutputFormat::kJsonl) {
      r.text = to_jsonl_line(p, src, o.text.explain) + "\n";
    } else {
      ordered_json row = ordered_json::object();
      row["source"] = src;
      row["input_kind"] = p.input_kind;
      row["framework"] = p.framework.name;
      row["decoded"] = p.deobfuscated.empty() ? p.decoded : p.deobfuscated;
      row["iocs"] = iocs_cell(p);
      r.record = std::move(row);
    }
    return r;
  };

  std::function<void(io::OwnedRecord&, Rendered&)> work = [&](io::OwnedRecord& rec, Rendered& r) {
    r = render(rec);
  };

  // Runs on the calling thread, in input order.
  std::function<bool(io::OwnedRecord&, Rendered&)> emit = [&](io::OwnedRecord& rec, Rendered& r) {
    const Source source = rec.source();
    if (r.ok)
      diag.count_ok();
    else if (!r.error.empty())
      diag.record_error(source, r.error);
    for (const std::string& w : r.warnings) diag.warning(source, w);
    if (r.record)
      writer.write(*r.record);
    else
      out.write(r.text);
    if (rec.pause) out.flush();  // the input waits (a followed log): show what is done
    return !out.broken_pipe();
  };

  std::size_t n = 0;
  for (const std::string& t : texts) {
    io::OwnedRecord rec;
    rec.source_name = "(argument " + std::to_string(++n) + ")";
    rec.text = t;
    diag.count_read();
    Rendered r = render(rec);
    if (!emit(rec, r)) return false;
  }
  if (!texts.empty() && input.paths.empty()) return true;
  return io::parallel_records<Rendered>(input, diag, {.jobs = o.jobs}, work, emit);
}

}  // namespace ioc::decode
