certsum --connect "[::1" 
