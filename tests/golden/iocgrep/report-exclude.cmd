iocgrep -u --exclude samples/allow.txt samples/report-defanged.txt
