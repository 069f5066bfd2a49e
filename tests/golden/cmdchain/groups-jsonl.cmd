cmdchain --group-by parent-cmdline -f jsonl samples/sysmon-botsv2.xml | jq -c "{hosts, parent_instances, server: .decoded.server, children: [.children[].image | split(\"\\\\\") | last]}"
