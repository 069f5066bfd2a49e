certsum -r -m 10285871634388831649 --now 2017-08-22 samples/certs
