cmdchain -f json --no-decode --host venus.frothly.local samples/sysmon-botsv2.jsonl | jq -c ".roots[] | [.image, [.children[] | .image]]"
