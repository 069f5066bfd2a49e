// Attack frameworks other than Empire, from the text of decoded layers and the
// binary artifacts they carry: markers in the scripts, then connection fields
// from the shellcode (x86/x64 stagers) or the .NET assembly (Covenant).
#include "ioc/stager/frameworks.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ioc/codec/base64.hpp"
#include "ioc/codec/inflate.hpp"
#include "ioc/core/limits.hpp"

namespace ioc::stager {
namespace {

constexpr std::size_t kMaxInputs = 64;               // scripts and binaries looked at
constexpr std::size_t kMaxBlobsPerScript = 32;       // FromBase64String literals per script
constexpr std::size_t kMaxDecodedTotal = 64 * kMiB;  // all decoded and inflated bytes together
constexpr std::size_t kMaxInflate = 16 * kMiB;
constexpr std::size_t kMaxShellcodeScan = 4 * kMiB;
constexpr std::size_t kMaxFields = 32;  // entries per field list
constexpr int kMaxLayers = 3;           // gzip-inside-script nesting followed here

std::uint8_t byte_at(std::string_view s, std::size_t i) {
  return static_cast<std::uint8_t>(s[i]);
}

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower_ascii);
  return out;
}

bool has(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

bool is_printable(std::uint8_t c) {
  return c >= 0x20 && c < 0x7f;
}

bool is_base64_body(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/' || c == '=' || c == '-' || c == '_';
}

bool looks_like_text(std::string_view bytes) {
  const std::size_t n = std::min<std::size_t>(bytes.size(), 4096);
  if (n == 0) return false;
  std::size_t ok = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = byte_at(bytes, i);
    ok += is_printable(c) || c == '\t' || c == '\r' || c == '\n';
  }
  return ok * 10 >= n * 9;
}

void add_unique(std::vector<std::string>& list, std::string value) {
  if (value.empty() || list.size() >= kMaxFields) return;
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

void merge(FrameworkMatch& into, const FrameworkMatch& from) {
  for (const auto& v : from.urls) add_unique(into.urls, v);
  for (const auto& v : from.hosts) add_unique(into.hosts, v);
  for (const auto& v : from.ports) add_unique(into.ports, v);
  for (const auto& v : from.user_agents) add_unique(into.user_agents, v);
  for (const auto& v : from.evidence) add_unique(into.evidence, v);
}

bool is_ipv4(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t j = i;
    int value = 0;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9' && j - i < 3)
      value = value * 10 + (s[j++] - '0');
    if (j == i || value > 255) return false;
    ++parts;
    if (j == s.size()) return parts == 4;
    if (s[j] != '.') return false;
    i = j + 1;
  }
  return false;
}

/// A DNS name with at least two labels and an alphabetic top-level label, or a dotted IPv4.
bool is_host(std::string_view s) {
  if (s.size() < 4 || s.size() > 253) return false;
  if (is_ipv4(s)) return true;
  std::size_t label = 0;
  int labels = 0;
  for (char c : s) {
    if (c == '.') {
      if (label == 0) return false;
      ++labels;
      label = 0;
      continue;
    }
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || ++label > 63) return false;
  }
  if (label < 2 || labels < 1) return false;
  const std::string_view tld = s.substr(s.size() - label);
  if (!std::all_of(tld.begin(), tld.end(),
                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); })) {
    return false;
  }
  const std::string lower = to_lower(tld);
  return lower != "dll" && lower != "exe" && lower != "sys" && lower != "drv";
}

bool is_uri_path(std::string_view s) {
  if (s.size() < 2 || s[0] != '/') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return is_printable(static_cast<std::uint8_t>(c)) && c != ' ' && c != '"' && c != '<' &&
           c != '>' && c != '\\';
  });
}

/// Host and port (decimal; the scheme's default when absent) of a URL.
void add_url_fields(FrameworkMatch& m, std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return;
  const std::string scheme = to_lower(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos)
    rest.remove_prefix(at + 1);
  std::string_view host = rest;
  std::string_view port;
  if (!rest.empty() && rest[0] == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) return;
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size() && rest[close + 1] == ':') port = rest.substr(close + 2);
  } else if (const std::size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty()) return;
  add_unique(m.urls, std::string(url));
  add_unique(m.hosts, std::string(host));
  if (port.empty()) {
    if (scheme == "http") port = "80";
    if (scheme == "https") port = "443";
  }
  if (!port.empty() && port.size() <= 5 &&
      std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      std::stoul(std::string(port)) <= 65535) {
    add_unique(m.ports, std::string(port));
  }
}

