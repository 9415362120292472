"""Canvas course nickname routes (Users API): list, show, set and remove the caller's nicknames, clear them all."""

from __future__ import annotations

from litestar import Response

from courseport.core.courses import course_nicknames
from courseport.dialects.canvas.course_nickname_json import render_nickname
from courseport.dialects.canvas.protocol import Call, delete, get, put, self_only


@get("/users/self/course_nicknames")
def list_course_nicknames(call: Call) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = course_nicknames.list_nicknames(db, me, window)
    return call.paged([render_nickname(n) for n in page.items], window, page)


@get("/users/{user_id:str}/course_nicknames/{course_id:str}")
def get_course_nickname(call: Call, user_id: str, course_id: str) -> dict:
    self_only(user_id)
    with call.read() as (db, me):
        return render_nickname(course_nicknames.get_nickname(db, me, course_id))


@put("/users/{user_id:str}/course_nicknames/{course_id:str}")
def set_course_nickname(call: Call, user_id: str, course_id: str) -> dict:
    self_only(user_id)
    nickname = call.str("nickname")
    with call.write() as (db, me):
        return render_nickname(course_nicknames.set_nickname(db, me, course_id, nickname))


@delete("/users/{user_id:str}/course_nicknames/{course_id:str}")
def remove_course_nickname(call: Call, user_id: str, course_id: str) -> dict:
    self_only(user_id)
    with call.write() as (db, me):
        return render_nickname(course_nicknames.remove_nickname(db, me, course_id))


@delete("/users/self/course_nicknames")
def clear_course_nicknames(call: Call) -> dict:
    with call.write() as (db, me):
        course_nicknames.clear_nicknames(db, me)
    return {"message": "OK"}


ROUTES = [list_course_nicknames, get_course_nickname, set_course_nickname, remove_course_nickname,
          clear_course_nicknames]
