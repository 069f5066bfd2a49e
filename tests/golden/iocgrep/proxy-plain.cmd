iocgrep samples/proxy.log
