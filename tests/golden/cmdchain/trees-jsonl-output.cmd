cmdchain -f jsonl samples/sysmon-botsv2.xml | jq -c "{host, depth, image, pid, ppid, synthesized, decoded: (.decoded.server // null)}"
