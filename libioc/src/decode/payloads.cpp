#include "decode/payloads.hpp"

#include <algorithm>
#include <cctype>

#include "ioc/cmdline/powershell_args.hpp"
#include "ioc/codec/base64.hpp"
#include "ioc/text/ascii.hpp"
#include "ioc/text/regex.hpp"

namespace ioc::decode {
namespace {

const text::Regex& regex(const char* pattern) {
  // Patterns are constants: a failure to compile is a programming error.
  thread_local std::vector<std::pair<const char*, text::Regex>> cache;
  for (auto& [p, re] : cache)
    if (p == pattern) return re;
  auto re = text::Regex::compile(pattern, {.case_insensitive = true});
  if (!re) std::abort();
  cache.emplace_back(pattern, std::move(*re));
  return cache.back().second;
}

// [Convert]::FromBase64String('...'), with '' or "" quoting when it sits inside
// another string (a ProcessStartInfo.Arguments, a -Command argument).
constexpr const char* kFromBase64 =
    R"(FromBase64String\s*\(\s*(?:'{1,2}|"{1,2}|\\")\s*([A-Za-z0-9+/=\s]{4,}?)\s*(?:'{1,2}|"{1,2}|\\")\s*\))";

constexpr const char* kRegistryValue =
    R"(FromBase64String\s*\(\s*\(\s*(?:gp|get-itemproperty|get-itempropertyvalue)\s+(?:-path\s+)?['"]?([^'"\s()]+)['"]?\s+(?:-name\s+)?['"]?([\w.-]+)['"]?\s*\)(?:\.([\w.-]+))?\s*\))";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::size_t offset_in(std::string_view whole, std::string_view part) {
  return static_cast<std::size_t>(part.data() - whole.data());
}

// The statement around [begin, end): from the previous ';' or newline to the next.
std::pair<std::size_t, std::size_t> statement(std::string_view s, std::size_t begin,
                                              std::size_t end) {
  constexpr std::size_t kReach = 2048;
  std::size_t b = begin;
  while (b > 0 && begin - b < kReach && s[b - 1] != ';' && s[b - 1] != '\n') --b;
  std::size_t e = end;
  while (e < s.size() && e - end < kReach && s[e] != ';' && s[e] != '\n') ++e;
  return {b, e};
}

// GetString's encoding when `GetString(` encloses the match starting at `begin`.
std::string getstring_encoding(std::string_view s, std::size_t begin) {
  const std::size_t from = begin > 200 ? begin - 200 : 0;
  const std::string before = lower(s.substr(from, begin - from));
  const std::size_t gs = before.rfind("getstring");
  if (gs == std::string::npos) return "";
  // Only brackets, spaces and [Convert]:: between GetString( and FromBase64String.
  const std::string between = before.substr(gs + 9);
  for (char c : between)
    if (!(c == '(' || c == ' ' || c == '\t' || c == '[' || c == ']' || c == ':' || c == '.' ||
          std::isalpha(static_cast<unsigned char>(c))))
      return "";
  if (between.find("convert") == std::string::npos) return "";
  const std::size_t colons = before.rfind("::", gs);
  if (colons == std::string::npos) return "";
  std::size_t name_end = gs;
  while (name_end > colons + 2 && (before[name_end - 1] == '.' || before[name_end - 1] == ' '))
    --name_end;
  const std::string name = before.substr(colons + 2, name_end - colons - 2);
  if (name == "unicode") return "utf-16le";
  if (name == "bigendianunicode") return "utf-16be";
  if (name == "utf8") return "utf-8";
  if (name == "ascii") return "ascii";
  if (name == "utf32") return "utf-32le";
  if (name == "default") return "windows-1252";
  if (name == "utf7") return "utf-7";
  return "";
}

bool contains_word(const std::string& hay, std::string_view word) {
  for (std::size_t at = hay.find(word); at != std::string::npos; at = hay.find(word, at + 1)) {
    const bool left =
        at == 0 || !(std::isalnum(static_cast<unsigned char>(hay[at - 1])) || hay[at - 1] == '-');
    const std::size_t r = at + word.size();
    const bool right =
        r >= hay.size() || !(std::isalnum(static_cast<unsigned char>(hay[r])) || hay[r] == '-');
    if (left && right) return true;
  }
  return false;
}

// Does the value decoded at [begin, end) run as code?
bool is_executed(std::string_view s, std::size_t begin, std::size_t end) {
  const auto [b, e] = statement(s, begin, end);
  const std::string stmt = lower(s.substr(b, e - b));
  if (contains_word(stmt, "iex") || contains_word(stmt, "invoke-expression") ||
      stmt.find("scriptblock]::create") != std::string::npos ||
      stmt.find("newscriptblock") != std::string::npos ||
      stmt.find(".invoke(") != std::string::npos)
    return true;
  // $x = ...decode...; later: iex $x / Invoke-Expression $x / [scriptblock]::create($x)
  const std::string head = lower(s.substr(b, begin - b));
  std::size_t i = 0;
  while (i < head.size() && (head[i] == ' ' || head[i] == '\t')) ++i;
  if (i < head.size() && head[i] == '$') {
    std::size_t j = i + 1;
    while (j < head.size() &&
           (std::isalnum(static_cast<unsigned char>(head[j])) || head[j] == '_' || head[j] == ':'))
      ++j;
    std::size_t k = j;
    while (k < head.size() && head[k] == ' ') ++k;
    if (k < head.size() && head[k] == '=' && j > i + 1) {
      const std::string var = head.substr(i, j - i);
      const std::string rest = lower(s.substr(e, std::min<std::size_t>(s.size() - e, 4096)));
      for (const std::string& use :
           {"iex " + var, "iex(" + var, "iex (" + var, "invoke-expression " + var,
            "invoke-expression(" + var, "create(" + var, var + "|iex", var + " | iex",
            var + "|invoke-expression"})
        if (rest.find(use) != std::string::npos) return true;
    }
  }
  return false;
}

Compression compression_in(std::string_view s, std::size_t begin) {
  const auto [b, e] = statement(s, begin, begin);
  (void)e;
  const std::string_view before = s.substr(b, begin - b);
  const std::size_t gz = text::irfind(before, "gzipstream"),
                    df = text::irfind(before, "deflatestream");
  if (gz == std::string_view::npos && df == std::string_view::npos) return Compression::kNone;
  if (df == std::string_view::npos) return Compression::kGzip;
  if (gz == std::string_view::npos) return Compression::kDeflate;
  return gz > df ? Compression::kGzip : Compression::kDeflate;
}

// The variable a statement assigns ("$s" of "$s = ..." / "$s=New-Object ..."),
// lower-cased with its '$'; empty when the statement is not an assignment.
std::string assigned_variable(std::string_view s, std::size_t begin) {
  const auto [b, e] = statement(s, begin, begin);
  (void)e;
  std::size_t i = b;
  while (i < begin && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i >= begin || s[i] != '$') return "";
  std::size_t j = i + 1;
  while (j < begin &&
         (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' || s[j] == ':'))
    ++j;
  std::size_t k = j;
  while (k < begin && s[k] == ' ') ++k;
  if (j == i + 1 || k >= begin || s[k] != '=' || (k + 1 < begin && s[k + 1] == '=')) return "";
  return text::to_lower_ascii(s.substr(i, j - i));
}

// A compression stream opened later over a variable: "GzipStream($s," after
// "$s = New-Object IO.MemoryStream(,[Convert]::FromBase64String('...'))".
// Returns the compression and the position of that stream's statement.
std::pair<Compression, std::size_t> compression_via(std::string_view s, std::size_t from,
                                                    const std::string& var) {
  constexpr std::size_t kReach = 4096;
  const std::string_view rest = s.substr(from, std::min(kReach, s.size() - from));
  for (auto [name, kind] : {std::pair{std::string_view("gzipstream"), Compression::kGzip},
                            {std::string_view("deflatestream"), Compression::kDeflate}}) {
    for (std::size_t at = text::ifind(rest, name); at != std::string_view::npos;
         at = text::ifind(rest, name, at + 1)) {
      std::size_t i = at + name.size();
      while (i < rest.size() && (rest[i] == ' ' || rest[i] == '(')) ++i;
      if (text::iequals(rest.substr(i, var.size()), var) &&
          (i + var.size() >= rest.size() ||
           !(std::isalnum(static_cast<unsigned char>(rest[i + var.size()])) ||
             rest[i + var.size()] == '_')))
        return {kind, from + at};
    }
  }
  return {Compression::kNone, 0};
}

std::string strip_space(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out.push_back(c);
  return out;
}

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// powershell/pwsh invocations with -EncodedCommand inside a script, parsed with
// PowerShell's own argument rules, one statement at a time.
void find_encoded_commands(std::string_view script, std::vector<Payload>& out) {
  for (std::string_view word : {"powershell", "pwsh"}) {
    for (std::size_t at = text::ifind(script, word); at != std::string_view::npos;
         at = text::ifind(script, word, at + 1)) {
      if (at > 0 && word_char(script[at - 1])) continue;
      std::size_t after = at + word.size();
      if (text::iequals(script.substr(after, 4), ".exe")) after += 4;
      if (after < script.size() && (script[after] == '\'' || script[after] == '"')) ++after;
      if (after >= script.size() || !(script[after] == ' ' || script[after] == '\t')) continue;
      std::size_t end = script.find_first_of(";|\n", after);
      if (end == std::string_view::npos) end = script.size();
      const std::string_view call = script.substr(at, end - at);
      auto ps = cmdline::parse_powershell_command_line(call);
      if (!ps || !ps->has_encoded_command) continue;
      const std::size_t n = codec::base64_run_length(ps->encoded_command);
      if (n < 16) continue;
      Payload p;
      p.kind = PayloadKind::kEncodedCommand;
      p.base64 = ps->encoded_command.substr(0, n);
      p.begin = at + ps->payload_begin;
      p.end = p.begin + n;
      p.executed = true;
      out.push_back(std::move(p));
    }
  }
}

}  // namespace

std::vector<Payload> find_payloads(std::string_view script) {
  std::vector<Payload> out;
  // Each pattern needs a literal word: skip the regex when the word is absent.
  const bool base64_call = text::ifind(script, "frombase64string") != std::string_view::npos;
  const bool powershell = text::ifind(script, "powershell") != std::string_view::npos ||
                          text::ifind(script, "pwsh") != std::string_view::npos;
  if (!base64_call && !powershell) return out;
  // Each FromBase64String call is matched where it stands (anchored), not by
  // scanning the whole script with the patterns.
  for (std::size_t at = base64_call ? text::ifind(script, "frombase64string")
                                    : std::string_view::npos;
       at != std::string_view::npos; at = text::ifind(script, "frombase64string", at + 1)) {
    const std::string_view from = script.substr(at);
    if (auto m = regex(kRegistryValue).match_prefix(from)) {
      Payload p;
      p.kind = PayloadKind::kRegistry;
      p.begin = at;
      p.end = at + m->groups[0].size();
      p.registry_key = std::string(m->groups[1]);
      p.registry_value = std::string(m->groups[2]);
      p.encoding = getstring_encoding(script, p.begin);
      p.executed = is_executed(script, p.begin, p.end);
      out.push_back(std::move(p));
      continue;
    }
    if (auto m = regex(kFromBase64).match_prefix(from)) {
      const std::string_view b64 = m->groups[1];
      Payload p;
      p.base64 = strip_space(b64);
      if (p.base64.size() < 4) continue;
      p.begin = offset_in(script, b64);
      p.end = p.begin + b64.size();
      p.compression = compression_in(script, at);
      p.encoding = getstring_encoding(script, at);
      p.executed = is_executed(script, at, p.end);
      if (p.compression == Compression::kNone) {
        // The bytes may go through a variable into a stream opened later.
        if (const std::string var = assigned_variable(script, at); !var.empty()) {
          const auto [kind, where] = compression_via(script, p.end, var);
          if (kind != Compression::kNone) {
            p.compression = kind;
            p.executed = p.executed || is_executed(script, where, where);
          }
        }
      }
      out.push_back(std::move(p));
    }
  }
  if (powershell) find_encoded_commands(script, out);
  std::sort(out.begin(), out.end(),
            [](const Payload& a, const Payload& b) { return a.begin < b.begin; });
  return out;
}

bool has_custom_decoder(std::string_view script) {
  const std::size_t at = text::ifind(script, "-bxor");
  if (at == std::string_view::npos) return false;
  // Empire's RC4 stub: $_-bxor$S[($S[$I]+$S[$H])%256]
  return script.substr(at, 40).find("%256") == std::string_view::npos;
}

bool mentions_shellcode_loader(std::string_view script) {
  return !regex(
              R"(virtualalloc|getdelegateforfunctionpointer|createthread|marshal\]::copy|virtualprotect)")
              .find_all(script, 0, 1)
              .empty();
}

}  // namespace ioc::decode
