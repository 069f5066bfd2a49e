certsum --recipe "from_base64 | to_hex separator=:" samples/zlib.b64
