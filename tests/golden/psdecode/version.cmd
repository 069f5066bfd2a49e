psdecode --version
