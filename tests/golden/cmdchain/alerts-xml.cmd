cmdchain -f alerts samples/sysmon-botsv2.xml
