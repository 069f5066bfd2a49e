// What powershell.exe / pwsh make of their arguments, after CommandLineToArgvW.
#include "ioc/cmdline/powershell_args.hpp"

#include <array>

#include "ioc/cmdline/win_argv.hpp"

namespace ioc::cmdline {

namespace {

enum class Param {
  kEncodedCommand,
  kCommand,
  kFile,
  kNoProfile,
  kNonInteractive,
  kNoLogo,
  kNoExit,
  kWindowStyle,
  kExecutionPolicy,
  kSta,
  kMta,
  kVersion,
  kInputFormat,
  kOutputFormat,
  kConfigurationName,
  kEncodedArguments,
  // Accepted by PowerShell but without a field here.
  kIgnoredFlag,
  kIgnoredValue,
};

struct ParamSpec {
  std::string_view name;      // lower case
  std::string_view shortest;  // the shortest prefix PowerShell accepts
  Param param;
};

// In PowerShell's own order: the first entry that matches wins, which is what
// makes "-c" Command but "-config" ConfigurationName, and "-e" EncodedCommand
// but "-ex" ExecutionPolicy.
constexpr std::array<ParamSpec, 30> kParams{{
    {"psconsolefile", "psc", Param::kIgnoredValue},
    {"help", "h", Param::kIgnoredFlag},
    {"?", "?", Param::kIgnoredFlag},
    {"noexit", "noe", Param::kNoExit},
    {"noprofile", "nop", Param::kNoProfile},
    {"nologo", "nol", Param::kNoLogo},
    {"noninteractive", "noni", Param::kNonInteractive},
    {"inputformat", "inp", Param::kInputFormat},
    {"if", "if", Param::kInputFormat},
    {"interactive", "i", Param::kIgnoredFlag},  // pwsh
    {"configurationname", "config", Param::kConfigurationName},
    {"command", "c", Param::kCommand},
    {"windowstyle", "w", Param::kWindowStyle},
    {"workingdirectory", "wo", Param::kIgnoredValue},  // pwsh
    {"wd", "wd", Param::kIgnoredValue},                // pwsh
    {"file", "f", Param::kFile},
    {"executionpolicy", "ex", Param::kExecutionPolicy},
    {"ep", "ep", Param::kExecutionPolicy},
    {"encodedcommand", "e", Param::kEncodedCommand},
    {"ec", "ec", Param::kEncodedCommand},
    {"encodedarguments", "encodeda", Param::kEncodedArguments},
    {"ea", "ea", Param::kEncodedArguments},
    {"outputformat", "o", Param::kOutputFormat},
    {"of", "of", Param::kOutputFormat},
    {"sta", "s", Param::kSta},
    {"mta", "mta", Param::kMta},
    {"version", "v", Param::kVersion},
    {"login", "l", Param::kIgnoredFlag},                         // pwsh
    {"settingsfile", "settings", Param::kIgnoredValue},          // pwsh
    {"custompipename", "custompipename", Param::kIgnoredValue},  // pwsh
}};

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// The length of a dash at the start of `s`: '-', or in UTF-8 the en dash,
// em dash and horizontal bar that PowerShell also takes for '-'. 0 when none.
std::size_t dash_length(std::string_view s) {
  if (!s.empty() && s[0] == '-') return 1;
  if (s.size() >= 3 && s[0] == '\xE2' && s[1] == '\x80' &&
      (s[2] == '\x93' || s[2] == '\x94' || s[2] == '\x95'))
    return 3;
  return 0;
}

// The parameter name of an argument ("-EnC" -> "enc"), or nullopt when the
// argument is not written as a parameter.
std::optional<std::string> parameter_key(std::string_view arg) {
  std::size_t prefix = dash_length(arg);
  if (prefix == 0) {
    if (arg.empty() || arg[0] != '/') return std::nullopt;
    prefix = 1;
  }
  arg.remove_prefix(prefix);
  arg.remove_prefix(dash_length(arg));  // pwsh's "--"
  std::string key(arg);
  for (auto& c : key) c = lower_ascii(c);
  return key;
}

std::optional<Param> match_parameter(std::string_view key) {
  if (key.empty()) return std::nullopt;
  for (const auto& spec : kParams) {
    if (key.size() >= spec.shortest.size() && spec.name.substr(0, key.size()) == key)
      return spec.param;
  }
  return std::nullopt;
}

// The payload span of one argument, inside its surrounding quotes when the raw
// text is exactly the value in quotes (or a truncated opening quote and the value).
void set_single_payload_span(PowerShellArgs& ps, std::string_view cmdline, const Arg& arg) {
  std::size_t begin = arg.begin;
  std::size_t end = arg.end;
  const std::string_view raw = cmdline.substr(begin, end - begin);
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"' &&
      raw.substr(1, raw.size() - 2) == arg.value) {
    ++begin;
    --end;
  } else if (!raw.empty() && raw.front() == '"' && raw.substr(1) == arg.value) {
    ++begin;
  }
  ps.payload_begin = begin;
  ps.payload_end = end;
}

// -Command and the bare command: the rest of the arguments joined by spaces.
void take_command(PowerShellArgs& ps, std::string_view cmdline, const std::vector<Arg>& argv,
                  std::size_t first) {
  ps.has_command = true;
  ps.command.clear();
  for (std::size_t i = first; i < argv.size(); ++i) {
    if (i > first) ps.command += ' ';
    ps.command += argv[i].value;
  }
  if (argv.size() - first == 1) {
    set_single_payload_span(ps, cmdline, argv[first]);
  } else {
    ps.payload_begin = argv[first].begin;
    ps.payload_end = argv.back().end;
  }
}

std::string* value_field(PowerShellArgs& ps, Param param) {
  switch (param) {
    case Param::kFile: return &ps.file;
    case Param::kWindowStyle: return &ps.window_style;
    case Param::kExecutionPolicy: return &ps.execution_policy;
    case Param::kVersion: return &ps.version;
    case Param::kInputFormat: return &ps.input_format;
    case Param::kOutputFormat: return &ps.output_format;
    case Param::kConfigurationName: return &ps.configuration_name;
    case Param::kEncodedArguments: return &ps.encoded_arguments;
    default: return nullptr;
  }
}

bool matches_ci(std::string_view text, std::size_t pos, std::string_view word) {
  if (text.size() - pos < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (lower_ascii(text[pos + i]) != word[i]) return false;
  }
  return true;
}

bool is_invocation_delimiter(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f' || c == '"' ||
         c == '\'' || c == '(' || c == '&';
}

}  // namespace

