cmdchain --no-rules --no-decode --host wrk-btun.frothly.local samples/sysmon-botsv2.xml
