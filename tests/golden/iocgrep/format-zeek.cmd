SOURCE_DATE_EPOCH=1503443422 iocgrep -f zeek --all --description 'BOTSv2 report' samples/report-defanged.txt
