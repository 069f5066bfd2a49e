printf 'MZ\x90\x00h\0t\0t\0p\0:\0/\0/\0e\0v\0i\0l\0-\0e\0m\0p\0i\0r\0e\0.\0c\0o\0m\0/\0x\0\0\0' | iocgrep --wide -f jsonl
