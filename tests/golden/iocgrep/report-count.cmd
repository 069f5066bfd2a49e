iocgrep -c --all samples/report-defanged.txt
