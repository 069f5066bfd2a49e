iocgrep --sort -u --with-type samples/report-defanged.txt
