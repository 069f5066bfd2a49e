cmdchain samples/proxy.log
