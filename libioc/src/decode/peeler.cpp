// The layer peeler: input kind, wrappers, powershell arguments, then script
// layers found and decoded one inside the other, then framework parsing.
#include "ioc/decode/peeler.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "decode/iocs.hpp"
#include "decode/payloads.hpp"
#include "decode/text_kind.hpp"
#include "ioc/cmdline/win_argv.hpp"
#include "ioc/codec/base64.hpp"
#include "ioc/codec/charcodes.hpp"
#include "ioc/codec/charset.hpp"
#include "ioc/codec/digest.hpp"
#include "ioc/codec/hex.hpp"
#include "ioc/codec/inflate.hpp"
#include "ioc/codec/utf16.hpp"
#include "ioc/text/ps_fold.hpp"

namespace ioc::decode {

namespace {

// Steps that decode something (constant folding too; not unescaping the input
// or taking a -Command text as it is).
bool is_decoding(const std::string& op) {
  return op != "unescape" && op != "command";
}

}  // namespace

bool Peeled::decoded_any() const noexcept {
  return std::any_of(layers.begin(), layers.end(),
                     [](const Layer& l) { return l.ok && is_decoding(l.op); });
}

bool Peeled::failed() const noexcept {
  return !decoded_any() &&
         std::any_of(layers.begin(), layers.end(), [](const Layer& l) { return !l.ok; });
}

namespace {

constexpr std::size_t kMaxLayers = 64;

// ---- input unescaping ---------------------------------------------------------

// "&quot;" and friends, as XML exports of Sysmon events carry them.
bool has_xml_entities(std::string_view s) {
  for (std::string_view e : {"&quot;", "&amp;", "&lt;", "&gt;", "&apos;", "&#"})
    if (s.find(e) != std::string_view::npos) return true;
  return false;
}

std::string unescape_xml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    const std::size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out.push_back('&');
      continue;
    }
    const std::string_view name = s.substr(i + 1, semi - i - 1);
    std::string rep;
    if (name == "quot")
      rep = "\"";
    else if (name == "amp")
      rep = "&";
    else if (name == "lt")
      rep = "<";
    else if (name == "gt")
      rep = ">";
    else if (name == "apos")
      rep = "'";
    else if (name.size() > 1 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string digits(name.substr(hex ? 2 : 1));
      char* end = nullptr;
      const unsigned long cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
      if (!digits.empty() && end == digits.c_str() + digits.size() && cp > 0 && cp <= 0x10FFFF) {
        auto utf8 = codec::decode_charcodes(std::to_string(cp), {.base = 10});
        if (utf8) rep = *utf8;
      }
    }
    if (rep.empty()) {
      out.push_back('&');
      continue;
    }
    out += rep;
    i = semi;
  }
  return out;
}

// A whole JSON string literal ("...") pasted from a JSON export.
std::optional<std::string> unescape_json_string(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::nullopt;
  if (s.find('\\') == std::string_view::npos) return std::nullopt;
  return json_string_value(s);
}

// ---- the state of one peel ------------------------------------------------------

class Peeler {
 public:
  Peeler(Peeled& out, const PeelOptions& opt) : out_(out), opt_(opt) {}

  void run(std::string_view input) {
    std::string text(input);
    if (auto json = unescape_json_string(text)) {
      add_simple_layer("unescape", "json", 0, text.size(), *json);
      out_.warnings.push_back("input was a JSON string: unescaped");
      text = std::move(*json);
    } else if (has_xml_entities(text)) {
      std::string plain = unescape_xml(text);
      if (plain != text) {
        add_simple_layer("unescape", "xml", 0, text.size(), plain);
        out_.warnings.push_back("input had XML entities: unescaped");
        text = std::move(plain);
      }
    }
    const std::size_t input_layer = out_.layers.size();  // 0, or the unescape layer

    if (looks_like_base64_blob(text)) {
      out_.input_kind = "base64";
      const std::size_t begin = first_non_space(text);
      const std::size_t end = last_non_space(text);
      decode_blob(input_layer, text.substr(begin, end - begin), begin, "base64", true);
    } else if (is_command_line(text)) {
      out_.input_kind = "cmdline";
      command_line(input_layer, text);
    } else {
      out_.input_kind = "script";
      root_ = text;
      script(input_layer, text, 0);
    }
    finish();
  }

 private:
  // A layer that is not a decoding (unescape), recorded for the trail.
  void add_simple_layer(std::string op, std::string encoding, std::size_t begin, std::size_t end,
                        std::string text) {
    Layer l;
    l.op = std::move(op);
    l.encoding = std::move(encoding);
    l.begin = begin;
    l.end = end;
    l.text = std::move(text);
    out_.layers.push_back(std::move(l));
  }

