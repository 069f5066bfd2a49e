iocgrep -H -n -b samples/proxy.log
