"""Canvas JSON for enrollment terms (the EnrollmentTerm object and its overrides)."""

from __future__ import annotations

from typing import Any

from courseport.core.identity.terms import TermView
from courseport.dialects.canvas.course_json import render_term
from courseport.dialects.canvas.protocol import iso


def render_enrollment_term(view: TermView, includes: set[str]) -> dict[str, Any]:
    """Canvas shows SIS ids to those who read SIS data (here: the root account's admins) only."""
    body = render_term(view.term)
    if view.sees_sis:
        body["sis_import_id"] = view.term.sis_import_id
    else:
        del body["sis_term_id"]
    if "overrides" in includes:
        body["overrides"] = {etype: {"start_at": iso(o.start_at), "end_at": iso(o.end_at)}
                             for etype, o in view.overrides.items()}
    if "course_count" in includes and view.course_count is not None:
        body["course_count"] = view.course_count
    return body
