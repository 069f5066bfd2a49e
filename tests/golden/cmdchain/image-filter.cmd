cmdchain --no-decode --image wevtutil samples/sysmon-botsv2.jsonl samples/sysmon-botsv2.xml
