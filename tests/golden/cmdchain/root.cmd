cmdchain --no-decode --root 5068 --host wrk-klagerf.frothly.local samples/sysmon-botsv2.jsonl
