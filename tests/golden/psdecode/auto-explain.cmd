psdecode --color never --explain samples/stagers.txt | grep -A3 "explain"
