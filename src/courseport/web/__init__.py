"""courseport's own HTTP surfaces: the admin API under /_courseport (and later the web player)."""
