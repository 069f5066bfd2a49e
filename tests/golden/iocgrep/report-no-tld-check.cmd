printf "beacon to dc01.corp.internal and evil.com\n" | iocgrep --no-tld-check
