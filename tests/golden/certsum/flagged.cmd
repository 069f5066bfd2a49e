certsum -r --flagged -f jsonl samples/certs | jq -r '[.source, ([.flags[].id] | join(","))] | @tsv'
