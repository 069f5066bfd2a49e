psdecode -r ps-enc-cmdline --field ParentCommandLine -f jsonl samples/sysmon.jsonl | jq -c "{Image, ParentCommandLine_decoded: (.ParentCommandLine_decoded // .ParentCommandLine_error)[0:60]}"
