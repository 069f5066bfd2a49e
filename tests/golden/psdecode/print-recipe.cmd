psdecode -r ps-enc --print-recipe
