psdecode -r ps-enc-raw --max-line 20 samples/blobs.txt
