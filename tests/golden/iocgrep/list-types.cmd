iocgrep --list-types | grep -v "^#"
