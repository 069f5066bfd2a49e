certsum --help
