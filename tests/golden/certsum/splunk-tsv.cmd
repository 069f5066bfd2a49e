certsum --splunk -f tsv samples/certs/empire-default.pem | cut -f1-9
