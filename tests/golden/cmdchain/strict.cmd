cmdchain --strict samples/sysmon-botsv2.jsonl samples/blobs-bad.txt samples/sysmon-botsv2.xml