  // The command-line path: wrappers, then powershell.exe's arguments.
  void command_line(std::size_t parent, const std::string& text) {
    cmdline::Unwrapped un = cmdline::unwrap_command_line(text, opt_.limits.max_depth);
    out_.wrappers = un.wrappers;
    out_.persistence = un.persistence;
    for (auto& w : un.warnings) out_.warnings.push_back("command line: " + w);
    std::string command = un.command;
    auto ps = cmdline::parse_powershell_command_line(command);
    if (!ps) {
      // Embedded somewhere else (mshta, a VBS string, rundll32 ...).
      if (auto at = cmdline::find_powershell_invocation(command)) {
        out_.wrappers.push_back("embedded");
        command = command.substr(*at);
        ps = cmdline::parse_powershell_command_line(command);
      }
    }
    if (!ps) {
      // Not PowerShell: still look for payloads in the text (e.g. mshta/javascript).
      script(parent, command, 0);
      return;
    }
    // Spans are reported in the command as unwrapped when wrappers changed it.
    // Spans are offsets in the input: the unwrapped command usually stands in it
    // verbatim; when unwrapping changed it (carets, \" escapes), they refer to it.
    std::size_t base = text.find(command);
    if (base == std::string::npos) {
      base = 0;
      out_.warnings.push_back("spans refer to the unwrapped command line: " +
                              command.substr(0, 80));
    }
    out_.powershell_args = *ps;
    if (ps->has_encoded_command) {
      // The argument as given may carry junk after the blob (a closing quote and
      // more script when the command line was embedded in another language).
      std::string_view blob = ps->encoded_command;
      const std::size_t end = codec::base64_run_length(blob);
      if (end < blob.size()) {
        out_.warnings.push_back("encoded_command: ignored '" + std::string(blob.substr(end, 40)) +
                                "' after the base64 text");
        blob = blob.substr(0, end);
      }
      decode_blob(parent, blob, base + ps->payload_begin, "encoded_command", true);
    } else if (ps->has_command) {
      Layer l;
      l.parent = parent;
      l.op = "command";
      l.encoding = "text";
      l.begin = base + ps->payload_begin;
      l.end = base + ps->payload_end;
      l.text = ps->command;
      l.recipe = "";
      out_.layers.push_back(l);
      const std::size_t index = out_.layers.size();
      executed_scripts_.push_back(index);
      script(index, ps->command, 1);
    } else if (!ps->file.empty()) {
      out_.unresolved.push_back("powershell runs the file '" + ps->file +
                                "': its content is not in the command line");
    }
  }

  // A base64 blob (an -EncodedCommand, a bare registry value): base64, then text.
  void decode_blob(std::size_t parent, std::string_view blob, std::size_t begin,
                   const std::string& op, bool executed) {
    Layer l;
    l.parent = parent;
    l.op = op;
    l.begin = begin;
    l.end = begin + blob.size();
    l.executed = executed;
    std::size_t skipped = 0;
    auto bytes =
        codec::decode_base64(blob, {.max_output = opt_.limits.max_output, .skipped = &skipped});
    if (!bytes || bytes->empty()) {
      l.ok = false;
      l.error = bytes ? "empty after base64 decoding" : "base64: " + bytes.error().describe();
      out_.layers.push_back(std::move(l));
      return;
    }
    if (skipped > 0)
      out_.warnings.push_back(op + ": skipped " + std::to_string(skipped) +
                              " characters that are not base64");
    add_decoded(std::move(l), std::move(*bytes), "from_base64", op == "encoded_command");
  }

  // Turns decoded bytes into a text layer (and recurses) or an artifact.
  // `utf16_expected`: PowerShell -EncodedCommand is always UTF-16LE.
  void add_decoded(Layer l, std::string bytes, const std::string& recipe_prefix,
                   bool utf16_expected) {
    TextKind kind = classify_bytes(bytes);
    if (utf16_expected && kind != TextKind::kUtf16Le && bytes.size() % 2 == 0 &&
        codec::looks_like_utf16le(bytes))
      kind = TextKind::kUtf16Le;
    if (kind == TextKind::kUtf16Le) {
      codec::Utf16Report rep;
      auto text = codec::decode_utf16(bytes, codec::Endian::kLittle, false, &rep);
      if (rep.odd_trailing_byte)
        out_.warnings.push_back("layer " + std::to_string(out_.layers.size() + 1) +
                                ": dropped a trailing odd byte (truncated input?)");
      l.encoding = "utf-16le";
      l.recipe = recipe_prefix + " | decode_text utf-16le";
      l.text = text ? std::move(*text) : std::string();
    } else if (kind == TextKind::kUtf8) {
      l.encoding = is_ascii(bytes) ? "ascii" : "utf-8";
      l.recipe = recipe_prefix;
      l.text = std::move(bytes);
    } else {
      l.encoding = "binary";
      l.recipe = recipe_prefix;
      l.executed = false;
      out_.layers.push_back(std::move(l));
      add_artifact(out_.layers.size(), std::move(bytes));
      return;
    }
    out_.layers.push_back(std::move(l));
    const std::size_t index = out_.layers.size();
    if (out_.layers.back().executed) {
      executed_scripts_.push_back(index);
      script(index, out_.layers.back().text, depth_of(index));
    }
  }

