iocgrep --loose -t email,domain samples/report-defanged.txt
