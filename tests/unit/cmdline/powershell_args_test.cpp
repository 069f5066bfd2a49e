#include "ioc/cmdline/powershell_args.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using ioc::cmdline::find_powershell_invocation;
using ioc::cmdline::is_powershell_program;
using ioc::cmdline::parse_powershell_command_line;
using ioc::cmdline::PowerShellArgs;

namespace {

std::string payload(const std::string& line, const PowerShellArgs& ps) {
  REQUIRE(ps.payload_begin <= ps.payload_end);
  REQUIRE(ps.payload_end <= line.size());
  return line.substr(ps.payload_begin, ps.payload_end - ps.payload_begin);
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("is_powershell_program: names, paths, quotes and case", "[cmdline]") {
  CHECK(is_powershell_program("powershell"));
  CHECK(is_powershell_program("PowerShell.EXE"));
  CHECK(is_powershell_program("pwsh"));
  CHECK(is_powershell_program("pwsh.exe"));
  CHECK(is_powershell_program(R"("C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe")"));
  CHECK(is_powershell_program("/opt/microsoft/powershell/7/pwsh"));
  CHECK_FALSE(is_powershell_program("powershell_ise.exe"));
  CHECK_FALSE(is_powershell_program("cmd.exe"));
  CHECK_FALSE(is_powershell_program("powershell.exe.config"));
  CHECK_FALSE(is_powershell_program(""));
}

TEST_CASE("parse_powershell_command_line: Empire launchers", "[cmdline]") {
  {
    const std::string line = "powershell -noP -sta -w 1 -enc  SQBmACgAJABQAFMAVgBlAHIA";
    const auto ps = parse_powershell_command_line(line);
    REQUIRE(ps);
    CHECK(ps->executable == "powershell");
    CHECK(ps->has_encoded_command);
    CHECK(ps->encoded_command == "SQBmACgAJABQAFMAVgBlAHIA");
    CHECK(ps->noprofile);
    CHECK(ps->sta);
    CHECK_FALSE(ps->mta);
    CHECK_FALSE(ps->noninteractive);
    CHECK(ps->window_style == "1");
    CHECK_FALSE(ps->has_command);
    CHECK(ps->unknown.empty());
    CHECK(payload(line, *ps) == "SQBmACgAJABQAFMAVgBlAHIA");
  }
  {
    const std::string line =
        R"("C:\windows\System32\WindowsPowerShell\v1.0\powershell.exe" -noP -sta -w 1 -enc SQBGACgA)";
    const auto ps = parse_powershell_command_line(line);
    REQUIRE(ps);
    CHECK(ps->executable == R"(C:\windows\System32\WindowsPowerShell\v1.0\powershell.exe)");
    CHECK(ps->encoded_command == "SQBGACgA");
    CHECK(ps->payload_end == line.size());
  }
  {
    // -Exec is a prefix of -ExecutionPolicy, -Enc of -EncodedCommand.
    const auto ps =
        parse_powershell_command_line("powershell.exe -NonI -W Hidden -NoP -Exec Bypass -Enc SQBm");
    REQUIRE(ps);
    CHECK(ps->noninteractive);
    CHECK(ps->noprofile);
    CHECK(ps->window_style == "Hidden");
    CHECK(ps->execution_policy == "Bypass");
    CHECK(ps->encoded_command == "SQBm");
    CHECK(ps->unknown.empty());
  }
}

TEST_CASE("parse_powershell_command_line: every prefix of -EncodedCommand", "[cmdline]") {
  const std::string name = "encodedcommand";
  for (std::size_t n = 1; n <= name.size(); ++n) {
    const std::string line = "powershell -" + name.substr(0, n) + " AAAA";
    INFO(line);
    const auto ps = parse_powershell_command_line(line);
    REQUIRE(ps);
    CHECK(ps->has_encoded_command);
    CHECK(ps->encoded_command == "AAAA");
    CHECK(ps->encoded_arguments.empty());
    CHECK(ps->unknown.empty());
  }
  for (const char* spelling : {"-EC", "-ec", "/enc", "/EncodedCommand", "--EncodedCommand", "--e",
                               "\xE2\x80\x93"
                               "enc",
                               "\xE2\x80\x94"
                               "EncodedCommand"}) {
    const std::string line = std::string("pwsh ") + spelling + " AAAA";
    INFO(line);
    const auto ps = parse_powershell_command_line(line);
    REQUIRE(ps);
    CHECK(ps->encoded_command == "AAAA");
  }
  // One letter too many is not EncodedCommand any more.
  const auto longer = parse_powershell_command_line("powershell -encodedcommandx AAAA");
  REQUIRE(longer);
  CHECK_FALSE(longer->has_encoded_command);
  CHECK(longer->unknown == Strings{"-encodedcommandx"});
  // -EncodedArguments needs "encodeda" (or "ea").
  const auto args = parse_powershell_command_line("powershell -encodeda QQA= -ea QgA= -enc AAAA");
  REQUIRE(args);
  CHECK(args->encoded_arguments == "QgA=");
  CHECK(args->encoded_command == "AAAA");
}

TEST_CASE("parse_powershell_command_line: -Command takes the rest of the line", "[cmdline]") {
  {
    const std::string line = R"x(powershell -c "IEX (1+1)" extra)x";
    const auto ps = parse_powershell_command_line(line);
    REQUIRE(ps);
    CHECK(ps->has_command);
    CHECK(ps->command == "IEX (1+1) extra");
    CHECK(payload(line, *ps) == R"x("IEX (1+1)" extra)x");
  }
  {
    const std::string line = R"x(powershell -c "IEX (1+1)")x";
    const auto ps = parse_powershell_command_line(line);
    REQUIRE(ps);
    CHECK(payload(line, *ps) == "IEX (1+1)");
  }
  {
    // Later arguments are never switches.
    const auto ps = parse_powershell_command_line("powershell -nop -c Write-Host -enc x -nol");
    REQUIRE(ps);
    CHECK(ps->command == "Write-Host -enc x -nol");
    CHECK_FALSE(ps->has_encoded_command);
    CHECK_FALSE(ps->nologo);
    CHECK(ps->noprofile);
  }
  {
    // A first argument that is not a parameter starts the command.
    const std::string line = "powershell Get-Process -Name x";
    const auto ps = parse_powershell_command_line(line);
    REQUIRE(ps);
    CHECK(ps->has_command);
    CHECK(ps->command == "Get-Process -Name x");
    CHECK(payload(line, *ps) == "Get-Process -Name x");
  }
  {
    // Covenant: -Window is a prefix of -WindowStyle.
    const std::string line =
        R"x("C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -Sta -Nop -Window Hidden -Command "sv o (New-Object IO.MemoryStream);sv d (New-Object IO.Compression.DeflateStream([IO.MemoryStream][Convert]::FromBase64String('7Vp9'),[IO.Compression.CompressionMode]::Decompress))")x";
    const auto ps = parse_powershell_command_line(line);
    REQUIRE(ps);
    CHECK(ps->sta);
    CHECK(ps->noprofile);
    CHECK(ps->window_style == "Hidden");
    CHECK(ps->command.rfind("sv o (New-Object IO.MemoryStream);sv d (", 0) == 0);
    CHECK(ps->command.back() == ')');
  }
  {
    // Metasploit: an unquoted command, joined back by single spaces.
    const auto ps = parse_powershell_command_line(
        R"x("powershell.exe" -noni -nop -w hidden -c &([scriptblock]::create((New-Object IO.StreamReader(New-Object IO.Compression.GzipStream((New-Object IO.MemoryStream(,[Convert]::FromBase64String('H4sI'))),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd())))x");
    REQUIRE(ps);
    CHECK(ps->executable == "powershell.exe");
    CHECK(ps->window_style == "hidden");
    CHECK(
        ps->command ==
        R"x(&([scriptblock]::create((New-Object IO.StreamReader(New-Object IO.Compression.GzipStream((New-Object IO.MemoryStream(,[Convert]::FromBase64String('H4sI'))),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd())))x");
  }
  {
    // -Command with nothing after it is no command.
    const auto ps = parse_powershell_command_line("powershell -nop -Command");
    REQUIRE(ps);
    CHECK_FALSE(ps->has_command);
    CHECK(ps->payload_begin == 0);
    CHECK(ps->payload_end == 0);
  }
}

TEST_CASE("parse_powershell_command_line: -c and -config, -f and other parameters", "[cmdline]") {
  {
    const auto ps =
        parse_powershell_command_line("powershell -config Microsoft.PowerShell32 -co Get-Date");
    REQUIRE(ps);
    CHECK(ps->configuration_name == "Microsoft.PowerShell32");
    CHECK(ps->command == "Get-Date");
  }
  {
    // "-con" is neither Command nor ConfigurationName.
    const auto ps = parse_powershell_command_line("powershell -con x");
    REQUIRE(ps);
    CHECK(ps->unknown == Strings{"-con"});
    CHECK(ps->configuration_name.empty());
    CHECK(ps->has_command);  // "x" is then the bare command
    CHECK(ps->command == "x");
  }
  {
    const auto ps = parse_powershell_command_line("powershell -ep bypass -f script.ps1 -enc x");
    REQUIRE(ps);
    CHECK(ps->execution_policy == "bypass");
    CHECK(ps->file == "script.ps1");
    CHECK_FALSE(ps->has_encoded_command);  // the script's own arguments
    CHECK_FALSE(ps->has_command);
  }
  {
    const auto ps = parse_powershell_command_line(
        "powershell -noe -nol -Mta -v 2 -inp Text -of XML -if XML -o Text -NonInteractive -c 1");
    REQUIRE(ps);
    CHECK(ps->noexit);
    CHECK(ps->nologo);
    CHECK(ps->mta);
    CHECK(ps->noninteractive);
    CHECK_FALSE(ps->noprofile);
    CHECK(ps->version == "2");
    CHECK(ps->input_format == "XML");
    CHECK(ps->output_format == "Text");
    CHECK(ps->command == "1");
    CHECK(ps->unknown.empty());
  }
  {
    // Too-short prefixes and unknown parameters are reported, not guessed.
    const auto ps = parse_powershell_command_line("powershell -no -non -mt -x /zz -enc AAAA");
    REQUIRE(ps);
    CHECK(ps->unknown == Strings{"-no", "-non", "-mt", "-x", "/zz"});
    CHECK_FALSE(ps->noprofile);
    CHECK_FALSE(ps->noninteractive);
    CHECK_FALSE(ps->mta);
    CHECK(ps->encoded_command == "AAAA");
  }
  {
    // Junk after the encoded command, and a missing value.
    const auto ps = parse_powershell_command_line("powershell -enc AAAA junk -nop");
    REQUIRE(ps);
    CHECK(ps->encoded_command == "AAAA");
    CHECK(ps->unknown == Strings{"junk"});
    CHECK(ps->noprofile);
    const auto missing = parse_powershell_command_line("powershell -nop -enc");
    REQUIRE(missing);
    CHECK_FALSE(missing->has_encoded_command);
    CHECK(missing->noprofile);
  }
  {
    // A quoted value: the payload span is inside the quotes.
    const std::string line = R"(pwsh -EncodedCommand "AAAA")";
    const auto ps = parse_powershell_command_line(line);
    REQUIRE(ps);
    CHECK(ps->executable == "pwsh");
    CHECK(payload(line, *ps) == "AAAA");
  }
}

TEST_CASE("parse_powershell_command_line: not PowerShell, empty and truncated", "[cmdline]") {
  CHECK_FALSE(parse_powershell_command_line(""));
  CHECK_FALSE(parse_powershell_command_line("   "));
  CHECK_FALSE(parse_powershell_command_line("cmd.exe /c powershell -enc AAAA"));
  CHECK_FALSE(parse_powershell_command_line("powershell_ise.exe -enc AAAA"));
  const auto bare = parse_powershell_command_line("powershell");
  REQUIRE(bare);
  CHECK_FALSE(bare->has_command);
  CHECK_FALSE(bare->has_encoded_command);
  // Cut in the middle of a quote: the open quote runs to the end.
  const std::string cut = R"(powershell -nop -c "IEX (New-Object Net.WebClient).Downlo)";
  const auto ps = parse_powershell_command_line(cut);
  REQUIRE(ps);
  CHECK(ps->command == "IEX (New-Object Net.WebClient).Downlo");
  CHECK(payload(cut, *ps) == "IEX (New-Object Net.WebClient).Downlo");
  // The schtasks /TR value after unwrapping.
  const auto tr = parse_powershell_command_line(
      R"x(C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe -NonI -W hidden -c "IEX ([Text.Encoding]::UNICODE.GetString([Convert]::FromBase64String((gp HKCU:\Software\Microsoft\Windows\CurrentVersion debug).debug)))")x");
  REQUIRE(tr);
  CHECK(tr->has_command);
  CHECK(
      tr->command ==
      R"x(IEX ([Text.Encoding]::UNICODE.GetString([Convert]::FromBase64String((gp HKCU:\Software\Microsoft\Windows\CurrentVersion debug).debug))))x");
}

