iocgrep --recipe url-decode samples/proxy.log
