psdecode --field ParentCommandLine --output-field d -f tsv samples/splunk-export.csv | cut -f2,3,7,8
