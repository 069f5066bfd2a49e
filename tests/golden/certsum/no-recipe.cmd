certsum samples/zlib.b64
