SOURCE_DATE_EPOCH=1503443422 iocgrep -f ipset samples/report-defanged.txt
