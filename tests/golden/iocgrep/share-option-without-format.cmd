iocgrep --sid-base 5 samples/proxy.log
