iocgrep --decode all --all -f jsonl samples/empire-launcher.cmdline
