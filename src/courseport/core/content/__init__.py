"""What a course holds: the one content-item model (`content`), pages, calendar events, files (their
uploads and quotas) and folders, modules, module items, their progress and sequence, and each student's
effective due dates.

`__all__` is the public face: the modules code outside this package may import (docs/conventions.md).
"""

__all__ = ["calendar_events", "content", "due_dates", "file_quotas", "file_uploads", "files", "folders",
           "module_items", "module_progress", "module_sequence", "modules", "pages", "user_files"]
