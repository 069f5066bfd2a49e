iocgrep -b -n -H --with-type samples/implant.bin
