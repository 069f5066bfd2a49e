iocgrep -a --max-line 1K --stats -n samples/implant.bin
