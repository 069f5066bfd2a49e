psdecode --color never 'powershell -noP -sta -w 1 -enc dwBoAG8AYQBtAGkAIAAvAHUAcwBlAHIA'
