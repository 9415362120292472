"""Canvas JSON for course sections (the Section object), students rendered as course rosters render users."""

from __future__ import annotations

from typing import Any

from courseport.core.views.section_views import SectionView
from courseport.dialects.canvas.protocol import iso
from courseport.dialects.canvas.user_json import render_page_users


def render_section(view: SectionView, includes: set[str], origin: str) -> dict[str, Any]:
    s = view.section
    body: dict[str, Any] = {
        "id": s.id, "course_id": s.course_id, "name": s.name, "start_at": iso(s.start_at), "end_at": iso(s.end_at),
        "restrict_enrollments_to_section_dates": s.restrict_enrollments_to_section_dates,
        "nonxlist_course_id": s.nonxlist_course_id,
    }
    if view.sees_sis:
        body.update(sis_section_id=s.sis_section_id, sis_course_id=view.course.sis_course_id,
                    integration_id=s.integration_id)
    if view.manages_sis:
        body["sis_import_id"] = s.sis_import_id
    if view.students is not None:
        body["students"] = render_page_users(view.students, includes, origin) or None  # Canvas: none is null
    if view.total_students is not None:
        body["total_students"] = view.total_students
    if "passback_status" in includes:
        body["passback_status"] = None  # no grade passback here
    if view.manages_calendar is not None:
        body["permissions"] = {"manage_calendar": view.manages_calendar}
    return body
