iocgrep --max-line 1K --stats -b -n samples/implant.bin
