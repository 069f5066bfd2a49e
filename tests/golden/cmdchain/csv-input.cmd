cmdchain samples/splunk-export.csv
