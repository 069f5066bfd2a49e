certsum --splunk -f jsonl -r samples/certs | jq -c "{source, ssl_subject, ssl_serial, ssl_hash, has_md5: has(\"md5\")}"
