"""Canvas todo routes: the caller's todo items in one course or across their courses."""

from __future__ import annotations

from litestar import Response

from courseport.core.views import todo
from courseport.dialects.canvas.protocol import Call, get
from courseport.dialects.canvas.todo_json import render_todo


def _wants_quizzes(call: Call) -> bool:
    return "ungraded_quizzes" in call.list("include[]")


@get("/courses/{course_id:str}/todo")
def course_todo(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = todo.course_todo(db, me, course_id, window, ungraded_quizzes=_wants_quizzes(call))
    return call.paged([render_todo(t, call.origin) for t in page.items], window, page)


@get("/users/self/todo")
def user_todo(call: Call) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = todo.user_todo(db, me, window, ungraded_quizzes=_wants_quizzes(call))
    return call.paged([render_todo(t, call.origin) for t in page.items], window, page)


ROUTES = [course_todo, user_todo]
