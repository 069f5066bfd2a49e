iocgrep -f json --all samples/report-defanged.txt
