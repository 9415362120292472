"""Canvas course progress routes: one user's progress and every student's (bulk_user_progress)."""

from __future__ import annotations

from litestar import Response

from courseport.core.content import module_progress
from courseport.dialects.canvas.course_json import render_user_display
from courseport.dialects.canvas.module_json import render_course_progress
from courseport.dialects.canvas.protocol import Call, get
from courseport.schema import User

_USER_KEYS = ("id", "display_name", "avatar_image_url", "html_url", "pronouns")


@get("/courses/{course_id:str}/users/{user_id:str}/progress")
def user_progress(call: Call, course_id: str, user_id: str) -> Response:
    with call.read() as (db, me):
        course, progress = module_progress.user_progress(db, me, course_id, user_id)
    body = render_course_progress(progress, course.id, call.origin)
    return Response(body, status_code=400 if progress is None else 200)


def _render_student(user: User, progress, course_id: int, origin: str) -> dict:  # noqa: ANN001
    shown = render_user_display(user, origin, course_id)
    return {**{k: shown[k] for k in _USER_KEYS}, "progress": render_course_progress(progress, course_id, origin)}


@get("/courses/{course_id:str}/bulk_user_progress")
def bulk_user_progress(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        course, page = module_progress.bulk_user_progress(db, me, course_id, window)
    return call.paged([_render_student(u, p, course.id, call.origin) for u, p in page.items], window, page)


ROUTES = [user_progress, bulk_user_progress]
