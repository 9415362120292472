"""courseport's xAPI endpoint (an LRS, xAPI 1.0.3) and the cmi5 fetch URL, at /xapi."""
