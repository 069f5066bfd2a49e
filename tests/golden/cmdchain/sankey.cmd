cmdchain -f sankey --no-decode samples/sysmon-botsv2.xml | cut -c1-100
