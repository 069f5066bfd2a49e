cmdchain -f alerts samples/sysmon-botsv2.json | jq -c "[.title, .host, .time, [.events[].pid]]"
