printf "dwBoAG8AYQBtAGkA\0aABpAA==\0" | psdecode -z -r ps-enc-raw | tr "\0" "|"
