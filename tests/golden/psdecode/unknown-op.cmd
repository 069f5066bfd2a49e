psdecode -r "from_base64 | decode_txt utf-16le" samples/blobs.txt
