psdecode -r ps-enc < samples/empire-launcher.b64 | grep -o "https://[0-9.:]*\|/[a-z]*/[a-z]*\.php\|session=[A-Za-z0-9+/=]*"
