#include "ioc/cmdline/wrappers.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "ioc/cmdline/powershell_args.hpp"

using ioc::cmdline::find_powershell_invocation;
using ioc::cmdline::parse_powershell_command_line;
using ioc::cmdline::remove_caret_escapes;
using ioc::cmdline::unwrap_command_line;

namespace {

using Strings = std::vector<std::string>;

const std::string kPs = R"(C:\Windows\System32\WindowsPowershell\v1.0\powershell)";

}  // namespace

TEST_CASE("unwrap_command_line: cmd and start, as logged", "[cmdline]") {
  {
    // smbexec: nested, with outer quotes.
    const auto u = unwrap_command_line("%COMSPEC% /C \"%COMSPEC% /C start /b " + kPs +
                                       " -noP -sta -w 1 -enc  SQBGACgA\"");
    CHECK(u.command == kPs + " -noP -sta -w 1 -enc  SQBGACgA");
    CHECK(u.wrappers == Strings{"cmd", "cmd", "start"});
    CHECK_FALSE(u.persistence);
    CHECK(u.warnings.empty());
  }
  {
    // Splunk-escaped %%COMSPEC%% under a quoted cmd.exe path.
    const auto u =
        unwrap_command_line(R"("C:\Windows\System32\cmd.exe" /c %%COMSPEC%% /C start /b )" + kPs +
                            " -noP -sta -w 1 -enc  SQBG");
    CHECK(u.command == kPs + " -noP -sta -w 1 -enc  SQBG");
    CHECK(u.wrappers == Strings{"cmd", "cmd", "start"});
  }
  {
    // A service ImagePath.
    const auto u =
        unwrap_command_line("%COMSPEC% /C start /b " + kPs + " -noP -sta -w 1 -enc  SQBm");
    CHECK(u.command == kPs + " -noP -sta -w 1 -enc  SQBm");
    CHECK(u.wrappers == Strings{"cmd", "start"});
    const auto ps = parse_powershell_command_line(u.command);
    REQUIRE(ps);
    CHECK(ps->encoded_command == "SQBm");
  }
  {
    // Metasploit: cmd /b /c, start /b /min, a -c command with quotes left alone.
    const std::string inner =
        R"x(powershell.exe -nop -w hidden -noni -c "if([IntPtr]::Size -eq 4){$b='powershell.exe'}else{$b=$env:windir+'\syswow64\WindowsPowerShell\v1.0\powershell.exe'};$s.Arguments='-noni -nop -w hidden -c &([scriptblock]::create(1))';")x";
    const auto u = unwrap_command_line("%COMSPEC% /b /c start /b /min " + inner);
    CHECK(u.command == inner);
    CHECK(u.wrappers == Strings{"cmd", "start"});
    const auto ps = parse_powershell_command_line(u.command);
    REQUIRE(ps);
    CHECK(ps->command.rfind("if([IntPtr]::Size -eq 4){$b='powershell.exe'}", 0) == 0);
  }
  {
    const auto u = unwrap_command_line(R"(cmd.exe /c "powershell -e AAAA")");
    CHECK(u.command == "powershell -e AAAA");
    CHECK(u.wrappers == Strings{"cmd"});
  }
  {
    // cmd strips only the outer pair of quotes, level by level.
    const auto u = unwrap_command_line(R"(cmd /C "cmd /C "powershell -enc AAAA"")");
    CHECK(u.command == "powershell -enc AAAA");
    CHECK(u.wrappers == Strings{"cmd", "cmd"});
    const auto one = unwrap_command_line(R"(cmd /C "cmd /C "powershell -enc AAAA"")", 1);
    CHECK(one.command == R"(cmd /C "powershell -enc AAAA")");
    CHECK(one.wrappers == Strings{"cmd"});
    CHECK(one.warnings == Strings{"depth limit"});
  }
}

