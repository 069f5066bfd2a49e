psdecode --list-operations
