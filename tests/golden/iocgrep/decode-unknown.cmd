iocgrep --decode rot13 samples/proxy.log
