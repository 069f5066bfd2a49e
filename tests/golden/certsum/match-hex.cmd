certsum -r -m 8e:be:c1:c1:2d:03:4d:a1 -m 03E8 --now 2017-08-22 samples/certs | cut -d'|' -f1,3
