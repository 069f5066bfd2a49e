psdecode --stats 'powershell -enc !!!!' 'not encoded at all'
