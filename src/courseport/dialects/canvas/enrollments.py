"""Canvas Enrollments API routes: list by course, section or user; one by account; enroll in a course or
section; conclude, delete or deactivate; reactivate; the invitee's accept and reject."""

from __future__ import annotations

from datetime import datetime

from litestar import Response

from courseport.core.courses import enrollments
from courseport.core.courses.enrollments import EnrollmentRequest
from courseport.core.kit.errors import InvalidInput
from courseport.core.views import enrollment_views
from courseport.core.views.enrollment_views import WANTS, EnrollmentItem, EnrollmentPage, EnrollmentQuery
from courseport.dialects.canvas.enrollment_json import render_enrollment_object
from courseport.dialects.canvas.protocol import Call, coerce, delete, get, post, prefixed_params, put

# enrollment[...] as sent -> (core attribute, type)
_FIELDS: dict[str, tuple[str, type]] = {
    "user_id": ("user_ref", str), "type": ("type", str), "role_id": ("role_id", int),
    "enrollment_state": ("state", str), "course_section_id": ("section_ref", str),
    "limit_privileges_to_course_section": ("limit_privileges_to_course_section", bool), "notify": ("notify", bool),
    "self_enrolled": ("self_enrolled", bool), "associated_user_id": ("associated_user_ref", str),
    "start_at": ("start_at", datetime), "end_at": ("end_at", datetime),
}


def enrollment_request(call: Call) -> EnrollmentRequest:
    node = call.raw("enrollment")
    if not isinstance(node, dict) or not node:
        raise InvalidInput("enrollment", "No parameters given")
    req = EnrollmentRequest()
    for key, (attr, kind) in _FIELDS.items():
        if node.get(key) not in (None, ""):
            setattr(req, attr, coerce(node[key], kind, f"enrollment[{key}]"))
    return req


def _query(call: Call) -> tuple[EnrollmentQuery, set[str]]:
    includes = set(call.list("include[]"))
    query = EnrollmentQuery(types=tuple(call.list("type[]")), roles=tuple(call.list("role[]")),
                            states=tuple(call.list("state[]")), user_ref=call.str("user_id"),
                            grading_period_id=call.str("grading_period_id"), want=frozenset(includes & WANTS))
    return query, includes


def _page(call: Call, page: EnrollmentPage, includes: set[str]) -> Response:
    return call.paged([render_enrollment_object(i, includes, call.origin) for i in page.items], call.window(),
                      page.slice)


def _one(call: Call, item: EnrollmentItem) -> dict:
    return render_enrollment_object(item, set(), call.origin)


@get("/courses/{course_id:str}/enrollments")
def list_course_enrollments(call: Call, course_id: str) -> Response:
    query, includes = _query(call)
    with call.read() as (db, me):
        return _page(call, enrollment_views.list_course_enrollments(db, me, course_id, query, call.window()), includes)


@get("/sections/{section_id:str}/enrollments")
def list_section_enrollments(call: Call, section_id: str) -> Response:
    query, includes = _query(call)
    with call.read() as (db, me):
        page = enrollment_views.list_section_enrollments(db, me, section_id, query, call.window())
        return _page(call, page, includes)


@get("/users/{user_id:str}/enrollments")
def list_user_enrollments(call: Call, user_id: str) -> Response:
    query, includes = _query(call)
    with call.read() as (db, me):
        return _page(call, enrollment_views.list_user_enrollments(db, me, user_id, query, call.window()), includes)


@get("/accounts/{account_id:str}/enrollments/{enrollment_id:str}")
def get_account_enrollment(call: Call, account_id: str, enrollment_id: str) -> dict:
    with call.read() as (db, me):
        return _one(call, enrollment_views.account_enrollment(db, me, account_id, enrollment_id))


@post("/courses/{course_id:str}/enrollments", status_code=200)
def enroll_in_course(call: Call, course_id: str) -> dict:
    with call.write() as (db, me), prefixed_params("enrollment", _FIELDS):
        enrollment = enrollments.enroll(db, me, course_id, None, enrollment_request(call))
        return _one(call, enrollment_views.written_item(db, me, enrollment))


@post("/sections/{section_id:str}/enrollments", status_code=200)
def enroll_in_section(call: Call, section_id: str) -> dict:
    with call.write() as (db, me), prefixed_params("enrollment", _FIELDS):
        enrollment = enrollments.enroll(db, me, None, section_id, enrollment_request(call))
        return _one(call, enrollment_views.written_item(db, me, enrollment))


@delete("/courses/{course_id:str}/enrollments/{enrollment_id:str}")
def end_enrollment(call: Call, course_id: str, enrollment_id: str) -> dict:
    task = call.str("task")
    with call.write() as (db, me):
        enrollment = enrollments.end_enrollment(db, me, course_id, enrollment_id, task)
        return _one(call, enrollment_views.written_item(db, me, enrollment))


@put("/courses/{course_id:str}/enrollments/{enrollment_id:str}/reactivate")
def reactivate_enrollment(call: Call, course_id: str, enrollment_id: str) -> dict:
    with call.write() as (db, me):
        enrollment = enrollments.reactivate(db, me, course_id, enrollment_id)
        return _one(call, enrollment_views.written_item(db, me, enrollment))


@post("/courses/{course_id:str}/enrollments/{enrollment_id:str}/accept", status_code=200)
def accept_invitation(call: Call, course_id: str, enrollment_id: str) -> dict:
    with call.write() as (db, me):
        enrollments.answer_invitation(db, me, course_id, enrollment_id, accept=True)
    return {"success": True}


@post("/courses/{course_id:str}/enrollments/{enrollment_id:str}/reject", status_code=200)
def reject_invitation(call: Call, course_id: str, enrollment_id: str) -> dict:
    with call.write() as (db, me):
        enrollments.answer_invitation(db, me, course_id, enrollment_id, accept=False)
    return {"success": True}


ROUTES = [list_course_enrollments, list_section_enrollments, list_user_enrollments, get_account_enrollment,
          enroll_in_course, enroll_in_section, end_enrollment, reactivate_enrollment, accept_invitation,
          reject_invitation]