/// Printable ASCII runs of at least `min` characters, with whether a NUL ends them.
struct Run {
  std::string_view text;
  bool nul_terminated = false;
};

std::vector<Run> ascii_runs(std::string_view bytes, std::size_t min) {
  std::vector<Run> out;
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (!is_printable(byte_at(bytes, i))) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < bytes.size() && is_printable(byte_at(bytes, j))) ++j;
    if (j - i >= min) out.push_back({bytes.substr(i, j - i), j < bytes.size() && bytes[j] == '\0'});
    i = j;
  }
  return out;
}

/// UTF-16LE strings of printable ASCII characters (at both byte alignments),
/// as in a .NET assembly's #US heap.
std::vector<std::string> utf16_strings(std::string_view bytes, std::size_t min) {
  std::vector<std::string> out;
  for (std::size_t align = 0; align < 2; ++align) {
    std::string cur;
    for (std::size_t i = align; i + 1 < bytes.size(); i += 2) {
      const auto lo = byte_at(bytes, i);
      if (bytes[i + 1] == '\0' && is_printable(lo)) {
        cur += static_cast<char>(lo);
        continue;
      }
      if (cur.size() >= min) out.push_back(std::move(cur));
      cur.clear();
    }
    if (cur.size() >= min) out.push_back(std::move(cur));
  }
  return out;
}

std::optional<std::uint32_t> le32(std::string_view s, std::size_t i) {
  if (i + 4 > s.size()) return std::nullopt;
  return static_cast<std::uint32_t>(byte_at(s, i)) |
         (static_cast<std::uint32_t>(byte_at(s, i + 1)) << 8) |
         (static_cast<std::uint32_t>(byte_at(s, i + 2)) << 16) |
         (static_cast<std::uint32_t>(byte_at(s, i + 3)) << 24);
}

std::string ipv4_text(std::string_view s, std::size_t i) {
  return std::to_string(byte_at(s, i)) + "." + std::to_string(byte_at(s, i + 1)) + "." +
         std::to_string(byte_at(s, i + 2)) + "." + std::to_string(byte_at(s, i + 3));
}

/// The port an HTTP stager passes to InternetConnectA (ROR13 hash 0xC69F8957):
/// the last `push imm32` (x86) or `mov r8d, imm32` (x64) with a port-sized value
/// shortly before the call's hash.
std::optional<std::uint32_t> http_port(std::string_view sc) {
  static constexpr std::string_view kHashX86("\x68\x57\x89\x9f\xc6", 5);
  static constexpr std::string_view kHashX64("\x41\xba\x57\x89\x9f\xc6", 6);
  for (std::string_view hash : {kHashX86, kHashX64}) {
    const std::size_t at = sc.find(hash);
    if (at == std::string_view::npos) continue;
    const std::size_t from = at > 40 ? at - 40 : 0;
    std::optional<std::uint32_t> port;
    for (std::size_t i = from; i < at; ++i) {
      std::optional<std::uint32_t> v;
      if (byte_at(sc, i) == 0x68) v = le32(sc, i + 1);
      if (byte_at(sc, i) == 0x41 && i + 1 < sc.size() && byte_at(sc, i + 1) == 0xb8)
        v = le32(sc, i + 2);
      if (byte_at(sc, i) == 0x49 && i + 2 < sc.size() && byte_at(sc, i + 1) == 0xc7 &&
          byte_at(sc, i + 2) == 0xc0) {
        v = le32(sc, i + 3);
      }
      if (v && *v > 0 && *v <= 0xffff) port = v;
    }
    if (port) return port;
  }
  return std::nullopt;
}

/// WinINet flags pushed with INTERNET_FLAG_SECURE (0x00800000) and the high
/// INTERNET_FLAG_RELOAD | NO_CACHE_WRITE bits (0x84......): an HTTPS stager.
bool https_flags(std::string_view sc) {
  for (std::size_t i = 0; i + 5 <= sc.size(); ++i) {
    if (byte_at(sc, i) != 0x68) continue;
    const auto v = le32(sc, i + 1);
    if (v && (*v & 0xff000000u) == 0x84000000u && (*v & 0x00800000u)) return true;
  }
  return false;
}

