"""Canvas course permissions route: which named rights the caller holds in a course."""

from __future__ import annotations

from courseport.core.courses import courses
from courseport.dialects.canvas.protocol import Call, get


@get("/courses/{course_id:str}/permissions")
def course_permissions(call: Call, course_id: str) -> dict:
    names = call.list("permissions[]")
    with call.read() as (db, me):
        return courses.course_permissions(db, me, course_id, names)


ROUTES = [course_permissions]
