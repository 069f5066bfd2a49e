SOURCE_DATE_EPOCH=1503443422 certsum -f csv samples/certs/empire-default.pem samples/certs/poshc2-default.pem
