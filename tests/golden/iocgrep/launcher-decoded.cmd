psdecode -f jsonl samples/empire-launcher.cmdline | jq -r .decoded | iocgrep --all --with-type -u
