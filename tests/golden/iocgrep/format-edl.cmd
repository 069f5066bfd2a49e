d=$(mktemp -d) && SOURCE_DATE_EPOCH=1503443422 iocgrep -f edl --set-name botsv2 --output-dir "$d" samples/report-defanged.txt && for f in "$d"/*; do echo "== ${f##*/}"; cat "$f"; done; rm -r "$d"
