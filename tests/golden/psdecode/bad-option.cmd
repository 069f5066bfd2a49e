psdecode --frobnicate