std::string trim_view(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

/// A FromBase64String argument: the base64 text after "frombase64string(" at
/// `pos` of `text` (quotes, parentheses and doubled quotes skipped).
std::string_view base64_argument(std::string_view text, std::size_t pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '(' || text[pos] == '\'' ||
                               text[pos] == '"' || text[pos] == '\t')) {
    ++pos;
  }
  std::size_t end = pos;
  while (end < text.size() && is_base64_body(text[end])) ++end;
  return text.substr(pos, end - pos);
}

/// The first quoted URL argument after `pos`.
std::string_view quoted_url(std::string_view text, std::size_t pos) {
  while (pos < text.size() &&
         (text[pos] == ' ' || text[pos] == '(' || text[pos] == '\'' || text[pos] == '"')) {
    ++pos;
  }
  std::size_t end = pos;
  while (end < text.size() && is_printable(byte_at(text, end)) && text[end] != '\'' &&
         text[end] != '"' && text[end] != ' ' && text[end] != ')') {
    ++end;
  }
  const std::string_view url = text.substr(pos, end - pos);
  return url.find("://") != std::string_view::npos ? url : std::string_view();
}

std::optional<int> xor_key(std::string_view lower) {
  std::size_t p = lower.find("-bxor");
  for (int seen = 0; p != std::string_view::npos && seen < 64; ++seen) {
    std::size_t i = p + 5;
    while (i < lower.size() && (lower[i] == ' ' || lower[i] == '\t')) ++i;
    int value = -1;
    if (lower.substr(i, 2) == "0x") {
      std::size_t j = i + 2;
      int v = 0;
      while (j < lower.size() && j - i < 4 && std::isxdigit(static_cast<unsigned char>(lower[j]))) {
        const char c = lower[j++];
        v = v * 16 + (c <= '9' ? c - '0' : c - 'a' + 10);
      }
      if (j > i + 2) value = v;
    } else {
      std::size_t j = i;
      int v = 0;
      while (j < lower.size() && j - i < 3 && lower[j] >= '0' && lower[j] <= '9') {
        v = v * 10 + (lower[j++] - '0');
      }
      if (j > i) value = v;
    }
    if (value >= 0 && value <= 255) return value;
    p = lower.find("-bxor", p + 5);
  }
  return std::nullopt;
}

/// Everything gathered from the inputs.
struct Gathered {
  std::vector<std::string> scripts;       // given and inflated from gzip, in order
  std::vector<std::string> lower;         // lower case of each
  std::vector<std::string> script_blobs;  // decoded FromBase64String bytes that are not text
  std::vector<std::string> pe_images;     // raw-inflated MZ images (DeflateStream)
  std::size_t decoded_total = 0;
};

void gather_script(Gathered& g, std::string script, int layer) {
  if (g.scripts.size() >= kMaxInputs * 2) return;
  std::string lower = to_lower(script);
  const bool deflate = has(lower, "deflatestream");
  std::vector<std::string> inner;
  std::size_t p = lower.find("frombase64string(");
  for (std::size_t blobs = 0; p != std::string::npos && blobs < kMaxBlobsPerScript; ++blobs) {
    const std::string_view arg = base64_argument(script, p + 17);
    p = lower.find("frombase64string(", p + 17);
    if (arg.size() < 16 || g.decoded_total >= kMaxDecodedTotal) continue;
    auto bytes = codec::decode_base64(arg, {.max_output = kMaxDecodedTotal - g.decoded_total});
    if (!bytes || bytes->empty()) continue;
    g.decoded_total += bytes->size();
    const codec::InflateOptions opt{.max_output = kMaxInflate};
    if (byte_at(*bytes, 0) == 0x1f && bytes->size() > 1 && byte_at(*bytes, 1) == 0x8b) {
      auto text = codec::inflate(*bytes, codec::Container::kGzip, opt);
      if (text && looks_like_text(*text)) {
        g.decoded_total += text->size();
        inner.push_back(std::move(*text));
        continue;
      }
    }
    if (deflate) {
      auto image = codec::inflate(*bytes, codec::Container::kRaw, opt);
      if (image && image->size() >= 2 && image->compare(0, 2, "MZ") == 0) {
        g.decoded_total += image->size();
        g.pe_images.push_back(std::move(*image));
        continue;
      }
    }
    if (!looks_like_text(*bytes)) g.script_blobs.push_back(std::move(*bytes));
  }
  g.scripts.push_back(std::move(script));
  g.lower.push_back(std::move(lower));
  if (layer + 1 >= kMaxLayers) return;
  for (auto& s : inner) gather_script(g, std::move(s), layer + 1);
}

