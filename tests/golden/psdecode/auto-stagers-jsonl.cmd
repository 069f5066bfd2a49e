psdecode -f jsonl samples/stagers.txt | jq -c '{framework, artifacts: [.artifacts[] | {kind, size, sha256}], iocs, unresolved}'
