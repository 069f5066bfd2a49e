cmdchain samples/sysmon-ftp.evtx
