"""Canvas preview_html route: HTML as the course would show it, sanitised."""

from __future__ import annotations

from courseport.core.content import pages
from courseport.dialects.canvas.protocol import Call, post


@post("/courses/{course_id:str}/preview_html", status_code=200)
def preview_html(call: Call, course_id: str) -> dict:
    source = call.str("html", "")
    with call.read() as (db, me):
        return {"html": pages.preview_course_html(db, me, course_id, source)}


ROUTES = [preview_html]
