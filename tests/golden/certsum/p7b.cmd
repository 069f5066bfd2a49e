SOURCE_DATE_EPOCH=1503443422 certsum samples/certs/chain.p7b
