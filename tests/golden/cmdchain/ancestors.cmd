cmdchain --host venus.frothly.local --ancestors 7001 samples/sysmon-botsv2.jsonl