bool is_powershell_program(std::string_view program) {
  const std::string base = program_basename(program);
  return base == "powershell" || base == "pwsh";
}

std::optional<PowerShellArgs> parse_powershell_command_line(std::string_view cmdline) {
  const std::vector<Arg> argv = split_windows_command_line(cmdline);
  if (argv.empty() || !is_powershell_program(argv[0].value)) return std::nullopt;

  PowerShellArgs ps;
  ps.executable = argv[0].value;
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string_view arg = trim(argv[i].value);
    if (arg.empty()) continue;  // PowerShell skips empty arguments
    const std::optional<std::string> key = parameter_key(arg);
    if (!key) {
      if (ps.has_command || ps.has_encoded_command) {
        ps.unknown.push_back(argv[i].value);  // a second command: PowerShell refuses
        continue;
      }
      take_command(ps, cmdline, argv, i);  // a first non-parameter starts the command
      break;
    }
    const std::optional<Param> param = match_parameter(*key);
    if (!param) {
      ps.unknown.push_back(argv[i].value);
      continue;
    }
    const bool has_value = i + 1 < argv.size();
    switch (*param) {
      case Param::kNoProfile: ps.noprofile = true; break;
      case Param::kNonInteractive: ps.noninteractive = true; break;
      case Param::kNoLogo: ps.nologo = true; break;
      case Param::kNoExit: ps.noexit = true; break;
      case Param::kSta: ps.sta = true; break;
      case Param::kMta: ps.mta = true; break;
      case Param::kIgnoredFlag: break;
      case Param::kCommand:
        if (has_value) {
          take_command(ps, cmdline, argv, i + 1);
          i = argv.size();  // the rest of the line is the command
        }
        break;
      case Param::kEncodedCommand:
        if (has_value) {
          ++i;
          ps.has_encoded_command = true;
          ps.encoded_command = argv[i].value;
          set_single_payload_span(ps, cmdline, argv[i]);
        }
        break;
      case Param::kFile:
        if (has_value) ps.file = argv[i + 1].value;
        i = argv.size();  // what follows are the script's arguments
        break;
      case Param::kIgnoredValue:
        if (has_value) ++i;
        break;
      default:
        if (has_value) {
          ++i;
          if (std::string* field = value_field(ps, *param)) *field = argv[i].value;
        }
        break;
    }
  }
  return ps;
}

std::optional<std::size_t> find_powershell_invocation(std::string_view text) {
  static constexpr std::array<std::string_view, 2> kNames{"powershell", "pwsh"};
  std::size_t token_start = 0;  // after the last delimiter
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_invocation_delimiter(c)) {
      token_start = i + 1;
      continue;
    }
    if (i != token_start && text[i - 1] != '\\' && text[i - 1] != '/') continue;
    for (const std::string_view name : kNames) {
      if (!matches_ci(text, i, name)) continue;
      std::size_t end = i + name.size();
      if (matches_ci(text, end, ".exe")) end += 4;
      if (end < text.size() && !is_invocation_delimiter(text[end])) continue;
      if (end < text.size() && (text[end] == '(' || text[end] == '&')) continue;
      // A quoted program ("C:\...\powershell.exe" -enc ..., "C:\Program Files\...\pwsh.exe")
      // starts at its opening quote, so that the program-name rule reads it back.
      if (i > 0 && end < text.size() && text[end] == '"') {
        if (text[i - 1] == '"') return i - 1;
        if (text[i - 1] == '\\' || text[i - 1] == '/') {
          const std::size_t open = text.rfind('"', i - 1);
          if (open != std::string_view::npos) return open;
        }
      }
      return token_start;
    }
  }
  return std::nullopt;
}

}  // namespace ioc::cmdline
