SOURCE_DATE_EPOCH=1503443422 iocgrep -f stix --observables -u samples/proxy.log
