cmdchain -f html --host wrk-klagerf.frothly.local samples/sysmon-botsv2.jsonl
