psdecode --color never samples/stagers.txt | cut -c1-200
