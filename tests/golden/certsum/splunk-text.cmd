certsum --splunk samples/certs/empire-default.pem samples/certs/cobaltstrike-default.pem samples/certs/metasploit-style.pem
