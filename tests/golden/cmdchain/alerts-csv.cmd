cmdchain -f alerts samples/sysmon-botsv2.csv | jq -c "[.rule_id, .host, .time, (.events | length)]"
