SOURCE_DATE_EPOCH=1503443422 iocgrep -f rpz samples/report-defanged.txt
