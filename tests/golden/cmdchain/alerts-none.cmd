cmdchain -f alerts --rules recipes/sigma/reg_save_sam.yml --host venus.frothly.local samples/sysmon-botsv2.jsonl
