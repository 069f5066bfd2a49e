SOURCE_DATE_EPOCH=1503443422 certsum --password nope samples/certs/chain.p12
