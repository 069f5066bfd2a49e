iocgrep --decode base64,utf16 --field ParentCommandLine -u --with-type samples/splunk-export.csv
