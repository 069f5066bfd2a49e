SOURCE_DATE_EPOCH=1503443422 certsum samples/certs/*.pem samples/certs/leaf.der
