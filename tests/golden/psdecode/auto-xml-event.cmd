psdecode --color never samples/sysmon-eid1.xml | head -n 4