TEST_CASE("unwrap_command_line: cmd switches and quoting rules", "[cmdline]") {
  CHECK(unwrap_command_line("cmd /q /d /e:on /v:off /c powershell -enc AAAA").command ==
        "powershell -enc AAAA");
  CHECK(unwrap_command_line("cmd /K powershell -enc AAAA").wrappers == Strings{"cmd"});
  CHECK(unwrap_command_line("CMD.EXE /C powershell -enc AAAA").command == "powershell -enc AAAA");
  CHECK(unwrap_command_line("cmd /cpowershell -enc AAAA").command == "powershell -enc AAAA");
  CHECK(unwrap_command_line(R"(cmd /c"powershell -enc AAAA")").command == "powershell -enc AAAA");
  CHECK(unwrap_command_line("cmd.exe/c powershell -enc AAAA").wrappers == Strings{"cmd"});
  CHECK(unwrap_command_line(R"(C:\Windows\System32\cmd.exe/c powershell -e A)").command ==
        "powershell -e A");
  // Text after the last quote stays.
  CHECK(unwrap_command_line(R"(cmd /c "powershell -enc AAAA" & exit)").command ==
        "powershell -enc AAAA & exit");
  // Rule 1: two quotes around an executable with a blank in its name are kept...
  CHECK(unwrap_command_line(R"(cmd /c "C:\Program Files\App\app.exe")").command ==
        R"("C:\Program Files\App\app.exe")");
  // ... but not with /S.
  CHECK(unwrap_command_line(R"(cmd /s /c "C:\Program Files\App\app.exe")").command ==
        R"(C:\Program Files\App\app.exe)");
  // No /c or /k: cmd is the command itself.
  const auto plain = unwrap_command_line("cmd.exe");
  CHECK(plain.command == "cmd.exe");
  CHECK(plain.wrappers.empty());
  CHECK(unwrap_command_line("cmd /q").wrappers.empty());
  CHECK(unwrap_command_line("cmd /c   ").wrappers.empty());
}

TEST_CASE("unwrap_command_line: caret escapes", "[cmdline]") {
  {
    const auto u = unwrap_command_line("cmd /c po^wer^shell -en^c AAAA");
    CHECK(u.command == "powershell -enc AAAA");
    CHECK(u.wrappers == Strings{"cmd"});
  }
  {
    // As typed at a prompt: the program name has carets.
    const auto u = unwrap_command_line("po^wer^shell -en^c AAAA");
    CHECK(u.command == "powershell -enc AAAA");
    CHECK(u.wrappers.empty());
    const auto ps = parse_powershell_command_line(u.command);
    REQUIRE(ps);
    CHECK(ps->encoded_command == "AAAA");
  }
  // Inside quotes a caret is literal.
  CHECK(unwrap_command_line(R"(cmd /c powershell -c "a^b" c^d)").command ==
        R"(powershell -c "a^b" cd)");
  CHECK(unwrap_command_line(R"(powershell -c "a^b" c^d)").command == R"(powershell -c "a^b" c^d)");
}

TEST_CASE("unwrap_command_line: start", "[cmdline]") {
  {
    const auto u = unwrap_command_line(R"(cmd /c start "" /min powershell -enc AAAA)");
    CHECK(u.command == "powershell -enc AAAA");
    CHECK(u.wrappers == Strings{"cmd", "start"});
  }
  CHECK(unwrap_command_line(R"(start /d C:\Temp /affinity 3 /WAIT /high powershell -enc A)")
            .command == "powershell -enc A");
  CHECK(unwrap_command_line(R"(start "title" "C:\x\powershell.exe" -enc A)").command ==
        R"("C:\x\powershell.exe" -enc A)");
  // Only a title: start opens a console, there is nothing to peel.
  const auto title_only = unwrap_command_line(R"(start "powershell -enc A")");
  CHECK(title_only.wrappers.empty());
  CHECK(title_only.command == R"(start "powershell -enc A")");
}

TEST_CASE("unwrap_command_line: schtasks", "[cmdline]") {
  {
    const auto u = unwrap_command_line(
        R"x("C:\windows\system32\schtasks.exe" /Create /F /SC DAILY /ST 09:00 /TN MordorSchtask /TR "C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe -NonI -W hidden -c \"IEX ([Text.Encoding]::UNICODE.GetString([Convert]::FromBase64String((gp HKCU:\Software\Microsoft\Windows\CurrentVersion debug).debug)))\"")x");
    CHECK(
        u.command ==
        R"x(C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe -NonI -W hidden -c "IEX ([Text.Encoding]::UNICODE.GetString([Convert]::FromBase64String((gp HKCU:\Software\Microsoft\Windows\CurrentVersion debug).debug)))")x");
    CHECK(u.wrappers == Strings{"schtasks"});
    REQUIRE(u.persistence);
    CHECK(u.persistence->mechanism == "schtasks");
    CHECK(u.persistence->task_name == "MordorSchtask");
    CHECK(u.persistence->schedule == "DAILY");
    CHECK(u.persistence->start_time == "09:00");
    CHECK(u.persistence->run_as.empty());
    CHECK(u.warnings.empty());
    const auto ps = parse_powershell_command_line(u.command);
    REQUIRE(ps);
    CHECK(ps->has_command);
    CHECK(ps->noninteractive);
    CHECK(ps->window_style == "hidden");
    CHECK(
        ps->command ==
        R"x(IEX ([Text.Encoding]::UNICODE.GetString([Convert]::FromBase64String((gp HKCU:\Software\Microsoft\Windows\CurrentVersion debug).debug))))x");
  }
  {
    // BOTSv2: run as system.
    const auto u = unwrap_command_line(
        R"x(schtasks.exe /Create /F /RU system /SC DAILY /ST 10:51 /TN Updater /TR "powershell.exe -NonI -W hidden -c \"IEX (1)\"")x");
    CHECK(u.command == R"x(powershell.exe -NonI -W hidden -c "IEX (1)")x");
    REQUIRE(u.persistence);
    CHECK(u.persistence->run_as == "system");
    CHECK(u.persistence->task_name == "Updater");
    CHECK(u.persistence->start_time == "10:51");
  }
  {
    const auto u = unwrap_command_line(
        R"(schtasks /create /sc minute /mo 5 /tn T /tr "cmd /c powershell -enc AAAA")");
    CHECK(u.command == "powershell -enc AAAA");
    CHECK(u.wrappers == Strings{"schtasks", "cmd"});
    REQUIRE(u.persistence);
    CHECK(u.persistence->schedule == "minute /MO 5");
    const auto weekly =
        unwrap_command_line(R"(schtasks /create /sc WEEKLY /d MON /tn T /tr "powershell -e A")");
    REQUIRE(weekly.persistence);
    CHECK(weekly.persistence->schedule == "WEEKLY /D MON");
  }
  // Without /Create and /TR nothing is peeled.
  CHECK(unwrap_command_line("schtasks /Run /TN Updater").wrappers.empty());
  CHECK(unwrap_command_line("schtasks /Create /TN Updater /XML x.xml").wrappers.empty());
  CHECK_FALSE(unwrap_command_line("schtasks /Create /TN Updater /TR").persistence);
}

