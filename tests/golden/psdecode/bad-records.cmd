psdecode -r "from_base64 strict=true | decode_text utf-16le strict=true" --stats samples/blobs-bad.txt
