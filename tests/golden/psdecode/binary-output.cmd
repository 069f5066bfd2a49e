printf "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAA=\n" | psdecode -r from_base64 -f jsonl
