cmdchain -f groups --across-hosts --no-decode samples/sysmon-botsv2.xml | jq -c "{hosts, parent_instances, children: [.children[] | [.image, (.alerts | map(.level))]]}"
