"""Canvas Tabs API routes for a course: list its navigation tabs and move or hide one
(`core/courses/course_tabs.py`)."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.courses import course_tabs
from courseport.core.courses.course_tabs import CourseTab
from courseport.core.kit.paging import window_of
from courseport.dialects.canvas.protocol import Call, get, put
from courseport.schema import Course


def render_tab(course: Course, tab: CourseTab, origin: str) -> dict[str, Any]:
    """Canvas's Tab object; `hidden` only when true, as Canvas sends it."""
    html_url = f"/courses/{course.id}{tab.spec.path}"
    body: dict[str, Any] = {"id": tab.spec.id, "html_url": html_url, "full_url": origin + html_url,
                            "position": tab.position}
    if tab.hidden:
        body["hidden"] = True
    body.update(visibility=tab.visibility, label=tab.spec.label, type="internal")
    return body


@get("/courses/{course_id:str}/tabs")
def list_tabs(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        course, tabs = course_tabs.course_tabs(db, me, course_id)
    page = window_of(tabs, window)
    return call.paged([render_tab(course, t, call.origin) for t in page.items], window, page)


@put("/courses/{course_id:str}/tabs/{tab_id:str}")
def update_tab(call: Call, course_id: str, tab_id: str) -> dict:
    position, hidden = call.int("position"), call.bool("hidden")
    with call.write() as (db, me):
        course, tab = course_tabs.update_tab(db, me, course_id, tab_id, position, hidden)
        return render_tab(course, tab, call.origin)


ROUTES = [list_tabs, update_tab]
