psdecode -r "From_Base64('A-Za-z0-9+/=',true,false)Decode_text('UTF-16LE (1200)')" samples/blobs.txt