  std::size_t depth_of(std::size_t index) const {
    std::size_t d = 0;
    while (index != 0 && d <= kMaxLayers) {
      index = out_.layers[index - 1].parent;
      ++d;
    }
    return d;
  }

  void add_artifact(std::size_t layer, std::string bytes) {
    Artifact a;
    a.kind = binary_kind(bytes, shellcode_context_);
    a.size = bytes.size();
    a.sha256 = codec::sha256_hex(bytes);
    a.prefix_hex = codec::encode_hex(std::string_view(bytes).substr(0, 16));
    a.layer = layer;
    a.bytes = std::move(bytes);
    out_.artifacts.push_back(std::move(a));
  }

  // A PowerShell script layer: fold it, then look for payloads in it.
  // `text` is a copy: layers may be appended (and the vector reallocated) meanwhile.
  void script(std::size_t parent, std::string text, std::size_t depth) {
    if (depth > opt_.limits.max_depth) {
      out_.unresolved.push_back("layer " + std::to_string(parent) + ": deeper than --max-depth (" +
                                std::to_string(opt_.limits.max_depth) + ")");
      return;
    }
    std::string folded_storage;
    std::string_view work = text;
    if (opt_.fold) {
      text::FoldResult f =
          text::fold_powershell(text, {.max_rounds = 16, .max_output = opt_.limits.max_output});
      if (f.folds > 0 && f.script != text) {
        Layer l;
        l.parent = parent;
        l.op = "fold";
        l.encoding = "text";
        l.begin = 0;
        l.end = text.size();
        for (const auto& k : f.kinds) l.recipe += (l.recipe.empty() ? "" : ",") + k;
        l.text = f.script;
        out_.layers.push_back(std::move(l));
        folded_storage = std::move(f.script);
        work = folded_storage;
        folded_[parent] = out_.layers.size();
      }
      if (f.truncated) out_.warnings.push_back("constant folding stopped at --max-output");
    }
    const std::size_t search_parent = folded_.count(parent) ? folded_[parent] : parent;
    shellcode_context_ = mentions_shellcode_loader(work);

    for (const Payload& p : find_payloads(work)) {
      if (out_.layers.size() >= kMaxLayers) {
        out_.unresolved.push_back("more than " + std::to_string(kMaxLayers) + " layers: stopped");
        return;
      }
      switch (p.kind) {
        case PayloadKind::kRegistry:
          out_.registry_payload = RegistryPayload{p.registry_key, p.registry_value, p.encoding};
          out_.unresolved.push_back("layer " + std::to_string(search_parent) +
                                    ": the payload is in the registry value '" + p.registry_value +
                                    "' of " + p.registry_key +
                                    ": give that value's base64 as input to decode it");
          break;
        case PayloadKind::kEncodedCommand:
          decode_blob(search_parent, p.base64, p.begin, "encoded_command", true);
          break;
        case PayloadKind::kBase64: base64_payload(search_parent, p); break;
      }
    }
    if (has_custom_decoder(work))
      out_.unresolved.push_back("layer " + std::to_string(search_parent) +
                                ": custom decoder (-bxor loop): needs emulation");
  }

