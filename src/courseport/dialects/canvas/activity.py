"""Canvas activity stream routes: the stream and its summary, per course and for the caller."""

from __future__ import annotations

from litestar import Response

from courseport.core.views import activity
from courseport.dialects.canvas.activity_json import render_stream_item, render_summary
from courseport.dialects.canvas.protocol import Call, get


@get("/courses/{course_id:str}/activity_stream")
def course_stream(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = activity.course_stream(db, me, course_id, window)
    return call.paged([render_stream_item(e, call.origin) for e in page.items], window, page)


@get("/users/self/activity_stream")
def user_stream(call: Call) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = activity.user_stream(db, me, window)
    return call.paged([render_stream_item(e, call.origin) for e in page.items], window, page)


@get("/courses/{course_id:str}/activity_stream/summary")
def course_summary(call: Call, course_id: str) -> list:
    with call.read() as (db, me):
        return render_summary(activity.course_summary(db, me, course_id))


@get("/users/self/activity_stream/summary")
def user_summary(call: Call) -> list:
    with call.read() as (db, me):
        return render_summary(activity.user_summary(db, me))


ROUTES = [course_stream, user_stream, course_summary, user_summary]
