SOURCE_DATE_EPOCH=1503443422 iocgrep -f stix samples/report-defanged.txt
