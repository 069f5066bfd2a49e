cmdchain -f alerts --no-rules samples/sysmon-botsv2.jsonl
