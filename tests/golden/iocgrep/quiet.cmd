iocgrep -q samples/proxy.log; echo "exit $?"
