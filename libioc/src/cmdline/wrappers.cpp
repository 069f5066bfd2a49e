// Peeling the launchers (cmd, start, schtasks, reg, sc, script hosts) around a command.
#include "ioc/cmdline/wrappers.hpp"

#include <utility>

#include "ioc/cmdline/win_argv.hpp"

namespace ioc::cmdline {

namespace {

enum class Kind { kNone, kPowerShell, kCmd, kStart, kSchtasks, kReg, kSc, kScriptHost };

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower_ascii(c);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  return lower(s.substr(s.size() - suffix.size())) == suffix;
}

std::size_t skip_blanks(std::string_view s, std::size_t pos) {
  while (pos < s.size() && is_blank(s[pos])) ++pos;
  return pos;
}

// The first word by the program-name rule, without building the other words.
struct Word {
  std::string value;
  std::size_t begin = 0;
  std::size_t end = 0;
  bool has_quote = false;
  bool has_caret = false;  // a '^' outside quotes: the text is cmd.exe syntax
};

Word program_word(std::string_view s) {
  Word w;
  std::size_t pos = skip_blanks(s, 0);
  w.begin = pos;
  bool quoted = false;
  for (; pos < s.size(); ++pos) {
    const char c = s[pos];
    if (c == '"') {
      quoted = !quoted;
      w.has_quote = true;
      continue;
    }
    if (!quoted && is_blank(c)) break;
    if (!quoted && c == '^') w.has_caret = true;
    w.value += c;
  }
  w.end = pos;
  return w;
}

bool is_comspec(std::string_view word) {
  const std::string l = lower(trim(word));
  return l == "%comspec%" || l == "%%comspec%%";
}

struct Program {
  Kind kind = Kind::kNone;
  std::string name;     // the wrapper's name in Unwrapped::wrappers
  std::size_t end = 0;  // where the program word ends in the line
};

Kind kind_of_basename(std::string_view base) {
  if (base == "powershell" || base == "pwsh") return Kind::kPowerShell;
  if (base == "cmd") return Kind::kCmd;
  if (base == "start") return Kind::kStart;
  if (base == "schtasks") return Kind::kSchtasks;
  if (base == "reg") return Kind::kReg;
  if (base == "sc") return Kind::kSc;
  if (base == "wscript" || base == "cscript" || base == "mshta") return Kind::kScriptHost;
  return Kind::kNone;
}

// "cmd/c ..." and "cmd.exe/c ...": cmd.exe's own parser ends a command name at '/'.
std::optional<std::size_t> glued_cmd_switch(std::string_view word) {
  for (std::size_t i = 1; i < word.size(); ++i) {
    if (word[i] != '/') continue;
    const std::string_view head = word.substr(0, i);
    for (const std::string_view name : {"cmd", "cmd.exe", "%comspec%", "%%comspec%%"}) {
      if (!ends_with_ci(head, name)) continue;
      const std::size_t before = head.size() - name.size();
      if (before == 0 || head[before - 1] == '\\' || head[before - 1] == '/' ||
          head[before - 1] == ':')
        return i;
    }
  }
  return std::nullopt;
}

Program identify(std::string_view line) {
  const Word w = program_word(line);
  Program p;
  p.end = w.end;
  if (w.value.empty()) return p;
  if (is_comspec(w.value)) {
    p.kind = Kind::kCmd;
    p.name = "cmd";
    return p;
  }
  const std::string base = program_basename(w.value);
  p.kind = kind_of_basename(base);
  p.name = base;
  if (p.kind == Kind::kNone && !w.has_quote) {
    if (const auto slash = glued_cmd_switch(w.value)) {
      p.kind = Kind::kCmd;
      p.name = "cmd";
      p.end = w.begin + *slash;
    }
  }
  return p;
}

std::optional<std::string> option_name(std::string_view arg) {
  if (arg.size() < 2 || (arg[0] != '/' && arg[0] != '-')) return std::nullopt;
  return lower(arg.substr(1));
}

// Whether a line ends inside double quotes, by cmd.exe's rule ('^' escapes outside quotes).
bool cmd_quote_open(std::string_view s) {
  if (s.find('"') == std::string_view::npos) return false;
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"') {
      quoted = !quoted;
    } else if (s[i] == '^' && !quoted) {
      ++i;
    }
  }
  return quoted;
}

