certsum --sni evil.example samples/certs/empire-default.pem
