"""Canvas Sections API routes: list, create, show (course-scoped too), edit, delete, cross-list and back."""

from __future__ import annotations

from datetime import datetime

from litestar import Response

from courseport.core.courses import sections
from courseport.core.courses.sections import SectionChanges
from courseport.core.kit.paging import Window
from courseport.core.views import section_views
from courseport.core.views.section_views import WANTS, SectionView
from courseport.dialects.canvas.protocol import Call, coerce, delete, get, post, prefixed_params, put
from courseport.dialects.canvas.section_json import render_section

_FIELDS = {"name": str, "start_at": datetime, "end_at": datetime, "restrict_enrollments_to_section_dates": bool,
           "sis_section_id": str, "integration_id": str}
_UNPAGED = Window(0, 2**31 - 1)  # `all`: every section in one answer, as Canvas gives it


def section_changes(call: Call) -> SectionChanges:
    node = call.raw("course_section")
    changes = SectionChanges()
    if not isinstance(node, dict):
        return changes
    for key, kind in _FIELDS.items():
        if key in node:
            changes.given.add(key)
            setattr(changes, key, coerce(node[key], kind, f"course_section[{key}]"))
    return changes


def _includes(call: Call) -> tuple[set[str], frozenset[str]]:
    includes = set(call.list("include[]"))
    return includes, frozenset(includes & WANTS)


def _render(call: Call, view: SectionView, includes: set[str] | None = None) -> dict:
    return render_section(view, includes or set(), call.origin)


@get("/courses/{course_id:str}/sections")
def list_sections(call: Call, course_id: str) -> Response:
    window = _UNPAGED if call.has("all") else call.window()
    includes, want = _includes(call)
    with call.read() as (db, me):
        page = section_views.list_section_views(db, me, course_id, call.str("search_term"), window, want)
        items = [_render(call, v, includes) for v in page.views]
    return Response(items) if window is _UNPAGED else call.paged(items, window, page.slice)


@post("/courses/{course_id:str}/sections", status_code=200)
def create_section(call: Call, course_id: str) -> dict:
    changes, reactivate = section_changes(call), bool(call.bool("enable_sis_reactivation", False))
    with call.write() as (db, me), prefixed_params("course_section", _FIELDS):
        section = sections.create_section(db, me, course_id, changes, reactivate=reactivate)
        return _render(call, section_views.written_view(db, me, section))


@get("/courses/{course_id:str}/sections/{section_id:str}")
def get_course_section(call: Call, course_id: str, section_id: str) -> dict:
    includes, want = _includes(call)
    with call.read() as (db, me):
        return _render(call, section_views.show_section_view(db, me, section_id, course_id, want), includes)


@get("/sections/{section_id:str}")
def get_section(call: Call, section_id: str) -> dict:
    includes, want = _includes(call)
    with call.read() as (db, me):
        return _render(call, section_views.show_section_view(db, me, section_id, None, want), includes)


@put("/sections/{section_id:str}")
def update_section(call: Call, section_id: str) -> dict:
    changes = section_changes(call)
    with call.write() as (db, me), prefixed_params("course_section", _FIELDS):
        section = sections.update_section(db, me, section_id, changes)
        return _render(call, section_views.written_view(db, me, section))


@delete("/sections/{section_id:str}")
def delete_section(call: Call, section_id: str) -> dict:
    with call.write() as (db, me):
        section = sections.delete_section(db, me, section_id)
        return _render(call, section_views.written_view(db, me, section))


@post("/sections/{section_id:str}/crosslist/{new_course_id:str}", status_code=200)
def crosslist_section(call: Call, section_id: str, new_course_id: str) -> dict:
    with call.write() as (db, me):
        section = sections.crosslist_section(db, me, section_id, new_course_id)
        return _render(call, section_views.written_view(db, me, section))


@delete("/sections/{section_id:str}/crosslist")
def uncrosslist_section(call: Call, section_id: str) -> dict:
    with call.write() as (db, me):
        section = sections.uncrosslist_section(db, me, section_id)
        return _render(call, section_views.written_view(db, me, section))


@delete("/sections/{section_id:str}/crosslist/{new_course_id:str}")
def uncrosslist_section_from(call: Call, section_id: str, new_course_id: str) -> dict:
    with call.write() as (db, me):
        section = sections.uncrosslist_section(db, me, section_id, new_course_id)
        return _render(call, section_views.written_view(db, me, section))


ROUTES = [list_sections, create_section, get_course_section, get_section, update_section, delete_section,
          crosslist_section, uncrosslist_section, uncrosslist_section_from]