// Whether a line ends inside double quotes, by the CommandLineToArgvW rules.
bool argv_quote_open(std::string_view s) {
  if (s.find('"') == std::string_view::npos) return false;
  const Word w = program_word(s);
  {
    bool quoted = false;
    for (std::size_t i = w.begin; i < w.end; ++i) {
      if (s[i] == '"') quoted = !quoted;
    }
    if (quoted) return true;
  }
  bool quoted = false;
  std::size_t i = w.end;
  // The next quote and backslash at or after i (recomputed once passed).
  std::size_t next_quote = std::min(s.find('"', i), s.size());
  std::size_t next_backslash = std::min(s.find('\\', i), s.size());
  while (i < s.size()) {
    // Only backslashes and quotes matter: jump to the next one (memchr).
    if (next_quote < i) next_quote = std::min(s.find('"', i), s.size());
    if (next_backslash < i) next_backslash = std::min(s.find('\\', i), s.size());
    i = std::min(next_quote, next_backslash);
    if (i >= s.size()) break;
    const char c = s[i];
    if (c == '\\') {
      std::size_t run_end = i;
      while (run_end < s.size() && s[run_end] == '\\') ++run_end;
      i = (run_end < s.size() && s[run_end] == '"' && (run_end - i) % 2 == 1) ? run_end + 1
                                                                              : run_end;
      continue;
    }
    if (c == '"') {
      if (quoted && i + 1 < s.size() && s[i + 1] == '"') {
        i += 2;
      } else {
        quoted = !quoted;
        ++i;
      }
      continue;
    }
    ++i;
  }
  return quoted;
}

struct Peeled {
  std::string command;
  std::optional<Persistence> persistence;
};

// cmd.exe's rule 1 (help of cmd /?): quotes are kept when there are exactly two,
// with blanks and no special characters between them, around an executable's name.
bool cmd_keeps_quotes(std::string_view rest) {
  std::size_t quotes = 0;
  for (const char c : rest) quotes += (c == '"') ? 1 : 0;
  if (quotes != 2) return false;
  const std::size_t close = rest.find('"', 1);
  const std::string_view inner = rest.substr(1, close - 1);
  if (inner.find_first_of("&<>()@^|") != std::string_view::npos) return false;
  if (inner.find_first_of(" \t") == std::string_view::npos) return false;
  const std::string_view name = trim(inner);
  return ends_with_ci(name, ".exe") || ends_with_ci(name, ".com") || ends_with_ci(name, ".bat") ||
         ends_with_ci(name, ".cmd");
}

std::optional<Peeled> peel_cmd(std::string_view line, std::size_t pos) {
  bool s_switch = false;
  for (;;) {
    pos = skip_blanks(line, pos);
    if (pos + 1 >= line.size() || line[pos] != '/') return std::nullopt;
    ++pos;
    const char sw = lower_ascii(line[pos]);
    if (sw == 'c' || sw == 'k' || sw == 'r') {
      ++pos;
      break;
    }
    const std::size_t start = pos;
    while (pos < line.size() && !is_blank(line[pos]) && line[pos] != '/') ++pos;
    if (sw == 's' && pos - start == 1) s_switch = true;
  }
  std::string_view rest = trim(line.substr(pos));
  if (rest.empty()) return std::nullopt;
  std::string command;
  if (rest.front() == '"' && (s_switch || !cmd_keeps_quotes(rest))) {
    // Rule 2: strip the first quote and the last one, keeping what follows it.
    const std::size_t last = rest.rfind('"');
    if (last == 0) {
      command = rest.substr(1);
    } else {
      command = rest.substr(1, last - 1);
      command += rest.substr(last + 1);
    }
  } else {
    command = rest;
  }
  command = remove_caret_escapes(command);
  command = std::string(trim(command));
  if (command.empty()) return std::nullopt;
  return Peeled{std::move(command), std::nullopt};
}

