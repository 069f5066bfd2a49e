certsum --connect 127.0.0.1 samples/certs/empire-default.pem
