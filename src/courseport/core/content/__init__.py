"""What a course holds: the one content-item model (`content`), pages, calendar events, files (their
uploads, quotas and usage rights) and folders, announcement external feeds, modules, module items, their
progress and sequence, each student's effective due dates, and a user's planner notes and overrides.

`__all__` is the public face: the modules code outside this package may import (docs/conventions.md).
"""

__all__ = ["calendar_events", "content", "due_dates", "external_feeds", "file_quotas", "file_uploads", "files",
           "folders", "module_items", "module_progress", "module_sequence", "modules", "pages", "planner_notes",
           "planner_overrides", "usage_rights", "user_files"]
