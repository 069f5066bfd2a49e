cmdchain --group-by parent-cmdline --across-hosts samples/sysmon-botsv2.jsonl
