iocgrep --all --with-type samples/report-defanged.txt
