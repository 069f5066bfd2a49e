psdecode -r ps-enc -f yaml samples/blobs.txt
