echo "no indicators in this line" | iocgrep
