iocgrep --version
