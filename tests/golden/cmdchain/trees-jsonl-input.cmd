cmdchain samples/sysmon-botsv2.jsonl
