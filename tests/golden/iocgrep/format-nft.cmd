SOURCE_DATE_EPOCH=1503443422 iocgrep -f nft --set-name c2 samples/report-defanged.txt
