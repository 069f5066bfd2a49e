iocgrep --help