std::size_t cmd_token_end(std::string_view s, std::size_t pos) {
  bool quoted = false;
  for (; pos < s.size(); ++pos) {
    if (s[pos] == '"') {
      quoted = !quoted;
    } else if (!quoted && is_blank(s[pos])) {
      break;
    }
  }
  return pos;
}

std::optional<Peeled> peel_start(std::string_view line, std::size_t pos) {
  bool title_seen = false;
  for (;;) {
    pos = skip_blanks(line, pos);
    if (pos >= line.size()) return std::nullopt;
    const std::size_t end = cmd_token_end(line, pos);
    const std::string_view token = line.substr(pos, end - pos);
    if (token.front() == '/' && token.size() > 1) {
      const std::string sw = lower(token.substr(1));
      pos = end;
      if (sw == "d" || sw == "affinity" || sw == "node" || sw == "machine") {
        pos = cmd_token_end(line, skip_blanks(line, pos));  // the switch's value
      }
      continue;
    }
    if (token.front() == '"' && !title_seen) {
      title_seen = true;  // start's first quoted argument is the window title
      pos = end;
      continue;
    }
    std::string command(trim(line.substr(pos)));
    return Peeled{std::move(command), std::nullopt};
  }
}

std::optional<Peeled> peel_schtasks(std::string_view line) {
  const std::vector<Arg> argv = split_windows_command_line(line);
  bool create = false;
  std::optional<std::string> command;
  std::string schedule, modifier, days;
  Persistence p;
  p.mechanism = "schtasks";
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const auto opt = option_name(argv[i].value);
    if (!opt) continue;
    if (*opt == "create" || *opt == "change") {
      create = true;
      continue;
    }
    std::string* target = nullptr;
    std::string tr;
    if (*opt == "tn") target = &p.task_name;
    if (*opt == "sc") target = &schedule;
    if (*opt == "st") target = &p.start_time;
    if (*opt == "ru") target = &p.run_as;
    if (*opt == "mo") target = &modifier;
    if (*opt == "d") target = &days;
    if (*opt == "tr") target = &tr;
    if (target == nullptr || i + 1 >= argv.size()) continue;
    *target = argv[++i].value;
    if (target == &tr) command = std::string(trim(tr));
  }
  if (!create || !command || command->empty()) return std::nullopt;
  p.schedule = schedule;
  if (!modifier.empty()) p.schedule += (p.schedule.empty() ? "/MO " : " /MO ") + modifier;
  if (!days.empty()) p.schedule += (p.schedule.empty() ? "/D " : " /D ") + days;
  return Peeled{std::move(*command), std::move(p)};
}

bool is_run_key(std::string_view key) {
  while (!key.empty() && key.back() == '\\') key.remove_suffix(1);
  const std::size_t sep = key.rfind('\\');
  if (sep == std::string_view::npos) return false;
  const std::string last = lower(key.substr(sep + 1));
  return last == "run" || last == "runonce" || last == "runonceex" || last == "runservices" ||
         last == "runservicesonce";
}

std::optional<Peeled> peel_reg(std::string_view line) {
  const std::vector<Arg> argv = split_windows_command_line(line);
  if (argv.size() < 3 || lower(argv[1].value) != "add" || !is_run_key(argv[2].value))
    return std::nullopt;
  Persistence p;
  p.mechanism = "run_key";
  p.key = argv[2].value;
  std::optional<std::string> data;
  for (std::size_t i = 3; i < argv.size(); ++i) {
    const auto opt = option_name(argv[i].value);
    if (!opt) continue;
    const bool has_value = i + 1 < argv.size();
    if (*opt == "v" && has_value) {
      p.value_name = argv[++i].value;
    } else if (*opt == "ve") {
      p.value_name.clear();
    } else if (*opt == "d" && has_value) {
      data = std::string(trim(argv[++i].value));
    } else if ((*opt == "t" || *opt == "s") && has_value) {
      ++i;
    }
  }
  if (!data || data->empty()) return std::nullopt;
  return Peeled{std::move(*data), std::move(p)};
}

