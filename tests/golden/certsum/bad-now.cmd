certsum --now yesterday samples/certs/empire-default.pem
