cmdchain -f jsonl --no-rules samples/sysmon-ftp.evtx | jq -c "{image, pid, ppid, synthesized, depth}"
