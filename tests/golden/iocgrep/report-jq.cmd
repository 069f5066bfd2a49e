iocgrep -f jsonl --all samples/report-defanged.txt | jq -r "select(.defanged) | [.type, .value, .raw] | @tsv"
