SOURCE_DATE_EPOCH=1503443422 certsum -f jsonl samples/certs/empire-default.pem
