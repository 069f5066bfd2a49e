// ioc/cmdline/wrappers.hpp — peeling the launchers around a command.
//
// Real command lines reach PowerShell through other programs. unwrap_command_line
// removes them one at a time, outermost first, and says which it removed:
//
//   %COMSPEC% /C "%COMSPEC% /C start /b C:\...\powershell -noP -enc AAA"
//   -> command: C:\...\powershell -noP -enc AAA
//      wrappers: {"cmd", "cmd", "start"}
//
// Wrappers understood (program names case-insensitive, with or without path/.exe):
//  * "cmd":      cmd[.exe] / %COMSPEC% / %%COMSPEC%% (log-escaped) with /c or /k, after
//                other switches (/b /q /d /a /u /e:on /f:off /v:on /s ...); the rest of
//                the line is the command, one pair of outer quotes removed as cmd.exe
//                does; '^' escapes outside double quotes are removed.
//  * "start":    start [/b /min /max /wait /low /normal /high /realtime /abovenormal
//                /belownormal /separate /shared /affinity N /node N /d DIR /i] ["title"]
//  * "schtasks": schtasks /Create ... /TR "command": the /TR value, with \" as ";
//                /TN /SC /ST /RU (/MO /D) become `persistence` (mechanism "schtasks")
//  * "reg":      reg add KEY /v NAME /d "command" where KEY is a Run/RunOnce key:
//                the /d value; persistence mechanism "run_key" with key and value_name
//  * "wscript", "cscript", "mshta": the first later argument that itself starts a
//                program this module knows (powershell, cmd, ...), with "" as " (VBScript
//                string quoting)
//  * "sc":       sc [\\host] create|config NAME binPath= "command": persistence "service"
// Anything else stops the peeling: that is the command. Depth is bounded
// (max_depth wrappers); hitting the bound adds "depth limit" to `warnings`.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ioc::cmdline {

/// How a command persists, when a wrapper says so.
struct Persistence {
  std::string mechanism;   ///< "schtasks", "run_key" or "service"
  std::string task_name;   ///< schtasks /TN, or the service name
  std::string schedule;    ///< schtasks /SC (DAILY, ONLOGON, ...), with /MO when given ("MINUTE /MO 5")
  std::string start_time;  ///< schtasks /ST
  std::string run_as;      ///< schtasks /RU
  std::string key;         ///< reg add: the Run key
  std::string value_name;  ///< reg add: /v
};

struct Unwrapped {
  std::string command;                 ///< the innermost command line
  std::vector<std::string> wrappers;   ///< outermost first: "cmd", "start", "schtasks", ...
  std::optional<Persistence> persistence;
  std::vector<std::string> warnings;   ///< e.g. "depth limit", "unterminated quote"
};

Unwrapped unwrap_command_line(std::string_view cmdline, std::size_t max_depth = 16);

/// cmd.exe's '^' escapes removed outside double quotes ("po^wer^shell" -> "powershell";
/// "^^" -> "^"); a '^' at the very end is dropped.
std::string remove_caret_escapes(std::string_view text);

}  // namespace ioc::cmdline
