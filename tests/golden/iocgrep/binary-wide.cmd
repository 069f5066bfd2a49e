iocgrep --wide -f jsonl samples/implant.bin
