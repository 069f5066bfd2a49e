cmdchain -f alerts --min-level high --host venus.frothly.local samples/sysmon-botsv2.jsonl | jq -r .title