TEST_CASE("unwrap_command_line: reg add Run key and sc create", "[cmdline]") {
  {
    const auto u = unwrap_command_line(
        R"(reg add HKCU\Software\Microsoft\Windows\CurrentVersion\Run /v Updater /t REG_SZ /d "powershell -w hidden -enc AAAA" /f)");
    CHECK(u.command == "powershell -w hidden -enc AAAA");
    CHECK(u.wrappers == Strings{"reg"});
    REQUIRE(u.persistence);
    CHECK(u.persistence->mechanism == "run_key");
    CHECK(u.persistence->key == R"(HKCU\Software\Microsoft\Windows\CurrentVersion\Run)");
    CHECK(u.persistence->value_name == "Updater");
  }
  CHECK(
      unwrap_command_line(
          R"(REG.exe ADD HKLM\Software\Microsoft\Windows\CurrentVersion\RunOnce\ /d "powershell -e A" /f)")
          .command == "powershell -e A");
  // Not a Run key, or no data: not a wrapper.
  CHECK(
      unwrap_command_line(R"(reg add HKCU\Software\X /v a /d "powershell -e A")").wrappers.empty());
  CHECK(unwrap_command_line(R"(reg add HKCU\Software\Microsoft\Windows\CurrentVersion\Run /v a)")
            .wrappers.empty());
  CHECK(unwrap_command_line(R"(reg query HKCU\Software\Microsoft\Windows\CurrentVersion\Run)")
            .wrappers.empty());
  {
    const auto u =
        unwrap_command_line(R"(sc create Svc binPath= "%COMSPEC% /c powershell -enc AAAA")");
    CHECK(u.command == "powershell -enc AAAA");
    CHECK(u.wrappers == Strings{"sc", "cmd"});
    REQUIRE(u.persistence);
    CHECK(u.persistence->mechanism == "service");
    CHECK(u.persistence->task_name == "Svc");
  }
  {
    const auto u =
        unwrap_command_line(R"(sc.exe \\host config Svc start= auto binpath="powershell -e A")");
    CHECK(u.command == "powershell -e A");
    REQUIRE(u.persistence);
    CHECK(u.persistence->task_name == "Svc");
  }
  CHECK(unwrap_command_line("sc start Svc").wrappers.empty());
}

