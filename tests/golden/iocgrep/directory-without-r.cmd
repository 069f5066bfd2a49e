iocgrep tests/data/iocgrep-tree
