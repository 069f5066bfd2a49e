psdecode --no-fold -f jsonl samples/stagers.txt | jq -c '[.layers[].op]'
