cat samples/implant.bin | iocgrep --stats -c
