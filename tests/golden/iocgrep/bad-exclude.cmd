iocgrep --exclude samples/proxy.log samples/report-defanged.txt
