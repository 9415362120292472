"""The D2L Brightspace Valence-compatible dialect: /d2l/api/{lp,le}/(version)/... and ID-key auth."""
