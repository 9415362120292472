"""Dialects: thin translations between vendor wire formats and core calls."""
