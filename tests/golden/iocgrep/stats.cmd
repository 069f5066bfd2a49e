iocgrep --stats -c samples/proxy.log
