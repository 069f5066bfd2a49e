SOURCE_DATE_EPOCH=1503443422 iocgrep -f hosts samples/report-defanged.txt
