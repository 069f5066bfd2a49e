certsum samples/certs
