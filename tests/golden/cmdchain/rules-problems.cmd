cmdchain -f alerts --rules tests/data/sigma/mixed.yml samples/sysmon-botsv2.jsonl | jq -c "[.title, .host, .events[0].image]"
