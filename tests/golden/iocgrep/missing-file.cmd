iocgrep samples/proxy.log no-such-file.log
