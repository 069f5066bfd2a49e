cmdchain --stats -f alerts < samples/sysmon-ftp.evtx
