cmdchain samples/sysmon.jsonl
