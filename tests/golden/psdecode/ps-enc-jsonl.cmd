psdecode -r ps-enc-raw -f jsonl samples/blobs.txt
