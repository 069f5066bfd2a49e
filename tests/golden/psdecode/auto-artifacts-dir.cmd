d=$(mktemp -d) && psdecode --artifacts-dir "$d" samples/stagers.txt > /dev/null; ls "$d"; rm -r "$d"
