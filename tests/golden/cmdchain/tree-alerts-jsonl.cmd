cmdchain -f jsonl --host wrk-btun.frothly.local samples/sysmon-botsv2.csv | jq -c "{image, integrity_level, alerts: [.alerts[].title]}"
