// ioc/cmdline/powershell_args.hpp — what powershell.exe / pwsh make of their arguments.
//
//   auto ps = parse_powershell_command_line("powershell -noP -sta -w 1 -enc  SQBm...");
//   ps->encoded_command == "SQBm..."; ps->noprofile && ps->sta; ps->window_style == "1"
//
// Parameters match case-insensitively by any prefix PowerShell itself accepts,
// with '-' or '/' (and pwsh's '--'): -EncodedCommand (-e, -ec, -en, -enc, -enco ...),
// -Command (-c ...), -File (-f), -NoProfile (-nop), -NonInteractive (-noni),
// -NoLogo (-nol), -NoExit (-noe), -WindowStyle (-w), -ExecutionPolicy (-ex, -ep),
// -Sta (-s), -Mta, -Version (-v), -InputFormat (-inp, -if), -OutputFormat (-o, -of),
// -ConfigurationName (-config), -EncodedArguments (-ea, -encodeda).
// -Command takes the rest of the line: the remaining arguments (after
// CommandLineToArgvW processing) joined by single spaces, as PowerShell does; a
// first argument that is not a parameter also starts the command.
// -EncodedCommand's value may be preceded by extra spaces and followed by junk;
// `encoded_command` is the argument as given (base64 text).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ioc::cmdline {

struct PowerShellArgs {
  std::string executable;       ///< as written (path and quotes removed by splitting)
  bool has_encoded_command = false;
  std::string encoded_command;  ///< -EncodedCommand value
  bool has_command = false;
  std::string command;          ///< -Command text (or the bare command)
  std::string file;             ///< -File value
  bool noprofile = false, noninteractive = false, nologo = false, noexit = false;
  bool sta = false, mta = false;
  std::string window_style;      ///< as given: "hidden", "1", "Hidden" ...
  std::string execution_policy;  ///< as given: "bypass", "Unrestricted" ...
  std::string version, input_format, output_format, configuration_name, encoded_arguments;
  std::vector<std::string> unknown;  ///< parameters PowerShell would reject
  /// Span of the payload (-EncodedCommand value or the -Command text) in the input.
  std::size_t payload_begin = 0, payload_end = 0;
};

/// "powershell", "powershell.exe", "pwsh", "pwsh.exe", with any path, quotes, case.
bool is_powershell_program(std::string_view program);

/// Parses a command line whose program is PowerShell; nullopt when it is not.
std::optional<PowerShellArgs> parse_powershell_command_line(std::string_view cmdline);

/// The offset of the first PowerShell invocation inside `text` (a word
/// "powershell"/"pwsh", optionally with path and .exe, followed by whitespace,
/// a quote or the end, at the start or after whitespace, a quote, '(' or '&'),
/// for command lines embedded in other text.
std::optional<std::size_t> find_powershell_invocation(std::string_view text);

}  // namespace ioc::cmdline
