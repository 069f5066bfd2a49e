psdecode -r '[{"op":"From Base64","args":["A-Za-z0-9+/=",true,false]},{"op":"Decode text","args":["UTF-16LE (1200)"]},{"op":"To Upper case","args":["All"]}]' samples/blobs.txt
