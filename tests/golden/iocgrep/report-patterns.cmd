iocgrep --patterns samples/patterns.txt --with-type samples/report-defanged.txt
