psdecode -r ps-enc-raw samples/no-such-file.txt samples/blobs.txt
