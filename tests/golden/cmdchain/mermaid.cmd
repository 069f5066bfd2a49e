cmdchain -f mermaid --no-decode --host wrk-btun.frothly.local samples/sysmon-botsv2.jsonl
