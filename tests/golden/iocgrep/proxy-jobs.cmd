iocgrep -j 3 -H -n -b samples/proxy.log
