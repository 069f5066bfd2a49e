iocgrep --no-refang --context-filter --unicode --registrable --no-derived -u --with-type samples/report-defanged.txt
