psdecode -r ps-enc-cmdline --field ParentCommandLine --output-field decoded -f csv samples/splunk-export.csv | cut -c1-160
