"""The core: courses, users, content, jobs. No HTTP, no dialects, no web framework in here."""
