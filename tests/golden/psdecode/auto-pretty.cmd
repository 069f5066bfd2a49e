psdecode --color never --pretty samples/empire-launcher.cmdline | sed -n "/decoded/,\$p" | head -n 20
