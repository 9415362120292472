"""Learn course memberships (v1): a course's members, one member, enroll (PUT), change role or
availability (PATCH), remove; a user's memberships (the course roles are roles.py's). Memberships are
core enrollments (core/courses/enrollments.py writes them, core/views/enrollment_views.py lists them), so the
Canvas face sees every one made here, and Learn's calls need the course rights Canvas's would.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from courseport.core.courses import course_records, enrollments
from courseport.core.courses.enrollments import EnrollmentRequest
from courseport.core.identity import users
from courseport.core.kit.errors import Conflict, InvalidInput, NotFound, spelled_as
from courseport.core.kit.paging import Slice, Window
from courseport.core.views import enrollment_views
from courseport.core.views.enrollment_views import EnrollmentItem, EnrollmentQuery
from courseport.dialects.blackboard import entitlements as entitled
from courseport.dialects.blackboard.course_fields import SYSTEM_DATA_SOURCE, SYSTEM_SOURCE_KEY, record_ref
from courseport.dialects.blackboard.membership_json import (
    AVAILABLE_STATES,
    NAMES,
    ROLE_TYPES,
    render_membership,
)
from courseport.dialects.blackboard.protocol import Call, delete, get, on_versions, patch, put
from courseport.dialects.blackboard.user_json import user_ref
from courseport.schema import Course, User

_V1 = ("v1",)
_LIVE = ("active", "invited", "creation_pending", "inactive", "completed")
MEMBERSHIP_SORTS = {"created": "created_at", "lastAccessed": "last_activity_at"}  # Learn name -> core key
WRITE_TYPES: dict[str, type] = {"courseRoleId": str, "availability.available": str, "dataSourceId": str,
                                "childCourseId": str, "displayOrder": int}


def _course_and_user(db: Session, me: User, course_id: str, user_id: str) -> tuple[Course, User]:
    return course_records.resolve_record(db, *record_ref(course_id), me), users.find_user(db, *user_ref(user_id), me)


def _member(db: Session, me: User, course: Course, user: User) -> EnrollmentItem:
    query = EnrollmentQuery(states=_LIVE, user_ref=str(user.id))
    found = enrollment_views.list_course_enrollments(db, me, str(course.id), query, Window(0, 1)).items
    if not found:
        raise NotFound("membership", "Membership not found")
    return found[0]


def _query(call: Call) -> EnrollmentQuery:
    """Every search parameter of a membership list; a data source other than the one here matches nothing."""
    role = call.str("role")
    if role is not None and role not in ROLE_TYPES:
        raise InvalidInput("role", f"role must be one of {', '.join(ROLE_TYPES)}, got {role!r}")
    available = call.str("availability.available")
    if available is not None and available not in AVAILABLE_STATES:
        raise InvalidInput("availability.available", "availability.available must be Yes, No or Disabled")
    states = ("inactive",) if available in ("No", "Disabled") else _LIVE[:3] + _LIVE[4:] if available else _LIVE
    if call.str("dataSourceId") not in (None, SYSTEM_DATA_SOURCE, SYSTEM_SOURCE_KEY):
        states = ("no such state",)
    stamps = (call.stamp("created", "created_at") + call.stamp("modified", "updated_at")
              + call.stamp("lastAccessed", "last_activity_at"))
    return EnrollmentQuery(types=(ROLE_TYPES[role],) if role else (), states=states, stamps=stamps,
                           sort=call.order(MEMBERSHIP_SORTS))


def _fields(call: Call) -> dict[str, Any]:
    fields = call.body_fields(WRITE_TYPES)
    for name, value in fields.items():
        if name not in WRITE_TYPES:
            raise InvalidInput(name, f"{name} is not a field that may be set")
        if name == "childCourseId" and value is not None:
            raise InvalidInput(name, "childCourseId: this course is not part of a cross-listed set")
    role, available = fields.get("courseRoleId"), fields.get("availability.available")
    if role is not None and role not in ROLE_TYPES:
        raise InvalidInput("courseRoleId", f"courseRoleId must be one of {', '.join(ROLE_TYPES)}, got {role!r}")
    if available is not None and available not in AVAILABLE_STATES:
        raise InvalidInput("availability.available", "availability.available must be Yes, No or Disabled")
    return fields


def _page(call: Call, items: list[EnrollmentItem], window: Window, page: Slice) -> dict:
    expand = "user" in (call.str("expand") or "").split(",")
    return call.paged([render_membership(i.view.enrollment, i.user if expand else None) for i in items],
                      window, page)


def list_course_members(call: Call, course_id: str) -> dict:
    window, query = call.window(), _query(call)
    with call.read(*entitled.MEMBERS_VIEW) as (db, me):
        course = course_records.resolve_record(db, *record_ref(course_id), me)
        page = enrollment_views.list_course_enrollments(db, me, str(course.id), query, window)
        return _page(call, page.items, window, page.slice)


def list_user_memberships(call: Call, user_id: str) -> dict:
    window, query = call.window(), _query(call)
    with call.read() as (db, me):
        user = users.find_user(db, *user_ref(user_id), me)
        if user.id != me.id:  # a user always reads their own memberships
            call.require(db, entitled.USER_MEMBERSHIPS_VIEW)
        page = enrollment_views.list_user_enrollments(db, me, str(user.id), query, window)
        return _page(call, page.items, window, page.slice)


def get_membership(call: Call, course_id: str, user_id: str) -> dict:
    with call.read(*entitled.MEMBERS_VIEW) as (db, me):
        item = _member(db, me, *_course_and_user(db, me, course_id, user_id))
        return call.pick(render_membership(item.view.enrollment, item.user if call.str("expand") else None))


def put_membership(call: Call, course_id: str, user_id: str) -> dict:
    fields = _fields(call)
    etype = ROLE_TYPES[fields.get("courseRoleId") or "Student"]
    state = AVAILABLE_STATES[fields.get("availability.available") or "Yes"]
    with call.write(*entitled.MEMBER_CREATE) as (db, me), spelled_as(NAMES):
        course, user = _course_and_user(db, me, course_id, user_id)
        try:
            _member(db, me, course, user)
        except NotFound:
            request = EnrollmentRequest(user_ref=str(user.id), type=etype, state=state)
            return call.pick(render_membership(enrollments.enroll(db, me, str(course.id), None, request)))
        raise Conflict("User already enrolled")  # the swagger's 409


def update_membership(call: Call, course_id: str, user_id: str) -> dict:
    fields = _fields(call)
    with call.write(*entitled.MEMBER_MODIFY) as (db, me), spelled_as(NAMES):
        course, user = _course_and_user(db, me, course_id, user_id)
        enrollment = _member(db, me, course, user).view.enrollment
        ref = str(enrollment.id)
        if fields.get("courseRoleId"):
            enrollment = enrollments.change_type(db, me, str(course.id), ref, ROLE_TYPES[fields["courseRoleId"]])
        state = AVAILABLE_STATES.get(fields.get("availability.available") or "")
        if state == "inactive" and enrollment.workflow_state != "inactive":
            enrollment = enrollments.end_enrollment(db, me, str(course.id), ref, "deactivate")
        elif state == "active" and enrollment.workflow_state == "inactive":
            enrollment = enrollments.reactivate(db, me, str(course.id), ref)
        return call.pick(render_membership(enrollment))


def delete_membership(call: Call, course_id: str, user_id: str) -> None:
    with call.write(*entitled.MEMBER_DELETE) as (db, me):
        course, user = _course_and_user(db, me, course_id, user_id)
        enrollment = _member(db, me, course, user).view.enrollment
        enrollments.end_enrollment(db, me, str(course.id), str(enrollment.id), "delete")


_MEMBER = "/courses/{course_id:str}/users/{user_id:str}"
ROUTES = [
    *on_versions(get, "/courses/{course_id:str}/users", list_course_members, _V1),
    *on_versions(get, _MEMBER, get_membership, _V1),
    *on_versions(put, _MEMBER, put_membership, _V1, status_code=201),
    *on_versions(patch, _MEMBER, update_membership, _V1),
    *on_versions(delete, _MEMBER, delete_membership, _V1, status_code=204),
    *on_versions(get, "/users/{user_id:str}/courses", list_user_memberships, _V1),
]
