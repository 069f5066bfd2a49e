SOURCE_DATE_EPOCH=1503443422 iocgrep -f splunk --all samples/report-defanged.txt
