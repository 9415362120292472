"""Canvas course users and user routes: list/search users, students, recent students, one course user,
content-share users, the student-view test student, and the User object at /users/:id."""

from __future__ import annotations

from typing import cast

from litestar import Response

from courseport.core.kit.ids import store_id
from courseport.core.views import rosters
from courseport.core.views.rosters import RosterQuery
from courseport.dialects.canvas.protocol import Call, get, to_int
from courseport.dialects.canvas.user_json import render_page_users, render_profile, render_roster_user


def roster_query(call: Call) -> RosterQuery:
    includes = call.list("include[]")
    jump = call.str("user_id")
    return RosterQuery(
        search_term=call.str("search_term"), sort=call.str("sort"),
        enrollment_types=tuple(call.list("enrollment_type[]")), enrollment_role=call.str("enrollment_role"),
        enrollment_role_id=call.int("enrollment_role_id"),
        enrollment_states=tuple(call.list("enrollment_state[]")),
        user_ids=tuple(cast(int, to_int(v, "user_ids[]"))  # v is not empty: an int or InvalidInput
                       for raw in call.list("user_ids[]") for v in raw.split(",") if v),
        include_test_student="test_student" in includes, with_enrollments="enrollments" in includes,
        page_of_user_id=store_id(jump) if jump else None,
    )


def _list_course_users(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = rosters.list_roster(db, me, course_id, roster_query(call), window)
    # The page jump is spent: links to other pages must not carry it, or they would jump back.
    call.query_pairs = [(k, v) for k, v in call.query_pairs if k != "user_id"]
    # Canvas always offers email on this endpoint; the viewer's rights still decide.
    includes = {*call.list("include[]"), "email"}
    return call.paged(render_page_users(page, includes, call.origin), page.window, page.slice)


# Two handlers, not one with two paths: Litestar wraps a multi-path sync handler for threads twice.
@get("/courses/{course_id:str}/users")
def list_course_users(call: Call, course_id: str) -> Response:
    return _list_course_users(call, course_id)


@get("/courses/{course_id:str}/search_users")
def search_course_users(call: Call, course_id: str) -> Response:
    return _list_course_users(call, course_id)


@get("/courses/{course_id:str}/students")
def list_students(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = rosters.list_roster(db, me, course_id, RosterQuery(enrollment_types=("student",)), window)
    return call.paged(render_page_users(page, set(), call.origin), window, page.slice)


@get("/courses/{course_id:str}/recent_students")
def list_recent_students(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = rosters.recent_students(db, me, course_id, window)
    return call.paged(render_page_users(page, {"last_login"}, call.origin), window, page.slice)


@get("/courses/{course_id:str}/users/{user_id:str}")
def get_course_user(call: Call, course_id: str, user_id: str) -> dict:
    includes = set(call.list("include[]"))
    with call.read() as (db, me):
        page = rosters.roster_user(db, me, course_id, user_id, with_enrollments="enrollments" in includes)
    return render_roster_user(page.slice.items[0], page, includes, call.origin)


@get("/courses/{course_id:str}/content_share_users")
def list_content_share_users(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = rosters.content_share_users(db, me, course_id, call.str("search_term"), window)
    return call.paged(render_page_users(page, {"avatar_url", "email"}, call.origin), window, page.slice)


@get("/courses/{course_id:str}/student_view_student")
def get_student_view_student(call: Call, course_id: str) -> dict:
    with call.write() as (db, me):
        page = rosters.ensure_test_student(db, me, course_id)
    return render_roster_user(page.slice.items[0], page, set(), call.origin)


@get("/users/{user_id:str}")
def get_user(call: Call, user_id: str) -> dict:
    with call.read() as (db, me):
        profile = rosters.readable_user(db, me, user_id)
    return render_profile(profile, set(call.list("include[]")), call.origin)


ROUTES = [list_course_users, search_course_users, list_students, list_recent_students, get_course_user,
          list_content_share_users, get_student_view_student, get_user]
