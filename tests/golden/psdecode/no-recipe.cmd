psdecode samples/blobs.txt
