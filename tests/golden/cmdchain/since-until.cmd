cmdchain --no-decode --since 2017-08-22T23:31:40 --until 2017-08-22T23:41:50 -f jsonl samples/sysmon-botsv2.jsonl | jq -r "[.host, .time, .image] | @tsv"
