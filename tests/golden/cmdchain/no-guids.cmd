cmdchain -f jsonl samples/sysmon.jsonl samples/sysmon-eid1.xml | jq -c "{host, image, pid, ppid, synthesized, depth}"
