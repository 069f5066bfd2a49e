iocgrep samples/implant.bin
