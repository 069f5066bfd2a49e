cmdchain --recipe ps-enc-cmdline --field ParentCommandLine --output-field decoded -f tsv samples/splunk-export.csv | cut -f2,3,6 | cut -c1-120