TEST_CASE("unwrap_command_line: script hosts", "[cmdline]") {
  {
    const auto u = unwrap_command_line(
        R"x("c:\windows\system32\wscript.exe" /E:vbs c:\windows\temp\icon.ico "powershell -exec bypass -c ""IEX ([System.Text.Encoding]::ASCII.GetString([System.Convert]::FromBase64String('JFhYPU')))""")x");
    CHECK(
        u.command ==
        R"x(powershell -exec bypass -c "IEX ([System.Text.Encoding]::ASCII.GetString([System.Convert]::FromBase64String('JFhYPU')))")x");
    CHECK(u.wrappers == Strings{"wscript"});
    const auto ps = parse_powershell_command_line(u.command);
    REQUIRE(ps);
    CHECK(ps->execution_policy == "bypass");
    CHECK(ps->command ==
          "IEX ([System.Text.Encoding]::ASCII.GetString([System.Convert]::FromBase64String('"
          "JFhYPU')))");
  }
  CHECK(unwrap_command_line("cscript //nologo x.js powershell -enc AAAA").command ==
        "powershell -enc AAAA");
  {
    // mshta's VBScript is not an argument that starts a program: unwrap leaves
    // it, find_powershell_invocation finds the command inside.
    const std::string mshta =
        R"x(mshta.exe vbscript:Execute("CreateObject(""Wscript.Shell"").Run ""powershell -nop -enc AAAA"",0:close"))x";
    const auto u = unwrap_command_line(mshta);
    CHECK(u.command == mshta);
    CHECK(u.wrappers.empty());
    const auto at = find_powershell_invocation(u.command);
    REQUIRE(at);
    CHECK(mshta.substr(*at).rfind("powershell -nop -enc AAAA", 0) == 0);
  }
  CHECK(unwrap_command_line(R"(mshta.exe "cmd /c powershell -e A")").wrappers ==
        Strings{"mshta", "cmd"});
}

TEST_CASE("unwrap_command_line: odd input", "[cmdline]") {
  {
    const auto u = unwrap_command_line("");
    CHECK(u.command.empty());
    CHECK(u.wrappers.empty());
    CHECK(u.warnings.empty());
  }
  {
    const auto u = unwrap_command_line(" \t\r\n ");
    CHECK(u.command.empty());
    CHECK(u.wrappers.empty());
  }
  CHECK(unwrap_command_line("  notepad.exe x.txt \r\n").command == "notepad.exe x.txt");
  {
    // Cut in the middle of a quote.
    const auto u = unwrap_command_line("%COMSPEC% /C \"%COMSPEC% /C start /b powershell -enc AA");
    CHECK(u.command == "powershell -enc AA");
    CHECK(u.wrappers == Strings{"cmd", "cmd", "start"});
    CHECK(u.warnings == Strings{"unterminated quote"});
  }
  CHECK(unwrap_command_line(R"x(powershell -c "IEX (1)")x").warnings.empty());
  CHECK(unwrap_command_line(R"x(powershell -c "IEX (1)x").warnings ==
        Strings{"unterminated quote"});
  {
    // Depth is bounded.
    std::string line = "powershell -enc AAAA";
    for (int i = 0; i < 40; ++i) line = "cmd /c " + line;
    const auto u = unwrap_command_line(line);
    CHECK(u.wrappers.size() == 16);
    CHECK(u.warnings == Strings{"depth limit"});
    CHECK(u.command.rfind("cmd /c ", 0) == 0);
    const auto all = unwrap_command_line(line, 40);
    CHECK(all.command == "powershell -enc AAAA");
    CHECK(all.warnings.empty());
    const auto none = unwrap_command_line(line, 0);
    CHECK(none.wrappers.empty());
    CHECK(none.command == line);
    CHECK(none.warnings == Strings{"depth limit"});
  }
}

TEST_CASE("remove_caret_escapes: outside quotes only", "[cmdline]") {
  CHECK(remove_caret_escapes("po^wer^shell") == "powershell");
  CHECK(remove_caret_escapes("a^^b") == "a^b");
  CHECK(remove_caret_escapes("a^") == "a");
  CHECK(remove_caret_escapes("^") == "");
  CHECK(remove_caret_escapes("") == "");
  CHECK(remove_caret_escapes(R"("a^b" c^d)") == R"("a^b" cd)");
  // An escaped quote does not open a quoted part.
  CHECK(remove_caret_escapes(R"(^"a^b)") == R"("ab)");
  CHECK(remove_caret_escapes("e^c^h^o ^& x") == "echo & x");
}

TEST_CASE("unwrap_command_line: real command lines from the corpus", "[cmdline]") {
  std::ifstream in;
  for (const char* path : {IOC_SOURCE_DIR "/../shared/corpus/psdecode/real-cmdlines.jsonl",
                           IOC_SOURCE_DIR "/shared/corpus/psdecode/real-cmdlines.jsonl"}) {
    in.open(path);
    if (in) break;
    in.clear();
  }
  if (!in.is_open()) {
    WARN("real-cmdlines.jsonl not found: skipped");
    return;
  }
  std::string line;
  int with_powershell = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto record = nlohmann::json::parse(line, nullptr, false);
    REQUIRE_FALSE(record.is_discarded());
    const std::string cmdline = record.value("cmdline", "");
    INFO(record.value("id", ""));
    if (!find_powershell_invocation(cmdline)) continue;
    ++with_powershell;
    const auto u = unwrap_command_line(cmdline);
    CHECK(u.warnings.empty());
    const auto ps = parse_powershell_command_line(u.command);
    REQUIRE(ps);
    CHECK((ps->has_encoded_command || ps->has_command));
    CHECK(ps->unknown.empty());
    CHECK(ps->payload_begin < ps->payload_end);
    CHECK(ps->payload_end <= u.command.size());
  }
  CHECK(with_powershell == 20);  // all but a bare base64 value and a script block
}