std::optional<Peeled> peel_sc(std::string_view line) {
  const std::vector<Arg> argv = split_windows_command_line(line);
  std::size_t i = 1;
  if (i < argv.size() && argv[i].value.rfind("\\\\", 0) == 0) ++i;  // \\host
  if (i + 1 >= argv.size()) return std::nullopt;
  const std::string verb = lower(argv[i].value);
  if (verb != "create" && verb != "config") return std::nullopt;
  Persistence p;
  p.mechanism = "service";
  p.task_name = argv[i + 1].value;
  std::optional<std::string> command;
  for (i += 2; i < argv.size(); ++i) {
    const std::string& arg = argv[i].value;
    if (lower(arg.substr(0, 8)) != "binpath=") continue;
    if (arg.size() > 8) {
      command = std::string(trim(std::string_view(arg).substr(8)));
    } else if (i + 1 < argv.size()) {
      command = std::string(trim(argv[++i].value));
    }
  }
  if (!command || command->empty()) return std::nullopt;
  return Peeled{std::move(*command), std::move(p)};
}

std::optional<Peeled> peel_script_host(std::string_view line) {
  const std::vector<Arg> argv = split_windows_command_line(line);
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string_view value = trim(argv[i].value);
    const Kind kind = identify(value).kind;
    if (kind == Kind::kNone || kind == Kind::kStart) continue;
    // A whole command line in one argument (VBScript's "" already read as " by
    // the argument rule), or a bare program followed by its own arguments.
    if (value.find_first_of(" \t") != std::string_view::npos) {
      return Peeled{std::string(value), std::nullopt};
    }
    return Peeled{std::string(trim(line.substr(argv[i].begin))), std::nullopt};
  }
  return std::nullopt;
}

std::optional<Peeled> peel(const Program& program, std::string_view line) {
  switch (program.kind) {
    case Kind::kCmd: return peel_cmd(line, program.end);
    case Kind::kStart: return peel_start(line, program.end);
    case Kind::kSchtasks: return peel_schtasks(line);
    case Kind::kReg: return peel_reg(line);
    case Kind::kSc: return peel_sc(line);
    case Kind::kScriptHost: return peel_script_host(line);
    default: return std::nullopt;
  }
}

}  // namespace

std::string remove_caret_escapes(std::string_view text) {
  if (text.find('^') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (c == '^' && !quoted) {
      if (i + 1 < text.size())
        out += text[++i];  // "^^" -> "^", '^"' -> a quote that does not toggle
      continue;
    }
    out += c;
  }
  return out;
}

Unwrapped unwrap_command_line(std::string_view cmdline, std::size_t max_depth) {
  Unwrapped out;
  std::string current(trim(cmdline));
  // A program name with carets ("po^wer^shell ...") is cmd.exe text, as typed.
  if (program_word(current).has_caret) current = std::string(trim(remove_caret_escapes(current)));

  bool unterminated = false;
  for (std::size_t depth = 0;; ++depth) {
    const Program program = identify(current);
    const bool cmd_syntax = program.kind == Kind::kCmd || program.kind == Kind::kStart;
    if (cmd_syntax ? cmd_quote_open(current) : argv_quote_open(current)) unterminated = true;
    std::optional<Peeled> peeled = peel(program, current);
    if (!peeled) break;
    if (depth >= max_depth) {
      out.warnings.emplace_back("depth limit");
      break;
    }
    out.wrappers.push_back(program.name);
    if (peeled->persistence && !out.persistence) out.persistence = std::move(peeled->persistence);
    current = std::move(peeled->command);
  }
  out.command = std::move(current);
  if (unterminated) out.warnings.emplace_back("unterminated quote");
  return out;
}

}  // namespace ioc::cmdline
