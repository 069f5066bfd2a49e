iocgrep -r -H --with-type tests/data/iocgrep-tree