TEST_CASE("find_powershell_invocation: embedded command lines", "[cmdline]") {
  const std::string mshta =
      R"x(mshta.exe vbscript:Execute("CreateObject(""Wscript.Shell"").Run ""powershell -nop -enc AAAA"",0:close"))x";
  const auto at = find_powershell_invocation(mshta);
  REQUIRE(at);
  CHECK(mshta.substr(*at, 20) == "powershell -nop -enc");
  const auto ps = parse_powershell_command_line(std::string_view(mshta).substr(*at));
  REQUIRE(ps);
  CHECK(ps->noprofile);
  CHECK(ps->has_encoded_command);

  // A quoted path: the invocation starts at the quote, so that it splits back.
  const std::string quoted =
      R"(x "C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -e A)";
  REQUIRE(find_powershell_invocation(quoted) == std::optional<std::size_t>(2));
  const auto qps = parse_powershell_command_line(std::string_view(quoted).substr(2));
  REQUIRE(qps);
  CHECK(qps->encoded_command == "A");

  CHECK(find_powershell_invocation(
            R"(cmd /c C:\Windows\System32\WindowsPowershell\v1.0\powershell -noP)") ==
        std::optional<std::size_t>(7));
  // A quoted path with a blank in it.
  const std::string spaced = R"x(a "C:\Program Files\PowerShell\7\pwsh.exe" -c Get-Date)x";
  REQUIRE(find_powershell_invocation(spaced) == std::optional<std::size_t>(2));
  const auto sps = parse_powershell_command_line(std::string_view(spaced).substr(2));
  REQUIRE(sps);
  CHECK(sps->executable == R"(C:\Program Files\PowerShell\7\pwsh.exe)");
  CHECK(sps->command == "Get-Date");
  CHECK(find_powershell_invocation("\"powershell\" -c 1") == std::optional<std::size_t>(0));
  CHECK(find_powershell_invocation("powershell") == std::optional<std::size_t>(0));
  CHECK(find_powershell_invocation("PWSH.EXE -c 1") == std::optional<std::size_t>(0));
  CHECK(find_powershell_invocation("x&powershell -c 1") == std::optional<std::size_t>(2));
  CHECK(find_powershell_invocation("x(powershell -c 1)") == std::optional<std::size_t>(2));
  CHECK(find_powershell_invocation("$b='powershell.exe'") == std::optional<std::size_t>(4));
  CHECK(find_powershell_invocation("a\tpwsh") == std::optional<std::size_t>(2));

  CHECK_FALSE(find_powershell_invocation(""));
  CHECK_FALSE(find_powershell_invocation("notepowershell -c 1"));
  CHECK_FALSE(find_powershell_invocation("powershell_ise.exe"));
  CHECK_FALSE(find_powershell_invocation("powershell.exe.config"));
  CHECK_FALSE(find_powershell_invocation("powershell(1)"));
  CHECK_FALSE(find_powershell_invocation(R"(C:\Windows\System32\WindowsPowerShell\v1.0\)"));
  CHECK_FALSE(find_powershell_invocation("x=powershell"));
}
