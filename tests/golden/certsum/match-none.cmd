certsum -r -m 123456789 samples/certs
