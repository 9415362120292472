"""Canvas course users and user routes: list/search users, students, recent students, one course user,
content-share users, the student-view test student, the User object at /users/:id (show, edit), the
profile, and an account's users (create with a login, list and search, remove)."""

from __future__ import annotations

from typing import cast

from litestar import Response

from courseport.core.identity import account_users, user_merges
from courseport.core.identity.account_users import NewUser, UserChanges
from courseport.core.identity.logins import LoginChanges
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.ids import store_id
from courseport.core.views import rosters
from courseport.core.views.rosters import RosterQuery, UserProfile
from courseport.dialects.canvas.protocol import Call, delete, get, get_writing, post, prefixed_params, put, to_int
from courseport.dialects.canvas.user_json import (
    render_account_user,
    render_page_users,
    render_profile,
    render_roster_user,
    render_user_profile,
    user_create_errors,
)

_USER_FIELDS = ("name", "short_name", "sortable_name", "time_zone", "locale", "email", "bio", "pronouns")
_LOGIN_FIELDS = ("unique_id", "password", "sis_user_id", "integration_id")


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
        current_period_scores="current_grading_period_scores" in includes,
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


@get_writing("/courses/{course_id:str}/student_view_student")
def get_student_view_student(call: Call, course_id: str) -> dict:
    with call.write() as (db, me):
        page = rosters.ensure_test_student(db, me, course_id)
    return render_roster_user(page.slice.items[0], page, set(), call.origin)


@get("/users/{user_id:str}")
def get_user(call: Call, user_id: str) -> dict:
    with call.read() as (db, me):
        profile = rosters.readable_user(db, me, user_id)
    return render_profile(profile, set(call.list("include[]")), call.origin)


def user_changes(call: Call) -> UserChanges:
    """`user[...]` as sent; `user[avatar][url]` sets the avatar."""
    node = call.raw("user")
    if node is not None and not isinstance(node, dict):
        raise InvalidInput("user", "user must be a hash of attributes")
    changes = UserChanges()
    for key in _USER_FIELDS:
        if key in (node or {}):
            changes.given.add(key)
            setattr(changes, key, call.str(f"user[{key}]"))
    if call.has("user[avatar][url]"):
        changes.given.add("avatar_url")
        changes.avatar_url = call.str("user[avatar][url]")
    return changes


def login_changes(call: Call, prefix: str) -> LoginChanges:
    changes = LoginChanges()
    for key in (*_LOGIN_FIELDS, "authentication_provider_id", "declared_user_type", "workflow_state"):
        if call.has(f"{prefix}[{key}]"):
            changes.given.add(key)
            kind = call.int if key == "authentication_provider_id" else call.str
            setattr(changes, key, kind(f"{prefix}[{key}]"))
    return changes


def new_user(call: Call) -> NewUser:
    """Canvas's create params; the email is the channel's address, else a login that is an email."""
    if not call.str("pseudonym[unique_id]"):
        raise InvalidInput("pseudonym[unique_id]", "pseudonym[unique_id] is required")
    user, login = user_changes(call), login_changes(call, "pseudonym")
    channel_type = call.str("communication_channel[type]", "email")
    address = call.str("communication_channel[address]") or login.unique_id
    if channel_type == "email" and address and "@" in address:
        user.given.add("email")
        user.email = address
    return NewUser(user, login, bool(call.bool("user[skip_registration]")),
                   bool(call.bool("enable_sis_reactivation")),
                   bool(call.bool("communication_channel[skip_confirmation]")))


@post("/accounts/{account_id:str}/users", status_code=200)
def create_account_user(call: Call, account_id: str) -> Response:
    new = new_user(call)
    try:
        with call.write() as (db, me):
            user = account_users.create_user(db, me, account_id, new)
            body = render_account_user(user, {"locale"}, call.origin)
    except InvalidInput as exc:
        return Response(user_create_errors(exc), status_code=400)
    return Response(body)


@get("/accounts/{account_id:str}/users")
def list_account_users(call: Call, account_id: str) -> Response:
    window, includes = call.window(), set(call.list("include[]"))
    query = account_users.user_query(call.str("search_term"), call.str("sort"), call.str("order"),
                                     enrollment_type=call.str("enrollment_type"), uuids=tuple(call.list("uuids[]")),
                                     include_deleted=bool(call.bool("include_deleted_users")))
    with call.read() as (db, me):
        page = account_users.list_users(db, me, account_id, query, window)
    return call.paged([render_account_user(u, includes, call.origin) for u in page.items], window, page)


@put("/users/{user_id:str}")
def update_user(call: Call, user_id: str) -> dict:
    changes = user_changes(call)
    with call.write() as (db, me), prefixed_params("user", _USER_FIELDS):
        user = account_users.update_user(db, me, user_id, changes)
        profile = UserProfile(user, user.id == me.id, account_users.administers_user(db, me.id, user))
    return render_profile(profile, {"uuid"} & set(call.list("include[]")), call.origin)


@get("/users/{user_id:str}/profile")
def get_user_profile(call: Call, user_id: str) -> dict:
    with call.read() as (db, me):
        profile = rosters.readable_user(db, me, user_id)
    return render_user_profile(profile, call.origin)


@delete("/accounts/{account_id:str}/users/{user_id:str}")
def remove_account_user(call: Call, account_id: str, user_id: str) -> dict:
    with call.write() as (db, me):
        user = account_users.remove_user(db, me, account_id, user_id)
        return render_account_user(user, set(), call.origin)


def _merged(call: Call, user_id: str, destination_user_id: str, destination_account_id: str | None) -> dict:
    with call.write() as (db, me):
        user = user_merges.merge_into(db, me, user_id, destination_user_id, destination_account_id)
        return render_account_user(user, {"locale"}, call.origin)


@put("/users/{user_id:str}/merge_into/{destination_user_id:str}")
def merge_user_into(call: Call, user_id: str, destination_user_id: str) -> dict:
    return _merged(call, user_id, destination_user_id, None)


@put("/users/{user_id:str}/merge_into/accounts/{destination_account_id:str}/users/{destination_user_id:str}")
def merge_user_into_account_user(call: Call, user_id: str, destination_account_id: str,
                                 destination_user_id: str) -> dict:
    return _merged(call, user_id, destination_user_id, destination_account_id)


@delete("/users/{user_id:str}/sessions")
def terminate_sessions(call: Call, user_id: str) -> Response:
    """Canvas answers the JSON string "ok"."""
    with call.write() as (db, me):
        account_users.terminate_sessions(db, me, user_id)
    return Response(content=b'"ok"', media_type="application/json")


ROUTES = [list_course_users, search_course_users, list_students, list_recent_students, get_course_user,
          list_content_share_users, get_student_view_student, get_user, create_account_user, list_account_users,
          update_user, get_user_profile, remove_account_user, merge_user_into,
          merge_user_into_account_user, terminate_sessions]
