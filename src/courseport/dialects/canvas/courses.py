"""Canvas Courses API routes: list, create, show, update, delete/conclude, reset, dismiss."""

from __future__ import annotations

from typing import Any

from litestar import Response
from litestar.enums import MediaType
from sqlalchemy.orm import Session

from courseport.core.courses import courses
from courseport.core.identity import accounts, users
from courseport.core.kit.errors import NotFound, spelled_as
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Window
from courseport.core.views import course_lists, course_view_extras, course_views
from courseport.core.views.course_lists import CourseFilters
from courseport.dialects.canvas.course_json import course_fields, render_course, wants_for
from courseport.dialects.canvas.listed_courses import course_json, listed_courses
from courseport.dialects.canvas.protocol import Call, coerce, delete, encode_json, get, post, put
from courseport.schema import User


def course_changes(call: Call) -> courses.CourseChanges:
    """The `course[...]` parameters present in the call, coerced to their core types."""
    fields: dict[str, Any] = {}
    for key, kind in courses.COURSE_FIELDS.items():
        value = call.raw(f"course[{key}]")
        if value is not None:
            fields[key] = coerce(value, kind, f"course[{key}]")
    for key in ("blueprint_restrictions", "blueprint_restrictions_by_object_type"):
        if isinstance(fields.get(key), dict):
            fields[key] = _bool_tree(fields[key], f"course[{key}]")
    sent = call.raw("course")
    if isinstance(sent, dict) and "grading_standard_id" in sent and sent["grading_standard_id"] is None:
        fields["grading_standard_id"] = None  # JSON null clears the standard, as a form's "" does
    return courses.CourseChanges(**fields)


# Core course field -> the parameter Canvas clients send it as (course[event] names the state change).
COURSE_PARAMS = {field: f"course[{field}]" for field in (*courses.COURSE_FIELDS, "event")}


def _bool_tree(node: dict[str, Any], name: str) -> dict[str, Any]:
    return {k: _bool_tree(v, f"{name}[{k}]") if isinstance(v, dict) else coerce(v, bool, f"{name}[{k}]")
            for k, v in node.items()}


def course_filters(call: Call) -> CourseFilters:
    return CourseFilters(
        enrollment_type=call.str("enrollment_type"), enrollment_role=call.str("enrollment_role"),
        enrollment_role_id=call.int("enrollment_role_id"), enrollment_state=call.str("enrollment_state"),
        exclude_blueprint_courses=bool(call.bool("exclude_blueprint_courses", False)),
        states=tuple(call.list("state[]")), homeroom=call.bool("homeroom"),
        account_id=call.int("account_id"),
    )


def render_course_page(call: Call, page, window, db: Session | None = None) -> Response:  # noqa: ANN001
    """A page of course views as the course lists render them (the usual list without include[]); `db`
    where the views may be of versioned rows (list_course_views), which may need reading whole."""
    includes = set(call.list("include[]"))
    if not includes:  # the usual list
        return call.paged(listed_courses(db, page.items, call.origin), window, page)
    return call.paged([render_course(v, includes, call.origin) for v in page.items], window, page)


def _listed_page(call: Call, db: Session, me: User, target: User, window: Window) -> Response:
    """The page of target's course list, rendered in the read: the usual list (no include[]) reads versioned
    rows where the server keeps listed courses' JSON (listed_courses.py), and whole courses only for others."""
    includes = call.list("include[]")
    page = course_lists.list_course_views(db, me, target, course_filters(call), window, wants_for(includes),
                                          fields=course_fields(includes),
                                          versioned=not includes and call.services.settings.json_cache)
    return render_course_page(call, page, window, db)


@get("/courses")
def list_your_courses(call: Call) -> Response:
    window = call.window()
    with call.read() as (db, me):
        return _listed_page(call, db, me, me, window)


