psdecode -r ps-enc -f jsonl samples/blobs.txt | jq -r ".source + \" \" + .output"
