psdecode -f csv samples/blobs.txt
