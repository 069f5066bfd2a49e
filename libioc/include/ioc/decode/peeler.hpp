// ioc/decode/peeler.hpp — peel every encoding layer of a command line or script.
//
// The engine behind psdecode. It never executes anything: it reads the text,
// finds the places where PowerShell would decode something (an -EncodedCommand,
// a [Convert]::FromBase64String(...), a GzipStream, a registry value ...),
// decodes them with libioc's codecs within the limits, and repeats on every
// result that would run as code, up to max_depth layers:
//
//   ioc::decode::PeelOptions opt;
//   ioc::decode::Peeled p = ioc::decode::peel("powershell -noP -enc SQBFAFgA...", opt);
//   p.decoded;                 // the innermost script, original case
//   p.layers;                  // each decoding step, with its span in its parent
//   p.empire;                  // Empire launcher fields when it is one
//
// What the input may be (`input_kind`):
//  * "cmdline": a command line; cmd.exe, start, schtasks /TR, reg add, sc, wscript
//    wrappers are removed (cmdline/wrappers.hpp) and powershell.exe's arguments parsed;
//  * "base64": a bare base64 blob (a registry value), decoded as UTF-16LE when it has
//    the NUL pattern, else as UTF-8;
//  * "script": anything else: PowerShell text.
// Input that arrives JSON-escaped (a whole "..." JSON string) or XML-escaped
// (&quot; &amp; &lt; &gt; &apos; &#N;) is unescaped first (a warning says so).
//
// In each script layer, constant obfuscation is folded first (text/ps_fold.hpp);
// the folded text is where payloads are looked for, and is reported as
// `deobfuscated` when it differs. A payload whose result runs as code (IEX,
// `| iex`, &([scriptblock]::create(...)), .Invoke) becomes the next layer; one
// that does not is decoded as a value (layer with executed = false). Binary
// results (a PE after inflate, shellcode) become `artifacts`, never text. What
// cannot be finished is listed in `unresolved` with its reason.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/cmdline/powershell_args.hpp"
#include "ioc/cmdline/wrappers.hpp"
#include "ioc/core/limits.hpp"
#include "ioc/stager/empire.hpp"
#include "ioc/stager/frameworks.hpp"

namespace ioc::decode {

struct PeelOptions {
  Limits limits;
  bool fold = true;  ///< constant-fold PowerShell obfuscation in script layers
};

/// One decoding step.
struct Layer {
  std::size_t parent = 0;  ///< 0: the input; n: layers[n - 1]
  std::string op;          ///< "encoded_command", "command", "base64", "frombase64string",
                           ///< "gzip", "deflate", "fold", "unescape"
  std::string encoding;    ///< result encoding: "utf-16le", "utf-8", "ascii", "binary", ...
  std::size_t begin = 0;   ///< span of the encoded text in the parent: [begin, end)
                           ///< (for children of the input: offsets in the input,
                           ///< or in the unwrapped command when a warning says so)
  std::size_t end = 0;
  bool ok = true;        ///< false: the step failed (see error)
  bool executed = true;  ///< the result runs as code (false: a decoded value)
  std::string recipe;    ///< the recipe that reproduces this step from the span's text
  std::string text;      ///< the decoded text (empty for binary results)
  std::string error;     ///< why the step failed
};

struct Artifact {
  std::string kind;  ///< "pe", "shellcode" or "binary"
  std::size_t size = 0;
  std::string sha256;
  std::string prefix_hex;  ///< the first 16 bytes as hex
  std::size_t layer = 0;   ///< the layer whose result this is
  std::string bytes;       ///< the bytes themselves (not written out by default)
};

struct RegistryPayload {
  std::string key;       ///< "HKLM:\Software\Microsoft\Network"
  std::string value;     ///< "debug"
  std::string encoding;  ///< how the value's base64 decodes: "utf-16le" (Unicode), "utf-8", "ascii"
};

struct Framework {
  std::string name = "unknown";  ///< "empire", "metasploit", "cobaltstrike", "covenant", "unknown"
  std::string variant;
  double confidence = 0;
};

/// Indicators from the parsed fields, and URLs (with their hosts) in decoded text.
struct Ioc {
  std::string type;  ///< iocgrep's type names: "url", "ipv4", "domain", "uri", "user_agent",
                     ///< "session_key", "registry"
  std::string value;
};

struct Peeled {
  std::string input_kind;             ///< "cmdline", "base64" or "script"
  std::vector<std::string> wrappers;  ///< outermost first
  std::optional<cmdline::PowerShellArgs> powershell_args;
  std::vector<Layer> layers;
  std::string decoded;       ///< the innermost executed script, as decoded
  std::string deobfuscated;  ///< `decoded` after constant folding, if that changed it
  std::vector<Artifact> artifacts;
  std::vector<std::string> unresolved;  ///< "layer 2: custom decoder (-bxor loop): needs emulation"
  std::vector<std::string> warnings;
  Framework framework;
  std::optional<stager::EmpireConfig> empire;
  std::optional<stager::FrameworkMatch> other;  ///< fields of a non-Empire framework
  std::optional<RegistryPayload> registry_payload;
  std::optional<cmdline::Persistence> persistence;
  std::vector<Ioc> iocs;

  /// At least one layer decoded something (constant folding counts; unescaping
  /// the input and a plain -Command text do not).
  bool decoded_any() const noexcept;
  /// A layer failed and none succeeded.
  bool failed() const noexcept;
};

Peeled peel(std::string_view input, const PeelOptions& options = {});

}  // namespace ioc::decode
