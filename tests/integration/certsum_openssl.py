#!/usr/bin/env python3
"""certsum against `openssl x509` on the same files.

Generates certificates with the openssl CLI (an Empire-default one with
`-subj "/C=US"`, an EC leaf with SANs, zero and large serials), takes every
file of samples/certs/ and, when present, of ../shared/corpus/certs/, and checks
that certsum's subject, issuer (RFC 2253 and oneline), serial, digests and
validity dates equal what openssl prints, and that the Empire-default
certificate is flagged.

    tests/integration/certsum_openssl.py --bin build/debug/tools
"""
import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "certs"


def openssl(*args, stdin=None):
    p = subprocess.run(["openssl", *args], input=stdin, capture_output=True)
    return p.returncode, p.stdout.decode(errors="replace")


def pem_blocks(path: Path):
    """The certificates of a file, each as PEM (openssl reads one at a time)."""
    data = path.read_bytes()
    if b"-----BEGIN CERTIFICATE-----" in data:
        text = data.decode(errors="replace")
        out, rest = [], text
        while "-----BEGIN CERTIFICATE-----" in rest:
            start = rest.index("-----BEGIN CERTIFICATE-----")
            end = rest.index("-----END CERTIFICATE-----", start) + len("-----END CERTIFICATE-----")
            out.append(rest[start:end] + "\n")
            rest = rest[end:]
        return out
    rc, pem = openssl("x509", "-inform", "DER", "-in", str(path))
    return [pem] if rc == 0 else []


def field(out: str, key: str) -> str:
    for line in out.splitlines():
        if line.startswith(key + "="):
            return line[len(key) + 1:]  # keep trailing spaces: RFC 2253 escapes them
    return ""


def iso(openssl_date: str) -> str:
    return dt.datetime.strptime(openssl_date, "%b %d %H:%M:%S %Y GMT").strftime("%Y-%m-%dT%H:%M:%SZ")


def expected(pem: str) -> dict:
    rc, rfc = openssl("x509", "-noout", "-subject", "-issuer", "-serial", "-startdate", "-enddate",
                      "-nameopt", "RFC2253", stdin=pem.encode())
    if rc != 0:
        return {}
    _, one = openssl("x509", "-noout", "-subject", "-issuer", "-nameopt", "oneline",
                     stdin=pem.encode())
    want = {
        "subject": field(rfc, "subject"),
        "issuer": field(rfc, "issuer"),
        "serial_hex": field(rfc, "serial"),
        "not_before": iso(field(rfc, "notBefore")),
        "not_after": iso(field(rfc, "notAfter")),
        "subject_oneline": field(one, "subject"),
        "issuer_oneline": field(one, "issuer"),
    }
    for algo in ("md5", "sha1", "sha256"):
        _, fp = openssl("x509", "-noout", "-fingerprint", "-" + algo, stdin=pem.encode())
        want[algo] = fp.split("=", 1)[1].strip().replace(":", "") if "=" in fp else ""
    return want


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", type=Path, required=True)
    args = ap.parse_args()
    certsum = str((args.bin / "certsum").resolve())
    failures = 0
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        gen = [
            ("empire.pem", ["req", "-new", "-x509", "-nodes", "-subj", "/C=US", "-newkey", "rsa:2048",
                            "-days", "365"]),
            ("ec-leaf.pem", ["req", "-new", "-x509", "-nodes", "-subj", "/CN=www.example.org/O=Test",
                             "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-days", "90",
                             "-addext", "subjectAltName=DNS:www.example.org,IP:192.0.2.1,"
                                        "IP:2001:db8::1,email:a@example.org,URI:https://example.org/"]),
            ("zero-serial.pem", ["req", "-new", "-x509", "-nodes", "-subj", "/CN=zero", "-newkey",
                                 "rsa:2048", "-days", "30", "-set_serial", "0"]),
            ("big-serial.pem", ["req", "-new", "-x509", "-nodes", "-subj", "/CN=big", "-newkey",
                                "rsa:2048", "-days", "30", "-set_serial",
                                "0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"]),
        ]
        for name, cmd in gen:
            rc, _ = openssl(*cmd, "-keyout", str(t / (name + ".key")), "-out", str(t / name))
            if rc != 0:
                print(f"FAIL could not generate {name} with openssl")
                failures += 1
        files = sorted(t.glob("*.pem")) + sorted((ROOT / "samples" / "certs").glob("*.pem")) + \
            sorted((ROOT / "samples" / "certs").glob("*.der"))
        if CORPUS.is_dir():
            files += sorted(p for p in CORPUS.iterdir() if p.is_file())
        else:
            print(f"skip corpus: {CORPUS} is absent")
        for path in files:
            p = subprocess.run([certsum, "-f", "jsonl", "--now", "2020-01-01", str(path)],
                               capture_output=True, text=True)
            records = [json.loads(line) for line in p.stdout.splitlines()]
            pems = pem_blocks(path)
            if len(records) != len(pems):
                print(f"FAIL {path.name}: certsum gave {len(records)} records, openssl "
                      f"{len(pems)} certificates ({p.stderr.strip()})")
                failures += 1
                continue
            for rec, pem in zip(records, pems):
                want = expected(pem)
                if not want:
                    print(f"note {path.name}: openssl x509 cannot read it; not compared")
                    continue
                checked += 1
                for key, value in want.items():
                    if rec.get(key) != value:
                        print(f"FAIL {path.name}#{rec.get('index')}: {key}: certsum "
                              f"{rec.get(key)!r}, openssl {value!r}")
                        failures += 1
        empire = subprocess.run([certsum, "-f", "jsonl", str(t / "empire.pem")],
                                capture_output=True, text=True).stdout
        if not empire or "empire_default" not in [f["id"] for f in json.loads(empire)["flags"]]:
            print("FAIL the openssl-made Empire-default certificate is not flagged empire_default")
            failures += 1
    print(f"certsum_openssl: {checked} certificates compared with openssl, {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