@get("/users/{user_id:str}/courses")
def list_user_courses(call: Call, user_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        return _listed_page(call, db, me, users.resolve_user(db, user_id, me), window)


@post("/accounts/{account_id:str}/courses", status_code=200)
def create_course(call: Call, account_id: str) -> dict:
    """`account_id` as Canvas takes it: an id, `sis_account_id:X` or `self`."""
    changes = course_changes(call)
    with call.write() as (db, me), spelled_as(COURSE_PARAMS):
        account = accounts.resolve_account(db, account_id, me.id)
        course = courses.create_course(db, me, account.id, changes, offer=bool(call.bool("offer", False)),
                                       enroll_me=bool(call.bool("enroll_me", False)))
        [view] = course_views.load_views(db, me, [course], frozenset())
    return render_course(view, set(), call.origin)


def _show(call: Call, course_id: str, account_id: int | None = None) -> dict | Response:
    includes = set(call.list("include[]"))
    want, teacher_limit, deleted = wants_for(list(includes)), call.int("teacher_limit"), "all_courses" in includes
    kept = not includes and call.services.settings.json_cache  # its JSON kept by row version (listed_courses.py)

    def show(db: Session, me: User, rows: list | None = None) -> course_view_extras.CourseView:
        return course_views.show_course(db, me, course_id, want, teacher_limit=teacher_limit,
                                        account_id=account_id, include_deleted=deleted, rows=rows)

    def show_with_caller(db: Session, token: str | None) -> tuple[User, Any]:
        me, rows = course_views.caller_and_course(db, token, store_id(course_id), versioned=kept)
        view = show(db, me, rows)
        if not (rows and hasattr(rows[0], "row_version")):
            return me, view
        made = course_json(db, view, call.origin)
        if made is None:
            raise NotFound("course")
        return me, made

    key = ("course", course_id, want, teacher_limit, account_id, deleted)
    if want <= course_views.CLOCK_FREE_WANTS and is_id(course_id) and not call.has("as_user_id"):
        view = call.cached_caller_read(key, show_with_caller)  # the caller and the course in one statement
    elif want <= course_views.CLOCK_FREE_WANTS:  # `concluded` is worked out when rendered
        view = call.cached_read(key, show)
    else:
        with call.read() as (db, me):
            view = show(db, me)
    if not isinstance(view, course_view_extras.CourseView):  # its JSON, kept or made
        return Response(encode_json(view), media_type=MediaType.JSON)
    return render_course(view, includes, call.origin)


@get("/courses/{course_id:str}")
def get_course(call: Call, course_id: str) -> dict | Response:
    return _show(call, course_id)


@get("/accounts/{account_id:int}/courses/{course_id:str}")
def get_account_course(call: Call, account_id: int, course_id: str) -> dict | Response:
    return _show(call, course_id, account_id)


@put("/courses/{course_id:str}")
def update_course(call: Call, course_id: str) -> dict:
    changes = course_changes(call)
    event = call.str("course[event]") or None
    with call.write() as (db, me), spelled_as(COURSE_PARAMS):
        course = courses.update_course(db, me, course_id, changes, event=event, offer=bool(call.bool("offer", False)))
        [view] = course_views.load_views(db, me, [course], frozenset())
    return render_course(view, set(), call.origin)


@delete("/courses/{course_id:str}")
def delete_course(call: Call, course_id: str) -> dict:
    with call.write() as (db, me):
        event = courses.delete_or_conclude(db, me, course_id, call.str("event"))
    return {event: True}


@post("/courses/{course_id:str}/reset_content", status_code=200)
def reset_content(call: Call, course_id: str) -> dict:
    with call.write() as (db, me):
        course = courses.reset_content(db, me, course_id)
        [view] = course_views.load_views(db, me, [course], frozenset())
    return render_course(view, set(), call.origin)


@post("/courses/{course_id:str}/dismiss_migration_limitation_message", status_code=200)
def dismiss_migration_limitation_message(call: Call, course_id: str) -> dict:
    with call.write() as (db, me):
        courses.dismiss_migration_limitation(db, me, course_id)
    return {"success": True}


ROUTES = [list_your_courses, list_user_courses, create_course, get_course, get_account_course,
          update_course, delete_course, reset_content, dismiss_migration_limitation_message]
