printf "not an event\n{\"EventID\": 1}\n" | cmdchain --stats
