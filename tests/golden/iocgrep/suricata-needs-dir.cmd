iocgrep -f suricata samples/proxy.log
