certsum --rules samples/proxy.log samples/certs/empire-default.pem
