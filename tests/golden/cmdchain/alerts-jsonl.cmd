cmdchain -f alerts samples/sysmon-botsv2.jsonl | jq -c "{title, level, correlation, host, time, events: [.events[] | .image | split(\"\\\\\") | last]}"