bool any_script(const Gathered& g, std::string_view needle) {
  return std::any_of(g.lower.begin(), g.lower.end(),
                     [&](const std::string& l) { return has(l, needle); });
}

int count_markers(const Gathered& g, std::initializer_list<std::string_view> needles) {
  int n = 0;
  for (std::string_view needle : needles) n += any_script(g, needle);
  return n;
}

/// URLs of WebClient download cradles: .DownloadString('URL') / .DownloadFile('URL', ...).
std::vector<std::string> cradle_urls(const Gathered& g) {
  std::vector<std::string> out;
  for (std::size_t k = 0; k < g.scripts.size(); ++k) {
    for (std::string_view call : {"downloadstring(", "downloadfile(", "downloaddata("}) {
      std::size_t p = g.lower[k].find(call);
      for (int seen = 0; p != std::string::npos && seen < 64; ++seen) {
        const std::string_view url = quoted_url(g.scripts[k], p + call.size());
        if (!url.empty()) add_unique(out, std::string(url));
        p = g.lower[k].find(call, p + call.size());
      }
    }
  }
  return out;
}

/// Covenant's grunt stager: the C2 URL and the User-Agent (stored base64) among
/// the assembly's UTF-16 strings.
FrameworkMatch covenant_fields(std::string_view image) {
  FrameworkMatch m;
  for (const std::string& s : utf16_strings(image, 8)) {
    for (std::string_view scheme : {"http://", "https://"}) {
      const std::size_t at = s.find(scheme);
      if (at == std::string::npos) continue;
      std::size_t end = at;
      while (end < s.size() && s[end] != ' ' && s[end] != ',' && s[end] != '"') ++end;
      add_url_fields(m, std::string_view(s).substr(at, end - at));
    }
    if (s.size() % 4 == 0 && s.size() >= 16) {
      auto decoded = codec::decode_base64(s, {.strict = true});
      if (decoded && decoded->compare(0, 8, "Mozilla/") == 0 &&
          std::all_of(decoded->begin(), decoded->end(),
                      [](char c) { return is_printable(static_cast<std::uint8_t>(c)); })) {
        add_unique(m.user_agents, *decoded);
      }
    }
  }
  return m;
}

bool is_pe(std::string_view b) {
  return b.size() >= 2 && b.compare(0, 2, "MZ") == 0;
}

bool covenant_image(std::string_view image) {
  return is_pe(image) && (has(image, "GruntStager") || has(image, "CovenantCertHash") ||
                          has(image, "ExecuteStager"));
}

std::string xor_all(std::string_view bytes, int key) {
  std::string out(bytes);
  for (char& c : out) c = static_cast<char>(static_cast<std::uint8_t>(c) ^ key);
  return out;
}

}  // namespace

