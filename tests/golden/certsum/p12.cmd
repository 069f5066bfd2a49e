SOURCE_DATE_EPOCH=1503443422 certsum --password botsv2 samples/certs/chain.p12
