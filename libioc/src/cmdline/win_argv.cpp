// Windows command-line splitting: the MSVC CRT / CommandLineToArgvW rules.
#include "ioc/cmdline/win_argv.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ioc::cmdline {

namespace {

// CommandLineToArgvW and the CRT separate words by spaces and tabs only.
bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// Characters that end a run of ordinary argument text: outside quotes blanks,
// backslashes and quotes; inside quotes only backslashes and quotes.
struct SpecialTables {
  bool outside[256] = {};
  bool inside[256] = {};
  constexpr SpecialTables() {
    for (unsigned char c : {' ', '\t', '\\', '"'}) outside[c] = true;
    for (unsigned char c : {'\\', '"'}) inside[c] = true;
  }
};
constexpr SpecialTables kSpecial;

// The end of the run of ordinary characters starting at `pos`: 16 bytes at a
// time where SSE2 is there (every x86-64), a table lookup per byte otherwise.
std::size_t ordinary_run_end(std::string_view s, std::size_t pos, bool quoted) {
  const bool* special = quoted ? kSpecial.inside : kSpecial.outside;
#if defined(__SSE2__)
  const __m128i backslash = _mm_set1_epi8('\\'), quote = _mm_set1_epi8('"');
  const __m128i space = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
  while (pos + 16 <= s.size()) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + pos));
    __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, backslash), _mm_cmpeq_epi8(v, quote));
    if (!quoted)
      hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, tab)));
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0)
      return pos + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    pos += 16;
  }
#endif
  while (pos < s.size() && !special[static_cast<unsigned char>(s[pos])]) ++pos;
  return pos;
}

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::size_t skip_blanks(std::string_view s, std::size_t pos) {
  while (pos < s.size() && is_blank(s[pos])) ++pos;
  return pos;
}

// The program name: quotes toggle and are removed, backslashes are literal,
// the word ends at the first blank outside quotes.
Arg read_program_name(std::string_view s, std::size_t pos) {
  Arg arg;
  arg.begin = pos;
  bool quoted = false;
  while (pos < s.size()) {
    const char c = s[pos];
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && is_blank(c)) {
      break;
    } else {
      arg.value += c;
    }
    ++pos;
  }
  arg.end = pos;
  return arg;
}

// One argument by the post-2008 CRT rule, starting at a non-blank `pos`.
Arg read_argument(std::string_view s, std::size_t pos) {
  Arg arg;
  arg.begin = pos;
  bool quoted = false;
  const std::size_t n = s.size();
  while (pos < n) {
    // A run of ordinary characters at once (the common case: a long blob).
    const std::size_t run = ordinary_run_end(s, pos, quoted);
    if (run > pos) {
      arg.value.append(s.substr(pos, run - pos));
      pos = run;
      continue;
    }
    const char c = s[pos];
    if (c == '\\') {
      std::size_t run_end = pos;
      while (run_end < n && s[run_end] == '\\') ++run_end;
      const std::size_t count = run_end - pos;
      if (run_end < n && s[run_end] == '"') {
        arg.value.append(count / 2, '\\');
        if (count % 2 == 1) {
          arg.value += '"';
          pos = run_end + 1;
        } else {
          pos = run_end;  // the quote is read next, as a quote
        }
      } else {
        arg.value.append(count, '\\');
        pos = run_end;
      }
      continue;
    }
    if (c == '"') {
      if (quoted && pos + 1 < n && s[pos + 1] == '"') {
        arg.value += '"';
        pos += 2;
      } else {
        quoted = !quoted;
        ++pos;
      }
      continue;
    }
    if (!quoted && is_blank(c)) break;
    arg.value += c;
    ++pos;
  }
  arg.end = pos;
  return arg;
}

void split_arguments_from(std::string_view s, std::size_t pos, std::vector<Arg>& out) {
  for (;;) {
    pos = skip_blanks(s, pos);
    if (pos >= s.size()) break;
    out.push_back(read_argument(s, pos));
    pos = out.back().end;
  }
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  const std::string_view tail = s.substr(s.size() - suffix.size());
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    if (lower_ascii(tail[i]) != suffix[i]) return false;
  }
  return true;
}

}  // namespace

std::vector<Arg> split_windows_command_line(std::string_view cmdline) {
  std::vector<Arg> out;
  // Leading blanks would give CommandLineToArgvW an empty program name; a
  // pasted or logged line is better read without them.
  const std::size_t pos = skip_blanks(cmdline, 0);
  if (pos >= cmdline.size()) return out;
  out.push_back(read_program_name(cmdline, pos));
  split_arguments_from(cmdline, out.back().end, out);
  return out;
}

std::vector<Arg> split_windows_args(std::string_view args) {
  std::vector<Arg> out;
  split_arguments_from(args, 0, out);
  return out;
}

std::string quote_windows_arg(std::string_view arg) {
  bool needs_quotes = arg.empty();
  for (const char c : arg) {
    if (is_blank(c) || c == '"') {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) return std::string(arg);  // backslashes without a quote are literal

  std::string out;
  out.reserve(arg.size() + 2);
  out += '"';
  std::size_t backslashes = 0;
  for (const char c : arg) {
    if (c == '\\') {
      ++backslashes;
      continue;
    }
    if (c == '"') {
      out.append(backslashes * 2 + 1, '\\');  // 2n+1 backslashes: n of them and a literal quote
    } else {
      out.append(backslashes, '\\');
    }
    backslashes = 0;
    out += c;
  }
  out.append(backslashes * 2, '\\');  // before the closing quote: 2n give n
  out += '"';
  return out;
}

std::string program_basename(std::string_view program) {
  std::string name;
  name.reserve(program.size());
  for (const char c : program) {
    if (c != '"') name += c;
  }
  std::size_t first = 0;
  while (first < name.size() &&
         (is_blank(name[first]) || name[first] == '\r' || name[first] == '\n'))
    ++first;
  std::size_t last = name.size();
  while (last > first &&
         (is_blank(name[last - 1]) || name[last - 1] == '\r' || name[last - 1] == '\n'))
    --last;
  std::string_view view(name);
  view = view.substr(first, last - first);
  const std::size_t sep = view.find_last_of("\\/:");
  if (sep != std::string_view::npos) view = view.substr(sep + 1);
  if (ends_with_ci(view, ".exe") || ends_with_ci(view, ".com")) view.remove_suffix(4);
  std::string out(view);
  for (auto& c : out) c = lower_ascii(c);
  return out;
}

}  // namespace ioc::cmdline
