cmdchain --group-by user samples/sysmon-botsv2.jsonl
