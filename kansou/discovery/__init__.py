"""Discovery: search now; recommendations ("more like this", "for you") next."""
