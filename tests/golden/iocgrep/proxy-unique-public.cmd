iocgrep -u --public-only --with-type samples/proxy.log
