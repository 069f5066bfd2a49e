cmdchain --wide samples/sysmon-botsv2.xml
