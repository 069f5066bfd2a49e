psdecode --explain -f jsonl samples/stagers.txt | jq -c '[.layers[] | {op, recipe, cyberchef}]'
