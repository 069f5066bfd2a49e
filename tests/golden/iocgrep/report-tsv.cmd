iocgrep -f tsv -t url,email samples/report-defanged.txt
