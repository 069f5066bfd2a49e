iocgrep --defang -u samples/report-defanged.txt
