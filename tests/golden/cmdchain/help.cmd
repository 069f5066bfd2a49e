cmdchain --help
