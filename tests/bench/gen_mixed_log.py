#!/usr/bin/env python3
"""Deterministic mixed log for iocgrep benchmarks and tests.

Writes about --mb megabytes of lines like the ones analysts feed iocgrep: web
access logs, Squid proxy lines, iptables firewall lines, mail headers, Sysmon
process-creation events as JSON, report prose with defanged indicators, base64
blobs and hash lists. The same --seed always gives the same bytes.

    python3 tests/bench/gen_mixed_log.py --mb 100 --seed 1 > /tmp/mixed.log
"""
import argparse
import base64
import hashlib
import random
import sys

TLDS = ["com", "net", "org", "ru", "io", "info", "xyz", "top", "de", "co.uk", "cn", "biz"]
WORDS = ("update cdn static mail portal secure login api files cloud data sync news "
         "office live service app host web auth store media img").split()
UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/118.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
    "curl/7.88.1",
    "Microsoft-CryptoAPI/10.0",
]
PROSE = ("The actor staged payloads on {d} and beaconed to {ip} over TCP/443. Analysts "
         "observed callbacks to hxxps://{dd}/{w}/{w2}.php and e-mail from {u}[@]{dd2}. "
         "The dropper (SHA256 {h}) was built with version 10.0.19041.1 tooling.")


def rnd_ip(r: random.Random) -> str:
    return ".".join(str(r.randrange(1, 255)) for _ in range(4))


def rnd_domain(r: random.Random) -> str:
    return f"{r.choice(WORDS)}{r.randrange(100)}.{r.choice(WORDS)}.{r.choice(TLDS)}"


def defang(d: str) -> str:
    return d.replace(".", "[.]")


def line(r: random.Random, n: int) -> str:
    kind = r.randrange(10)
    ip, dom = rnd_ip(r), rnd_domain(r)
    if kind in (0, 1):
        return (f'{ip} - - [22/Aug/2017:23:{n % 60:02d}:{n % 59:02d} +0000] "GET /{r.choice(WORDS)}/'
                f'{r.choice(WORDS)}.php?id={n} HTTP/1.1" 200 {r.randrange(99999)} '
                f'"http://{dom}/" "{r.choice(UAS)}"')
    if kind == 2:
        return (f"1503443{n % 1000:03d}.118 {r.randrange(2000)} 10.0.{r.randrange(8)}.{r.randrange(255)}"
                f" TCP_MISS/200 {r.randrange(9999)} GET https://{dom}/{r.choice(WORDS)} - "
                f'HIER_DIRECT/{ip} text/html "{r.choice(UAS)}"')
    if kind == 3:
        return (f"Aug 22 23:21:{n % 60:02d} fw01 kernel: ACCEPT IN=eth1 OUT=eth0 "
                f"SRC=10.0.{r.randrange(8)}.{r.randrange(255)} DST={ip} PROTO=TCP "
                f"SPT={r.randrange(1024, 65535)} DPT={r.choice([80, 443, 8080])}")
    if kind == 4:
        return (f"Received: from {dom} ({dom} [{ip}]) by mx.example.org with ESMTPS id "
                f"{r.randrange(16**10):010x}; From: <{r.choice(WORDS)}@{dom}>")
    if kind == 5:
        guid = "{%08X-%04X-%04X-%04X-%012X}" % (r.randrange(16**8), r.randrange(16**4),
                                               r.randrange(16**4), r.randrange(16**4),
                                               r.randrange(16**12))
        return ('{"EventID":1,"Hostname":"wrk-%d.corp.local","ProcessGuid":"%s",'
                '"Image":"C:\\\\Windows\\\\System32\\\\cmd.exe","CommandLine":"cmd.exe /c ping -n 1 %s",'
                '"Hashes":"SHA256=%s"}' % (n % 50, guid, ip,
                                           hashlib.sha256(str(n).encode()).hexdigest().upper()))
    if kind == 6:
        return PROSE.format(d=defang(dom), ip=ip.replace(".", "[.]", 1), dd=defang(rnd_domain(r)),
                            w=r.choice(WORDS), w2=r.choice(WORDS), u=r.choice(WORDS),
                            dd2=defang(rnd_domain(r)),
                            h=hashlib.sha256(str(n).encode()).hexdigest())
    if kind == 7:
        blob = bytes(r.randrange(256) for _ in range(r.randrange(60, 240)))
        return "blob=" + base64.b64encode(blob).decode()
    if kind == 8:
        s = str(n).encode()
        return (f"{hashlib.md5(s).hexdigest()}  {hashlib.sha1(s).hexdigest()}  "
                f"sample_{n}.exe")
    return (f"2017-08-22T23:21:{n % 60:02d}Z INFO worker[{r.randrange(9999)}]: processed "
            f"{r.randrange(100000)} items in {r.random():.3f}s (queue={r.choice(WORDS)})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0, help="approximate size in MB")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    r = random.Random(args.seed)
    target = int(args.mb * 1_000_000)
    written = 0
    n = 0
    out = sys.stdout
    chunk = []
    while written < target:
        s = line(r, n) + "\n"
        chunk.append(s)
        written += len(s.encode())
        n += 1
        if len(chunk) >= 4096:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))


if __name__ == "__main__":
    main()
