"""The course itself: resolving a course by any id form, creating, updating, changing state, settings,
batch updates, and the course as other systems keep it (Learn course records, D2L templates,
offerings and org units).

`__all__` is the public face: the modules code outside this package may import (docs/conventions.md).
"""

__all__ = ["batch_updates", "course_offerings", "course_records", "course_settings", "course_templates", "courses",
           "enrollments", "org_units", "sections"]
