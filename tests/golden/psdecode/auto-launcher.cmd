psdecode --color never samples/empire-launcher.cmdline | cut -c1-200
