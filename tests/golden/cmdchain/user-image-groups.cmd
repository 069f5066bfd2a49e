cmdchain --no-decode --group-by parent-cmdline --across-hosts --user kevin --image who samples/sysmon-botsv2.jsonl
