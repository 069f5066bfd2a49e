psdecode --help-op "From Base64"
