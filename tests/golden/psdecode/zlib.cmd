psdecode -r "from_base64 | inflate" samples/zlib.b64
