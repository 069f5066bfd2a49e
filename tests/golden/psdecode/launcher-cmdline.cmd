psdecode -r ps-enc-cmdline samples/empire-launcher.cmdline
