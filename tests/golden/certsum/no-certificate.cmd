certsum samples/proxy.log
