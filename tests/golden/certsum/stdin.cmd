SOURCE_DATE_EPOCH=1503443422 certsum < samples/certs/empire-default.pem
