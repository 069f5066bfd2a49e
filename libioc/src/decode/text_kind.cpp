#include "decode/text_kind.hpp"

#include <nlohmann/json.hpp>

#include <array>

#include "ioc/cmdline/powershell_args.hpp"
#include "ioc/cmdline/win_argv.hpp"
#include "ioc/cmdline/wrappers.hpp"
#include "ioc/codec/base64.hpp"
#include "ioc/codec/charset.hpp"
#include "ioc/codec/utf16.hpp"

namespace ioc::decode {

TextKind classify_bytes(std::string_view bytes) {
  // Executables first: a small PE is mostly zeros, which would pass for UTF-16LE.
  if (binary_kind(bytes, false) == "pe") return TextKind::kBinary;
  if (bytes.size() >= 2 && codec::looks_like_utf16le(bytes)) return TextKind::kUtf16Le;
  if (!codec::is_valid_utf8(bytes)) return TextKind::kBinary;
  std::size_t control = 0;
  for (unsigned char c : bytes)
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) ++control;
  // Text has almost no control characters; a few (form feeds, escapes) are tolerated.
  return control * 20 <= bytes.size() ? TextKind::kUtf8 : TextKind::kBinary;
}

bool is_ascii(std::string_view bytes) noexcept {
  for (unsigned char c : bytes)
    if (c >= 0x80) return false;
  return true;
}

std::string binary_kind(std::string_view b, bool loader_context) {
  if (b.size() >= 0x40 && b[0] == 'M' && b[1] == 'Z') {
    const auto u = [&](std::size_t i) {
      return static_cast<std::uint32_t>(static_cast<unsigned char>(b[i]));
    };
    const std::uint32_t lfanew = u(0x3C) | (u(0x3D) << 8) | (u(0x3E) << 16) | (u(0x3F) << 24);
    if (lfanew <= b.size() - 4 && b.substr(lfanew, 4) == std::string_view("PE\0\0", 4)) return "pe";
  }
  static constexpr std::array<std::string_view, 4> kPrologues = {
      std::string_view("\xFC\xE8", 2),              // cld; call (x86 Metasploit/CS stagers)
      std::string_view("\xFC\x48\x83\xE4\xF0", 5),  // cld; and rsp,-16 (x64)
      std::string_view("\xFC\xE9", 2),              // cld; jmp
      std::string_view("\x55\x8B\xEC", 3),          // push ebp; mov ebp,esp
  };
  for (std::string_view p : kPrologues)
    if (b.substr(0, p.size()) == p) return "shellcode";
  return loader_context ? "shellcode" : "binary";
}

std::size_t first_non_space(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  return i;
}

std::size_t last_non_space(std::string_view s) noexcept {
  std::size_t e = s.size();
  while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n'))
    --e;
  return e;
}

bool looks_like_base64_blob(std::string_view text) {
  const std::size_t b = first_non_space(text), e = last_non_space(text);
  if (e <= b || e - b < 16) return false;
  const std::string_view t = text.substr(b, e - b);
  std::size_t pad = 0;
  for (char c : t) {
    if (c == '=') {
      ++pad;
      continue;
    }
    if (pad > 0 || !codec::is_base64_char(c)) return false;
  }
  if (pad > 2) return false;
  // Hashes, hex and words are base64 characters too: require a useful result.
  auto bytes = codec::decode_base64(t.substr(0, std::min<std::size_t>(t.size(), 4096) / 4 * 4));
  if (!bytes || bytes->empty()) return false;
  if (classify_bytes(*bytes) != TextKind::kBinary) return true;
  const std::string_view d = *bytes;
  return d.substr(0, 2) == "\x1F\x8B" || d.substr(0, 2) == "MZ" ||
         (d.size() >= 2 && static_cast<unsigned char>(d[0]) == 0x78 &&
          ((static_cast<unsigned char>(d[0]) << 8) | static_cast<unsigned char>(d[1])) % 31 == 0);
}

bool is_command_line(std::string_view text) {
  const std::string_view t = text.substr(first_non_space(text));
  if (t.empty()) return false;
  if (t.size() >= 9) {
    std::string head(t.substr(0, 11));
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head.rfind("%comspec%", 0) == 0 || head.rfind("%%comspec%%", 0) == 0) return true;
  }
  // cmd.exe's ^ escapes may hide the program name: po^wer^shell.
  const std::string head =
      cmdline::remove_caret_escapes(t.substr(0, std::min<std::size_t>(t.size(), 1024)));
  const auto argv = cmdline::split_windows_command_line(head);
  if (argv.empty()) return false;
  const std::string& program = argv[0].value;
  const std::string base = cmdline::program_basename(program);
  static constexpr std::array<std::string_view, 20> kPrograms = {
      "powershell", "pwsh",      "cmd",   "schtasks", "wscript",  "cscript", "mshta",
      "reg",        "sc",        "start", "rundll32", "regsvr32", "wmic",    "msbuild",
      "certutil",   "bitsadmin", "ftp",   "whoami",   "net",      "msiexec"};
  for (std::string_view p : kPrograms)
    if (base == p) return true;
  // A path to an executable: C:\...\x.exe, \\host\share\x.exe, or x.exe followed by arguments.
  std::string lower(program);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view ext : {".exe", ".com", ".bat", ".cmd"})
    if (lower.size() > ext.size() && lower.compare(lower.size() - ext.size(), ext.size(), ext) == 0)
      return true;
  return false;
}

std::optional<std::string> json_string_value(std::string_view literal) {
  auto j = nlohmann::json::parse(literal.begin(), literal.end(), nullptr, false);
  if (j.is_discarded() || !j.is_string()) return std::nullopt;
  return j.get<std::string>();
}

}  // namespace ioc::decode
