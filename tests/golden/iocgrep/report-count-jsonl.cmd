iocgrep -c -f jsonl samples/report-defanged.txt
