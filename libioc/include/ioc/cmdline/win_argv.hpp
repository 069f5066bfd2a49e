// ioc/cmdline/win_argv.hpp — Windows command-line splitting (CommandLineToArgvW).
//
//   auto argv = split_windows_command_line(R"("C:\Program Files\x.exe" -a "b c" d\"e)");
//   // argv[0].value == R"(C:\Program Files\x.exe)", argv[2].value == "b c", argv[3].value == R"(d"e)"
//
// Rules (as documented for CommandLineToArgvW and the MSVC CRT since 2008):
//  * the program name (first word) ends at the first whitespace outside double
//    quotes; quotes in it are removed and backslashes are literal;
//  * in later words, whitespace outside double quotes separates arguments;
//    2n backslashes followed by '"' give n backslashes and toggle quoting;
//    2n+1 backslashes followed by '"' give n backslashes and a literal '"';
//    backslashes not followed by '"' are literal; inside quotes, '""' gives a
//    literal '"' (and stays in quoted mode).
// Spans [begin, end) locate each argument's raw text in the input. The input
// may be truncated anywhere (an open quote simply runs to the end).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ioc::cmdline {

struct Arg {
  std::string value;      ///< after quote and backslash processing
  std::size_t begin = 0;  ///< raw text of the argument in the input: [begin, end)
  std::size_t end = 0;
};

/// Splits a whole command line: the first word by the program-name rule.
std::vector<Arg> split_windows_command_line(std::string_view cmdline);

/// Splits an argument string (no program name): every word by the argument rule.
std::vector<Arg> split_windows_args(std::string_view args);

/// Quotes one argument so that the argument rule reads it back unchanged.
std::string quote_windows_arg(std::string_view arg);

/// The program name without directory, surrounding quotes and a trailing
/// ".exe"/".com", lower-cased ASCII: "\"C:\\Windows\\System32\\cmd.EXE\"" -> "cmd".
std::string program_basename(std::string_view program);

}  // namespace ioc::cmdline
