iocgrep --field CommandLine -n --all --with-type samples/splunk-export.csv
