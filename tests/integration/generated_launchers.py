#!/usr/bin/env python3
"""Generated-launcher test: psdecode on Empire launchers of every generation under
every wrapper, made by tests/gen/empire_gen.py with random keys, IVs, servers,
URIs, user agents and capitalisation, against the fields the generator used.

    tests/integration/generated_launchers.py --bin build/debug/tools [--count 300] [--seed N]

Without --seed a fixed seed is used (reproducible CI); pass --seed random to draw
one (it is printed so a failure can be replayed).
"""
import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EMPIRE_KEYS = ["variant", "ua", "server", "server_encoding", "uris", "staging_key", "cookie_name",
               "session_cookie", "cookie_decoded", "proxy", "bypasses", "tls_validation_disabled",
               "custom_headers"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, type=Path)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", default="20170822")
    args = ap.parse_args()
    seed = random.randrange(1 << 31) if args.seed == "random" else int(args.seed)
    gen = subprocess.run([sys.executable, str(ROOT / "tests" / "gen" / "empire_gen.py"),
                          "--count", str(args.count), "--seed", str(seed)],
                         capture_output=True, text=True, check=True)
    cases = [json.loads(line) for line in gen.stdout.splitlines()]
    cmdlines = "".join(c["cmdline"] + "\n" for c in cases)
    p = subprocess.run([str(args.bin / "psdecode"), "-f", "jsonl", "-s"], input=cmdlines,
                       capture_output=True, text=True)
    out = [json.loads(line) for line in p.stdout.splitlines()]
    if len(out) != len(cases):
        print(f"expected {len(cases)} records, got {len(out)}; psdecode: {p.stderr[:400]}")
        return 1
    failures = 0
    by_kind = {}
    registry_values = []
    for i, (case, rec) in enumerate(zip(cases, out)):
        exp = case["expected"]
        kind = f"{case['generation']}/{case['wrapper']}"
        problems = []
        if "persistence" in exp:
            # schtasks persistence: the launcher sits in a registry value.
            want_p, got = exp["persistence"], rec["persistence"] or {}
            for k in ("mechanism", "task_name", "schedule", "start_time", "run_as"):
                if (got.get(k) or "") != (want_p.get(k) or ""):
                    problems.append(f"persistence.{k}: want {want_p.get(k)!r}, got {got.get(k)!r}")
            rp = rec["registry_payload"] or {}
            if rp.get("key") != want_p.get("key") or rp.get("value") != want_p.get("value_name") \
                    or rp.get("encoding") != "utf-16le":
                problems.append(f"registry_payload: got {rp}, want key {want_p.get('key')!r} "
                                f"value {want_p.get('value_name')!r} utf-16le")
            registry_values.append((i, exp["registry_payload"]["value"], case["generation"]))
        else:
            e = rec["empire"]
            if e is None:
                problems.append(f"not recognised as Empire (framework {rec['framework']['name']})")
            else:
                for k in EMPIRE_KEYS:
                    if k in exp and e.get(k) != exp[k]:
                        problems.append(f"{k}: want {exp[k]!r}, got {e.get(k)!r}")
        by_kind.setdefault(case["generation"], [0, 0])
        by_kind[case["generation"]][0] += 1
        if problems:
            failures += 1
            if failures <= 8:
                print(f"FAIL case {i} ({kind}): " + "; ".join(problems)[:600])
        else:
            by_kind[case["generation"]][1] += 1
    # The registry value's base64, given as the next input, decodes as a launcher.
    if registry_values:
        q = subprocess.run([str(args.bin / "psdecode"), "-f", "jsonl", "-s"],
                           input="".join(v + "\n" for _, v, _ in registry_values),
                           capture_output=True, text=True)
        for (i, _, generation), line in zip(registry_values, q.stdout.splitlines()):
            r = json.loads(line)
            e = r["empire"]
            # 6.3+ cookies are not RC4: reported, never verified.
            verified = bool(e and (e["cookie_decoded"] or {}).get("verified")) or \
                (e is not None and generation == "6.3+")
            if r["input_kind"] != "base64" or not verified:
                failures += 1
                print(f"FAIL case {i}: its registry value does not decode to a verified launcher")
    summary = ", ".join(f"{g} {ok}/{n}" for g, (n, ok) in sorted(by_kind.items()))
    print(f"generated_launchers (seed {seed}): {len(cases) - failures} of {len(cases)} pass ({summary})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
