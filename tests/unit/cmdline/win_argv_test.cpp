#include "ioc/cmdline/win_argv.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using ioc::cmdline::Arg;
using ioc::cmdline::program_basename;
using ioc::cmdline::quote_windows_arg;
using ioc::cmdline::split_windows_args;
using ioc::cmdline::split_windows_command_line;

namespace {

std::vector<std::string> values(const std::vector<Arg>& argv) {
  std::vector<std::string> out;
  for (const auto& a : argv) out.push_back(a.value);
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("split_windows_command_line: the header's example", "[cmdline]") {
  const std::string line = R"("C:\Program Files\x.exe" -a "b c" d\"e)";
  const auto argv = split_windows_command_line(line);
  REQUIRE(argv.size() == 4);
  CHECK(argv[0].value == R"(C:\Program Files\x.exe)");
  CHECK(argv[1].value == "-a");
  CHECK(argv[2].value == "b c");
  CHECK(argv[3].value == R"(d"e)");
  // Spans cover the raw text, quotes included.
  CHECK(line.substr(argv[0].begin, argv[0].end - argv[0].begin) == R"("C:\Program Files\x.exe")");
  CHECK(line.substr(argv[2].begin, argv[2].end - argv[2].begin) == R"("b c")");
  CHECK(line.substr(argv[3].begin, argv[3].end - argv[3].begin) == R"(d\"e)");
  CHECK(argv[3].end == line.size());
}

TEST_CASE("split_windows_command_line: program name rule", "[cmdline]") {
  // Backslashes before a quote are literal in the program name; quotes toggle.
  CHECK(values(split_windows_command_line(R"(C:\dir\"a b"\x.exe c)")) ==
        Strings{R"(C:\dir\a b\x.exe)", "c"});
  // The same text as an argument follows the backslash rule instead.
  CHECK(values(split_windows_command_line(R"(p C:\dir\"a b"\x.exe)")) ==
        Strings{"p", R"(C:\dir"a)", R"(b\x.exe)"});
  CHECK(values(split_windows_command_line(R"(a""b c)")) == Strings{"ab", "c"});
  CHECK(values(split_windows_command_line("\"powershell.exe\" -noni")) ==
        Strings{"powershell.exe", "-noni"});
}

TEST_CASE("split_windows_command_line: backslashes and quotes in arguments", "[cmdline]") {
  // 2n backslashes + quote: n backslashes, toggle; 2n+1: n backslashes and a quote.
  CHECK(values(split_windows_command_line(R"(p a\\"b c" d)")) == Strings{"p", R"(a\b c)", "d"});
  CHECK(values(split_windows_command_line(R"(p a\\\"b c)")) == Strings{"p", R"(a\"b)", "c"});
  CHECK(values(split_windows_command_line(R"(p a\\b c\)")) == Strings{"p", R"(a\\b)", R"(c\)"});
  // "" inside quotes is a literal quote and stays quoted.
  CHECK(values(split_windows_command_line(R"(p "a""b c" d)")) == Strings{"p", R"(a"b c)", "d"});
  CHECK(values(split_windows_command_line(R"(p """a b""" c)")) == Strings{"p", R"("a b")", "c"});
  // "" outside quotes: open then close, an empty argument.
  CHECK(values(split_windows_command_line(R"(p "" x)")) == Strings{"p", "", "x"});
  CHECK(values(split_windows_command_line("p\ta\t\tb")) == Strings{"p", "a", "b"});
}

TEST_CASE("split_windows_command_line: empty, blank and truncated input", "[cmdline]") {
  CHECK(split_windows_command_line("").empty());
  CHECK(split_windows_command_line("   \t ").empty());
  // Leading blanks are skipped, not an empty program name.
  const auto argv = split_windows_command_line("  powershell -enc  AAAA  ");
  REQUIRE(argv.size() == 3);
  CHECK(argv[0].value == "powershell");
  CHECK(argv[0].begin == 2);
  CHECK(argv[2].value == "AAAA");
  CHECK(argv[2].begin == 19);
  CHECK(argv[2].end == 23);
  // An open quote runs to the end.
  const std::string cut = R"x(powershell -c "IEX (New-Obj)";$x=1 "partial tex)x";
  const auto cut_argv = split_windows_command_line(cut);
  REQUIRE(cut_argv.size() == 4);
  CHECK(cut_argv[2].value == "IEX (New-Obj);$x=1");
  CHECK(cut_argv[3].value == "partial tex");
  CHECK(cut_argv[3].end == cut.size());
  CHECK(values(split_windows_command_line(R"("C:\Program Fi)")) == Strings{R"(C:\Program Fi)"});
  CHECK(values(split_windows_command_line(R"(p a\)")) == Strings{"p", R"(a\)"});
}

TEST_CASE("split_windows_command_line: real command lines", "[cmdline]") {
  const std::string empire =
      R"("C:\windows\System32\WindowsPowerShell\v1.0\powershell.exe" -noP -sta -w 1 -enc  SQBGACgA)";
  CHECK(values(split_windows_command_line(empire)) ==
        Strings{R"(C:\windows\System32\WindowsPowerShell\v1.0\powershell.exe)", "-noP", "-sta",
                "-w", "1", "-enc", "SQBGACgA"});
  const std::string schtasks =
      R"("C:\windows\system32\schtasks.exe" /Create /F /SC DAILY /ST 09:00 /TN MordorSchtask /TR "C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe -NonI -W hidden -c \"IEX ([Text.Encoding]::UNICODE.GetString([Convert]::FromBase64String((gp HKCU:\Software\Microsoft\Windows\CurrentVersion debug).debug)))\"")";
  const auto argv = split_windows_command_line(schtasks);
  REQUIRE(argv.size() == 11);
  CHECK(
      argv[10].value ==
      R"x(C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe -NonI -W hidden -c "IEX ([Text.Encoding]::UNICODE.GetString([Convert]::FromBase64String((gp HKCU:\Software\Microsoft\Windows\CurrentVersion debug).debug)))")x");
  CHECK(argv[10].end == schtasks.size());
}

TEST_CASE("split_windows_args: every word by the argument rule", "[cmdline]") {
  CHECK(values(split_windows_args(R"("a b"\"c d)")) == Strings{R"(a b"c)", "d"});
  CHECK(values(split_windows_args(R"(\"x\" y)")) == Strings{R"("x")", "y"});
  CHECK(split_windows_args("").empty());
  CHECK(split_windows_args(" \t").empty());
  const auto argv = split_windows_args(" a  \"b\" ");
  REQUIRE(argv.size() == 2);
  CHECK(argv[0].begin == 1);
  CHECK(argv[0].end == 2);
  CHECK(argv[1].begin == 4);
  CHECK(argv[1].end == 7);
}

TEST_CASE("quote_windows_arg: reads back unchanged", "[cmdline]") {
  CHECK(quote_windows_arg("plain") == "plain");
  CHECK(quote_windows_arg(R"(C:\dir\x.exe)") == R"(C:\dir\x.exe)");
  CHECK(quote_windows_arg("") == R"("")");
  CHECK(quote_windows_arg("a b") == R"("a b")");
  CHECK(quote_windows_arg(R"(a"b)") == R"("a\"b")");
  CHECK(quote_windows_arg(R"(C:\dir x\)") == R"("C:\dir x\\")");
  CHECK(quote_windows_arg(R"(a\"b)") == R"("a\\\"b")");

  const std::vector<std::string> samples = {
      "", " ", "\"", "\\", "\\\\\"", "a\\", "a b\\\\", "\"\"", "\t\"x\\\"\\", "-c \"IEX (1+1)\""};
  for (const auto& s : samples) {
    INFO(s);
    const auto argv = split_windows_args(quote_windows_arg(s));
    REQUIRE(argv.size() == 1);
    CHECK(argv[0].value == s);
  }
  std::mt19937 rng(1234);
  const std::string alphabet = "ab \t\"\\";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<std::size_t> length(0, 12);
  for (int round = 0; round < 2000; ++round) {
    std::string s(length(rng), ' ');
    for (auto& c : s) c = alphabet[pick(rng)];
    const auto argv = split_windows_args(quote_windows_arg(s));
    REQUIRE(argv.size() == 1);
    REQUIRE(argv[0].value == s);
    // As a later word of a whole command line too.
    const auto line = split_windows_command_line("p " + quote_windows_arg(s));
    REQUIRE(line.size() == 2);
    REQUIRE(line[1].value == s);
  }
}

TEST_CASE("program_basename: directory, quotes, extension and case removed", "[cmdline]") {
  CHECK(program_basename("\"C:\\Windows\\System32\\cmd.EXE\"") == "cmd");
  CHECK(program_basename(R"(C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe)") ==
        "powershell");
  CHECK(program_basename("PowerShell") == "powershell");
  CHECK(program_basename("/usr/bin/pwsh") == "pwsh");
  CHECK(program_basename("format.com") == "format");
  CHECK(program_basename("script.ps1") == "script.ps1");
  CHECK(program_basename("%COMSPEC%") == "%comspec%");
  CHECK(program_basename("  powershell.exe ") == "powershell");
  CHECK(program_basename("") == "");
}
