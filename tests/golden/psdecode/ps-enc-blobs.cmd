psdecode -r ps-enc samples/blobs.txt
