psdecode -r "from_base64 strict=true" samples/proxy.log
