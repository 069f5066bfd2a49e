psdecode -f jsonl samples/blobs.txt | jq -c '[.source, .input_kind, .layers[0].encoding, .decoded]'
