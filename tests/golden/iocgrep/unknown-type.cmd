iocgrep -t ipv5 samples/proxy.log
