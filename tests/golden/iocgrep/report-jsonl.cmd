iocgrep -f jsonl samples/report-defanged.txt
