cmdchain --rules /nonexistent/rules.yml -f alerts samples/sysmon-botsv2.jsonl
