iocgrep -u --public-only -t ipv4,ipv6,ipv4_cidr,ipv6_cidr samples/report-defanged.txt
