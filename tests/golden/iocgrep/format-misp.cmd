SOURCE_DATE_EPOCH=1503443422 iocgrep -f misp --description 'BOTSv2 Empire C2' samples/report-defanged.txt
