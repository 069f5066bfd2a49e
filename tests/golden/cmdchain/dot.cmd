cmdchain -f dot --host venus.frothly.local samples/sysmon-botsv2.jsonl
