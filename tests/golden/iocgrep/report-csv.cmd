iocgrep -f csv samples/report-defanged.txt
