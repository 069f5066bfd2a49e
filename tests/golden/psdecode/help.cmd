psdecode --help
