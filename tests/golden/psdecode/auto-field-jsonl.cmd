psdecode --field ParentCommandLine -f jsonl samples/sysmon.jsonl | jq -c '{Image, framework: .ParentCommandLine_decoded.framework.name, server: .ParentCommandLine_decoded.empire.server}'