FrameworkMatch shellcode_fields(std::string_view shellcode) {
  FrameworkMatch m;
  const std::string_view sc = shellcode.substr(0, std::min(shellcode.size(), kMaxShellcodeScan));
  // x86 reverse_tcp: push <ip>; push 0x5c110002 (AF_INET, port big-endian).
  for (std::size_t i = 0; i + 10 <= sc.size(); ++i) {
    if (byte_at(sc, i) == 0x68 && byte_at(sc, i + 5) == 0x68 && byte_at(sc, i + 6) == 0x02 &&
        byte_at(sc, i + 7) == 0x00) {
      const unsigned port = (byte_at(sc, i + 8) << 8) | byte_at(sc, i + 9);
      if (port == 0 || le32(sc, i + 1).value_or(0) == 0) continue;
      add_unique(m.hosts, ipv4_text(sc, i + 1));
      add_unique(m.ports, std::to_string(port));
      add_unique(m.evidence, "x86 reverse_tcp sockaddr (push ip; push 0x0002 + port)");
      break;
    }
  }
  // x64 reverse_tcp: mov r12, <sockaddr_in>: 49 BC 02 00 <port BE> <ip>.
  for (std::size_t i = 0; i + 10 <= sc.size(); ++i) {
    if (byte_at(sc, i) == 0x49 && byte_at(sc, i + 1) == 0xbc && byte_at(sc, i + 2) == 0x02 &&
        byte_at(sc, i + 3) == 0x00) {
      const unsigned port = (byte_at(sc, i + 4) << 8) | byte_at(sc, i + 5);
      if (port == 0 || le32(sc, i + 6).value_or(0) == 0) continue;
      add_unique(m.hosts, ipv4_text(sc, i + 6));
      add_unique(m.ports, std::to_string(port));
      add_unique(m.evidence, "x64 reverse_tcp sockaddr (mov r12, 0x0002 + port + ip)");
      break;
    }
  }
  // reverse_http(s) and Cobalt Strike stagers: strings.
  std::string host;
  std::string uri;
  for (const Run& r : ascii_runs(sc, 4)) {
    if (r.text.substr(0, 12) == "User-Agent: ") {
      add_unique(m.user_agents, trim_view(r.text.substr(12)));
      continue;
    }
    if (!r.nul_terminated) continue;
    if (uri.empty() && is_uri_path(r.text)) uri.assign(r.text);
    if (host.empty() && is_host(r.text)) host.assign(r.text);
  }
  if (!host.empty()) {
    const auto port = http_port(sc);
    const bool https = https_flags(sc) || (port && *port == 443);
    std::string url = (https ? "https://" : "http://") + host;
    if (port) url += ":" + std::to_string(*port);
    url += uri.empty() ? "/" : uri;
    add_unique(m.urls, url);
    add_unique(m.hosts, host);
    if (port) add_unique(m.ports, std::to_string(*port));
    add_unique(m.evidence, "reverse_http(s) host string");
  }
  return m;
}

