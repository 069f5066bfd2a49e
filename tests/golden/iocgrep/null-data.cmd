printf "a 1.2.3.4\0b evil.com" | iocgrep -z | tr "\0" "|"
