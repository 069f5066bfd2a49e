iocgrep -j 3 --wide -b -n samples/implant.bin