  // [Convert]::FromBase64String('...'), maybe under GetString or a compression stream.
  void base64_payload(std::size_t parent, const Payload& p) {
    Layer l;
    l.parent = parent;
    l.begin = p.begin;
    l.end = p.end;
    l.executed = p.executed;
    auto bytes = codec::decode_base64(p.base64, {.max_output = opt_.limits.max_output});
    if (!bytes) {
      l.op = "frombase64string";
      l.ok = false;
      l.error = "base64: " + bytes.error().describe();
      out_.layers.push_back(std::move(l));
      return;
    }
    std::string recipe = "from_base64";
    if (p.compression != Compression::kNone) {
      const bool gzip = p.compression == Compression::kGzip;
      l.op = gzip ? "gzip" : "deflate";
      codec::InflateReport rep;
      auto inflated = codec::inflate(
          *bytes, gzip ? codec::Container::kGzip : codec::Container::kRaw,
          {.max_output = std::min(opt_.limits.max_inflate_total, opt_.limits.max_output),
           .max_ratio = opt_.limits.max_inflate_ratio,
           .allow_truncated = true,
           .report = &rep});
      if (!inflated) {
        l.ok = false;
        l.error = (gzip ? "gunzip: " : "raw inflate: ") + inflated.error().describe();
        out_.layers.push_back(std::move(l));
        return;
      }
      if (rep.truncated)
        out_.warnings.push_back("layer " + std::to_string(out_.layers.size() + 1) +
                                ": compressed data is truncated; partial output");
      recipe += gzip ? " | gunzip" : " | raw_inflate";
      bytes = std::move(inflated);
    } else {
      l.op = "frombase64string";
    }
    if (!p.encoding.empty() && p.encoding != "utf-16le") {
      // GetString with UTF8/ASCII/Default: text whatever it looks like.
      if (classify_bytes(*bytes) != TextKind::kBinary || p.encoding == "ascii") {
        l.encoding = p.encoding;
        l.recipe = recipe + (p.encoding == "utf-8" ? "" : " | decode_text " + p.encoding);
        auto text = codec::decode_text(*bytes, p.encoding == "ascii" ? "us-ascii" : p.encoding);
        l.text = text ? std::move(*text) : std::move(*bytes);
        out_.layers.push_back(std::move(l));
        const std::size_t index = out_.layers.size();
        if (p.executed) {
          executed_scripts_.push_back(index);
          script(index, out_.layers.back().text, depth_of(index));
        }
        return;
      }
    }
    add_decoded(std::move(l), std::move(*bytes), recipe, p.encoding == "utf-16le");
  }

  void finish() {
    // The innermost executed script is what the input finally runs.
    for (auto it = executed_scripts_.rbegin(); it != executed_scripts_.rend(); ++it) {
      const Layer& l = out_.layers[*it - 1];
      if (!l.ok || l.text.empty()) continue;
      out_.decoded = l.text;
      if (auto f = folded_.find(*it); f != folded_.end())
        out_.deobfuscated = out_.layers[f->second - 1].text;
      break;
    }
    identify_framework();
    // A framework parser that undid the XOR loop and read the stager has resolved it.
    if (out_.other && out_.other->name == "cobaltstrike" &&
        (!out_.other->hosts.empty() || !out_.other->urls.empty())) {
      std::erase_if(out_.unresolved, [](const std::string& u) {
        return u.find("custom decoder (-bxor") != std::string::npos;
      });
    }
    collect_iocs(out_);
  }

  void identify_framework() {
    // Empire: the innermost executed script that parses as a launcher.
    for (auto it = executed_scripts_.rbegin(); it != executed_scripts_.rend(); ++it) {
      const std::size_t index = folded_.count(*it) ? folded_[*it] : *it;
      const std::string& text = out_.layers[*it - 1].text;
      auto cfg = stager::parse_empire_stager(text);
      if (!cfg && index != *it) cfg = stager::parse_empire_stager(out_.layers[index - 1].text);
      if (cfg) {
        out_.framework = {"empire", cfg->variant, cfg->confidence};
        out_.empire = std::move(cfg);
        return;
      }
    }
    std::vector<std::string_view> scripts, binaries;
    // The input itself when it is a script (a -Command text is already a layer).
    if (out_.input_kind == "script") scripts.push_back(root_);
    for (const Layer& l : out_.layers)
      if (l.ok && !l.text.empty()) scripts.push_back(l.text);
    for (const Artifact& a : out_.artifacts) binaries.push_back(a.bytes);
    if (auto m = stager::detect_framework(scripts, binaries)) {
      out_.framework = {m->name, m->variant, m->confidence};
      out_.other = std::move(m);
    }
  }

  Peeled& out_;
  const PeelOptions& opt_;
  std::string root_;                           // the input, when it is a script
  std::vector<std::size_t> executed_scripts_;  // 1-based layer indexes, in order found
  std::map<std::size_t, std::size_t> folded_;  // script layer -> its fold layer
  bool shellcode_context_ = false;
};

}  // namespace

Peeled peel(std::string_view input, const PeelOptions& options) {
  Peeled out;
  Peeler(out, options).run(input);
  return out;
}

}  // namespace ioc::decode
