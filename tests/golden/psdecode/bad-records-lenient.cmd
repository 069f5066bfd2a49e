psdecode -r ps-enc-raw --stats -f jsonl samples/blobs-bad.txt