std::optional<FrameworkMatch> detect_framework(std::span<const std::string_view> scripts,
                                               std::span<const std::string_view> binaries) {
  Gathered g;
  for (std::size_t i = 0; i < scripts.size() && i < kMaxInputs; ++i) {
    gather_script(g, std::string(scripts[i]), 0);
  }
  std::vector<std::string_view> bins;
  for (std::size_t i = 0; i < binaries.size() && i < kMaxInputs; ++i) bins.push_back(binaries[i]);

  // Cobalt Strike: a Byte[] from base64 decoded by a `-bxor N` loop.
  std::optional<int> key;
  for (const auto& l : g.lower) {
    if (has(l, "frombase64string(") && (key = xor_key(l))) break;
  }
  const int cs_names = count_markers(
      g, {"$var_code", "$var_va", "$var_buffer", "$var_runme", "func_get_proc_address",
          "func_get_delegate_type", "$doit = @'", "set-strictmode -version 2", "-runas32"});
  if (key && (cs_names > 0 || any_script(g, "[byte[]]"))) {
    FrameworkMatch m;
    m.name = "cobaltstrike";
    m.variant = "powershell";
    m.confidence = cs_names >= 2 ? 0.95 : 0.75;
    m.evidence.push_back("Byte[] from FromBase64String decoded with -bxor " + std::to_string(*key));
    if (cs_names > 0) m.evidence.push_back("Cobalt Strike template names ($var_code, func_get_*)");
    for (const auto& blob : g.script_blobs) merge(m, shellcode_fields(xor_all(blob, *key)));
    for (std::string_view b : bins) {
      if (is_pe(b)) continue;
      FrameworkMatch plain = shellcode_fields(b);
      if (plain.hosts.empty() && plain.urls.empty()) plain = shellcode_fields(xor_all(b, *key));
      merge(m, plain);
    }
    for (const auto& url : cradle_urls(g)) add_url_fields(m, url);
    return m;
  }

  // Covenant: DeflateStream + Assembly.Load(...).EntryPoint.Invoke, or its grunt stager image.
  const int cov_script = count_markers(g, {"deflatestream", "frombase64string(",
                                           "[reflection.assembly]::load(", "entrypoint.invoke"});
  bool cov_image = false;
  for (const auto& img : g.pe_images) cov_image = cov_image || covenant_image(img);
  for (std::string_view b : bins) cov_image = cov_image || covenant_image(b);
  if (cov_script == 4 || cov_image) {
    FrameworkMatch m;
    m.name = "covenant";
    m.variant = "launcher";
    m.confidence = (cov_script == 4 && cov_image) ? 0.95 : 0.7;
    if (cov_script == 4) {
      m.evidence.push_back("DeflateStream(FromBase64String) + Reflection.Assembly.Load EntryPoint");
    }
    if (cov_image) m.evidence.push_back("GruntStager .NET assembly");
    for (const auto& img : g.pe_images) merge(m, covenant_fields(img));
    for (std::string_view b : bins) {
      if (is_pe(b)) merge(m, covenant_fields(b));
    }
    return m;
  }

  // Metasploit psh / psh-net: shellcode mapped with VirtualAlloc and run through a delegate.
  const int psh_inner =
      count_markers(g, {"virtualalloc", "getdelegateforfunctionpointer", "reflecteddelegate",
                        "inmemorymodule", "mydelegatetype", "unsafenativemethods"});
  const bool psh_net = any_script(g, "add-type") && any_script(g, "dllimport") &&
                       any_script(g, "virtualalloc") && any_script(g, "createthread");
  bool psh_outer = false;
  for (const auto& l : g.lower) {
    psh_outer = psh_outer || (has(l, "[scriptblock]::create(") && has(l, "gzipstream") &&
                              has(l, "frombase64string(") && has(l, "readtoend()"));
  }
  const bool psh_cmd = any_script(g, "[intptr]::size -eq 4") &&
                       any_script(g, "syswow64\\windowspowershell") &&
                       any_script(g, "processstartinfo");
  if (psh_inner >= 3 || psh_net || psh_outer) {
    FrameworkMatch m;
    m.name = "metasploit";
    m.variant = (psh_net && psh_inner < 3) ? "psh-net" : "psh";
    if (psh_inner >= 3) {
      m.confidence = 0.9;
      m.evidence.push_back("VirtualAlloc + GetDelegateForFunctionPointer");
      if (any_script(g, "reflecteddelegate") || any_script(g, "mydelegatetype")) {
        m.evidence.push_back("delegate type builder (ReflectedDelegate / InMemoryModule)");
      }
    } else if (psh_net) {
      m.confidence = 0.8;
      m.evidence.push_back("Add-Type DllImport VirtualAlloc + CreateThread");
    } else {
      m.confidence = 0.5;
    }
    if (psh_outer) m.evidence.push_back("[scriptblock]::create over GzipStream(FromBase64String)");
    if (psh_cmd) {
      m.evidence.push_back("[IntPtr]::Size check relaunching SysWOW64 PowerShell");
      m.confidence = std::min(1.0, m.confidence + 0.05);
    }
    for (const auto& blob : g.script_blobs) merge(m, shellcode_fields(blob));
    for (std::string_view b : bins) {
      if (!is_pe(b)) merge(m, shellcode_fields(b));
    }
    return m;
  }

  // Metasploit web_delivery: a WebClient with the system proxy and default
  // credentials, then IEX of a downloaded string.
  const auto urls = cradle_urls(g);
  if (!urls.empty() && any_script(g, "net.webclient") && any_script(g, "getsystemwebproxy") &&
      any_script(g, "defaultcredentials") && any_script(g, "iex")) {
    FrameworkMatch m;
    m.name = "metasploit";
    m.variant = "web_delivery";
    m.confidence = 0.8;
    m.evidence.push_back(
        "WebClient with GetSystemWebProxy + DefaultCredentials, IEX DownloadString");
    if (any_script(g, "servercertificatevalidationcallback")) {
      m.evidence.push_back("certificate validation disabled");
    }
    for (const auto& url : urls) add_url_fields(m, url);
    return m;
  }

  // A download cradle next to Cobalt Strike template names.
  if (!urls.empty() && cs_names > 0) {
    FrameworkMatch m;
    m.name = "cobaltstrike";
    m.variant = "download_cradle";
    m.confidence = 0.6;
    m.evidence.push_back("download cradle with Cobalt Strike template names");
    for (const auto& url : urls) add_url_fields(m, url);
    return m;
  }
  return std::nullopt;
}

}  // namespace ioc::stager
