iocgrep -a -n samples/implant.bin
