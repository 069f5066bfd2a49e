#!/usr/bin/env bash
# Bad input never crashes a tool: each case gets a clear per-record message
# naming FILE:LINE, the tool goes on with the next record, and memory stays
# bounded (checked with ulimit -v where the input would otherwise need more).
#   tests/integration/bad_input.sh BUILD_TOOLS_DIR
set -u
bin=${1:?usage: bad_input.sh BUILD_TOOLS_DIR}
psdecode=$bin/psdecode
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

check() {  # name, expected exit, expected stderr pattern (grep -E), expected stdout (exact)
  local name=$1 want_rc=$2 want_err=$3 want_out=$4
  local rc; rc=$(cat "$tmp/rc")
  local ok=1
  [ "$rc" = "$want_rc" ] || { echo "  exit $rc, expected $want_rc"; ok=0; }
  grep -Eq -- "$want_err" "$tmp/err" || { echo "  stderr lacks /$want_err/:"; head -c 400 "$tmp/err"; ok=0; }
  [ "$(cat "$tmp/out")" = "$want_out" ] || { echo "  stdout:"; head -c 300 "$tmp/out"; ok=0; }
  if [ $ok = 1 ]; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}

# 1. A 1 GiB single line with --max-line 1M: reported, skipped without being
#    buffered (256 MiB of address space would not hold it), and the next line decodes.
( ulimit -v 262144
  { head -c 1073741824 /dev/zero | tr '\0' 'A'; printf '\naGk=\n'; } |
    "$psdecode" -r from_base64 --max-line 1M >"$tmp/out" 2>"$tmp/err"
  echo $? >"$tmp/rc" )
check "1 GiB line with --max-line 1M" 0 \
  '^psdecode: \(stdin\):1: line longer than --max-line \(1 MiB\); skipped$' "hi"

# 2. A gzip bomb (512 MiB of zeros, ~500 KiB compressed, base64 on one line):
#    the per-step output cap (64 MiB) stops it as an error value, the ratio cap
#    when it is lower, the size cap when the ratio is lifted; the next record still decodes.
python3 - "$tmp/bomb.txt" <<'PY'
import base64, sys, zlib
c = zlib.compressobj(9, zlib.DEFLATED, 31)
chunk = bytes(1 << 20)
data = b"".join(c.compress(chunk) for _ in range(512)) + c.flush()
small = zlib.compressobj(9, zlib.DEFLATED, 31)
ok = small.compress(b"ok") + small.flush()
with open(sys.argv[1], "w") as f:
    f.write(base64.b64encode(data).decode() + "\n" + base64.b64encode(ok).decode() + "\n")
PY
( ulimit -v 1048576
  "$psdecode" -r b64-gunzip "$tmp/bomb.txt" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc" )
check "gzip bomb, default caps" 0 "bomb.txt:1: step 2 \(gunzip\): .*64 MiB" "ok"
( ulimit -v 1048576
  "$psdecode" -r b64-gunzip --max-ratio 100 "$tmp/bomb.txt" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc" )
check "gzip bomb, ratio cap" 0 "bomb.txt:1: step 2 \(gunzip\): .*ratio.*100:1" "ok"
# ... and with the ratio cap lifted, the size cap stops it.
( ulimit -v 1048576
  "$psdecode" -r b64-gunzip --max-ratio 100000 --max-inflate 16M "$tmp/bomb.txt" >"$tmp/out" 2>"$tmp/err"
  echo $? >"$tmp/rc" )
check "gzip bomb, size cap" 0 "bomb.txt:1: step 2 \(gunzip\): .*16 MiB" "ok"

# 3. Invalid base64 in strict mode: the offset is named; other lines decode.
printf 'aGk=\naG!k=\n' >"$tmp/b64.txt"
"$psdecode" -r 'from_base64 strict=true' "$tmp/b64.txt" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"
check "invalid base64" 0 "b64.txt:2: step 1 \(from_base64\): invalid base64 character '!' at offset 2" "hi"

# 4. Odd-length UTF-16: strict fails with the offset, lenient warns and decodes.
printf 'QQBC\n' >"$tmp/odd.txt"
"$psdecode" -r 'from_base64 | decode_text utf-16le strict=true' "$tmp/odd.txt" >"$tmp/out" 2>"$tmp/err"
echo $? >"$tmp/rc"
check "odd UTF-16, strict" 1 "odd.txt:1: step 2 \(decode_text\): odd number of bytes in UTF-16 input at offset 2" ""
"$psdecode" -r 'from_base64 | decode_text utf-16le' "$tmp/odd.txt" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"
check "odd UTF-16, lenient" 0 "odd.txt:1: step 2 \(decode_text\): dropped a trailing odd byte" "A"

# 5. Binary garbage as input: no crash, a message per failing record.
head -c 65536 /dev/urandom >"$tmp/random.bin"
"$psdecode" -r 'from_base64 strict=true | gunzip' "$tmp/random.bin" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"
check "random bytes" 1 "random.bin:[0-9]+: step" ""

# 6. Malformed JSON and a missing field with --field: reported, the next record goes on.
printf '{"CommandLine":"aGk="}\n{"CommandLine":\n{"Other":1}\n{"CommandLine":"aGk="}\n' >"$tmp/ev.jsonl"
"$psdecode" -r from_base64 --field CommandLine "$tmp/ev.jsonl" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"
check "bad JSON lines" 0 "ev.jsonl:2: .*JSON" "hi
hi"
grep -q "ev.jsonl:3: .*CommandLine" "$tmp/err" && echo "ok   missing field named" ||
  { echo "FAIL missing field named"; cat "$tmp/err"; fails=$((fails + 1)); }

# 7. The reader goes away (| head -1): the tool stops quietly with status 0.
yes aGk= | head -n 200000 >"$tmp/many.txt"
"$psdecode" -r from_base64 "$tmp/many.txt" 2>"$tmp/err" | head -n 1 >"$tmp/out"
rc=${PIPESTATUS[0]}
if [ "$rc" = 0 ] && [ ! -s "$tmp/err" ] && [ "$(cat "$tmp/out")" = hi ]; then
  echo "ok   closed pipe"
else
  echo "FAIL closed pipe: exit $rc, stderr: $(head -c 200 "$tmp/err")"; fails=$((fails + 1))
fi

echo "bad_input: $fails failure(s)"
[ $fails = 0 ]
