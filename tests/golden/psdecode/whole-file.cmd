psdecode --whole -r "from_base64 | decode_text utf-16le | regex_extract \"\\\$t=.([^\x27]+)\" group=1 case_insensitive=true" samples/empire-launcher.b64
