psdecode --color never --explain samples/schtasks.cmdline
