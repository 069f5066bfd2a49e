#!/usr/bin/env python3
"""certsum --connect against TLS servers this test starts on loopback.

The certificate is made with the openssl CLI (an Empire-default one,
`-subj "/C=US"`); the servers are Python's ssl module: plain TLS (IPv4, and
IPv6 when the machine has ::1), SMTP, IMAP and FTP with STARTTLS, and one that
accepts and then says nothing (for --timeout). Checks the fetched chain's SHA-1
against openssl's, the empire_default flag, the SNI the server saw, the
STARTTLS dialogues, a refused connection and the timeout.

    tests/integration/certsum_connect.py --bin build/debug/tools
"""
import argparse
import json
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


class Server:
    """A loopback server running `handler(conn)` for each connection."""

    def __init__(self, family, handler):
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("::1" if family == socket.AF_INET6 else "127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.handler = handler
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn):
        try:
            self.handler(conn)
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", type=Path, required=True)
    args = ap.parse_args()
    certsum = str((args.bin / "certsum").resolve())
    failures = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        cert, key = Path(tmp) / "c.pem", Path(tmp) / "k.pem"
        subprocess.run(["openssl", "req", "-new", "-x509", "-nodes", "-subj", "/C=US", "-newkey",
                        "rsa:2048", "-days", "365", "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True)
        fp = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha1", "-in", str(cert)],
                            check=True, capture_output=True, text=True).stdout
        want_sha1 = fp.split("=", 1)[1].strip().replace(":", "")

        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(cert), str(key))
        seen_sni = []
        ctx.sni_callback = lambda sock, name, c: seen_sni.append(name)

        def tls(conn):
            s = ctx.wrap_socket(conn, server_side=True)
            s.recv(1)

        def lines(conn, greeting, replies):
            """Send the greeting, answer each command line, then TLS."""
            conn.sendall(greeting)
            f = conn.makefile("rb")
            for reply in replies:
                f.readline()
                conn.sendall(reply)
            tls(conn)

        servers = {
            "tls": Server(socket.AF_INET, tls),
            "smtp": Server(socket.AF_INET, lambda c: lines(
                c, b"220-mx.example ESMTP\r\n220 ready\r\n",
                [b"250-mx.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n", b"220 go ahead\r\n"])),
            "imap": Server(socket.AF_INET, lambda c: lines(
                c, b"* OK IMAP4rev1 ready\r\n", [b"a1 OK Begin TLS negotiation now\r\n"])),
            "ftp": Server(socket.AF_INET, lambda c: lines(
                c, b"220 FTP ready\r\n", [b"234 AUTH TLS successful\r\n"])),
            "smtp-refuses": Server(socket.AF_INET, lambda c: lines(
                c, b"220 ready\r\n", [b"250 mx.example\r\n", b"502 not here\r\n"])),
            "silent": Server(socket.AF_INET, lambda c: time.sleep(3)),
        }

        def fetch(*extra):
            p = subprocess.run([certsum, "-f", "jsonl", *extra], capture_output=True, text=True,
                               timeout=60)
            return p.returncode, [json.loads(l) for l in p.stdout.splitlines()], p.stderr

        rc, recs, err = fetch("--connect", f"127.0.0.1:{servers['tls'].port}")
        check(rc == 0 and len(recs) == 1 and recs[0]["sha1"] == want_sha1,
              f"plain TLS over IPv4: the server's certificate ({err.strip()})")
        check(bool(recs) and "empire_default" in [f["id"] for f in recs[0]["flags"]],
              "the Empire-default certificate is flagged")
        check(bool(recs) and recs[0]["source"] == f"127.0.0.1:{servers['tls'].port}",
              "source is host:port")
        check(seen_sni[-1:] == [None], "no SNI for an IP literal")
        fetch("--connect", f"127.0.0.1:{servers['tls'].port}", "--sni", "evil.example")
        check(seen_sni[-1:] == ["evil.example"], "--sni is sent")
        try:
            local = {a[4][0] for a in socket.getaddrinfo("localhost", None)}
        except OSError:
            local = set()
        if "127.0.0.1" in local:
            rc, recs, err = fetch("--connect", f"localhost:{servers['tls'].port}")
            check(seen_sni[-1:] == ["localhost"], f"a host name is sent as SNI ({err.strip()})")
        else:
            print("skip SNI of a host name: 'localhost' does not resolve to 127.0.0.1 here")

        for proto in ("smtp", "imap", "ftp"):
            rc, recs, err = fetch("--connect", f"127.0.0.1:{servers[proto].port}",
                                  "--starttls", proto)
            check(rc == 0 and len(recs) == 1 and recs[0]["sha1"] == want_sha1,
                  f"STARTTLS {proto} ({err.strip()})")
        rc, recs, err = fetch("--connect", f"127.0.0.1:{servers['smtp-refuses'].port}",
                              "--starttls", "smtp")
        check(rc == 2 and "STARTTLS refused: 502" in err, f"a refused STARTTLS is reported ({err.strip()})")
        rc, recs, err = fetch("--connect", f"127.0.0.1:{servers['silent'].port}", "--timeout", "1")
        check(rc == 2 and "timed out after 1000 ms (handshake)" in err,
              f"--timeout stops a silent server ({err.strip()})")
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        closed.close()
        rc, recs, err = fetch("--connect", f"127.0.0.1:{port}")
        check(rc == 2 and "Connection refused" in err, f"a refused connection is reported ({err.strip()})")

        try:
            v6 = Server(socket.AF_INET6, tls)
        except OSError:
            print("skip IPv6: this machine has no ::1")
        else:
            rc, recs, err = fetch("--connect", f"[::1]:{v6.port}")
            check(rc == 0 and len(recs) == 1 and recs[0]["source"] == f"[::1]:{v6.port}",
                  f"plain TLS over IPv6 ({err.strip()})")
    print(f"certsum_connect: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
