"""Enrollment routes (lp): enroll (CreateEnrollmentData), list an offering's users and a user's org units
(PagedResultSet, filtered by role), the caller's own (myenrollments, with every filter inside the paged
query, and one org unit's MyOrgUnitInfo or its access block), read and delete one from either side. A
user is one member of an offering however many of its sections they joined (the first of their
enrollments there stands for them). Each is the core enrollment the Canvas face lists:
`enrollments` writes it (active at once, as Valence enrolls), `enrollment_views` reads it. Org units that
take enrollments here are course offerings. Valence keeps one role per user and org unit, and only the
organization's admins write enrollments: both rules are core's (`enroll_in_one_role`, `unenroll` with
admins_only), one call a route.
"""

from __future__ import annotations

from typing import Any

from litestar import Response
from sqlalchemy.orm import Session

from courseport.core.courses import enrollments
from courseport.core.courses.course_offerings import offering_course_id
from courseport.core.courses.enrollments import EnrollmentRequest
from courseport.core.identity import accounts, roles
from courseport.core.kit.errors import InvalidInput, NotFound, spelled_as
from courseport.core.kit.paging import Window
from courseport.core.views import enrollment_views
from courseport.core.views.enrollment_views import EnrollmentItem, EnrollmentPage, EnrollmentQuery
from courseport.dialects.d2l.enrollment_json import (
    render_enrollment,
    render_my_org_unit,
    render_org_unit_user,
    render_user_org_unit,
)
from courseport.dialects.d2l.protocol import (
    BOOLEAN,
    D2LID,
    PAGE_SIZE,
    Call,
    block_fields,
    delete,
    get,
    post,
    route_id,
    to_datetime,
)
from courseport.dialects.d2l.users import bookmark_offset
from courseport.schema import User

BASE = "/api/lp/{version:str}/enrollments"
CREATE_SPEC = {"OrgUnitId": (D2LID, True), "UserId": (D2LID, True), "RoleId": (D2LID, True),
               "IsCascading": (BOOLEAN, False)}
VALENCE_NAMES = {"user_id": "UserId", "role_id": "RoleId", "type": "RoleId", "course": "OrgUnitId"}
OFFERING_TYPE_ID = "3"  # the only org unit type that holds enrollments here
# Valence lists every enrollment that is not deleted, the concluded and inactive ones too.
LISTED_STATES = ("active", "invited", "creation_pending", "completed", "inactive")
# myenrollments sortBy field -> core sort key (no pins are kept: PinDate orders nothing).
MY_SORTS = {"OrgUnitName": "course_name", "OrgUnitCode": "course_code", "StartDate": "course_start_at",
            "EndDate": "course_end_at", "LastAccessed": "last_activity_at", "PinDate": ""}


@post(BASE + "/")
def create_enrollment(call: Call, version: str) -> dict:
    """One role per user and org unit, as Valence keeps: enrolling again with another role replaces it."""
    f = block_fields(call.block(), CREATE_SPEC)
    req = EnrollmentRequest(user_ref=str(f["UserId"]), role_id=f["RoleId"], state="active")
    with call.write() as (db, me), spelled_as(VALENCE_NAMES):
        return render_enrollment(enrollments.enroll_in_one_role(
            db, me, str(offering_course_id(db, f["OrgUnitId"])), req, admins_only=True))


@get(BASE + "/orgUnits/{org_unit_id:str}/users/")
def list_org_unit_users(call: Call, version: str, org_unit_id: str) -> dict:
    ou = route_id(org_unit_id)
    with call.read() as (db, me):
        ou = offering_course_id(db, ou)
        query = EnrollmentQuery(roles=_role_filter(db, call), states=LISTED_STATES, one_per_course=True)
        return _paged(call, lambda w: enrollment_views.list_course_enrollments(db, me, str(ou), query, w),
                      render_org_unit_user)


@get(BASE + "/orgUnits/{org_unit_id:str}/users/{user_id:str}")
def get_enrollment(call: Call, version: str, org_unit_id: str, user_id: str) -> dict:
    return _read_enrollment(call, org_unit_id, user_id)


@delete(BASE + "/orgUnits/{org_unit_id:str}/users/{user_id:str}")
def delete_enrollment(call: Call, version: str, org_unit_id: str, user_id: str) -> Response:
    return _unenroll(call, org_unit_id, user_id)


@get(BASE + "/users/{user_id:str}/orgUnits/{org_unit_id:str}")
def get_user_enrollment(call: Call, version: str, user_id: str, org_unit_id: str) -> dict:
    """The same EnrollmentData as `orgUnits/(orgUnitId)/users/(userId)`, seen from the user."""
    return _read_enrollment(call, org_unit_id, user_id)


@delete(BASE + "/users/{user_id:str}/orgUnits/{org_unit_id:str}")
def delete_user_enrollment(call: Call, version: str, user_id: str, org_unit_id: str) -> Response:
    return _unenroll(call, org_unit_id, user_id)


def _read_enrollment(call: Call, org_unit_id: str, user_id: str) -> dict:
    ou, uid = route_id(org_unit_id), route_id(user_id, "user")
    with call.read() as (db, me):
        course_id = offering_course_id(db, ou)
        return render_enrollment(_enrollment_of(db, me, course_id, uid).view.enrollment)


def _unenroll(call: Call, org_unit_id: str, user_id: str) -> Response:
    """Every enrollment of the user in the offering is deleted; answers the EnrollmentData (Valence's delete
    answers the enrollment as it was)."""
    ou, uid = route_id(org_unit_id), route_id(user_id, "user")
    with call.write() as (db, me):
        course_id = offering_course_id(db, ou)
        body = render_enrollment(enrollments.unenroll(db, me, str(course_id), str(uid), admins_only=True))
    return Response(body, status_code=200)


@get(BASE + "/users/{user_id:str}/orgUnits/")
def list_user_org_units(call: Call, version: str, user_id: str) -> dict:
    uid = route_id(user_id, "user")
    with call.read() as (db, me):
        query = EnrollmentQuery(roles=_role_filter(db, call), states=LISTED_STATES, one_per_course=True)
        if not _offerings_wanted(call):
            return call.paged([], None, False)
        return _paged(call, lambda w: enrollment_views.list_user_enrollments(db, me, str(uid), query, w),
                      render_user_org_unit)


@get(BASE + "/myenrollments/")
def my_enrollments(call: Call, version: str) -> dict:
    """The caller's org units (MyOrgUnitInfo), filtered by type, isActive, canAccess and the start and
    end dates, in sortBy order; one bookmark pages through the filtered list."""
    query = _my_query(call)
    with call.read() as (db, me):
        if not _offerings_wanted(call):
            return call.paged([], None, False)
        return _paged(call, lambda w: enrollment_views.list_user_enrollments(db, me, str(me.id), query, w),
                      render_my_org_unit)


@get(BASE + "/myenrollments/{org_unit_id:str}")
def my_enrollment(call: Call, version: str, org_unit_id: str) -> dict:
    """The caller's MyOrgUnitInfo in one org unit; 404 when they are not enrolled there."""
    with call.read() as (db, me):
        return render_my_org_unit(_my_item(db, me, org_unit_id))


@get(BASE + "/myenrollments/{org_unit_id:str}/access")
def my_access(call: Call, version: str, org_unit_id: str) -> dict:
    """MyOrgUnitAccessInfo: the Access block of the caller's MyOrgUnitInfo there."""
    with call.read() as (db, me):
        return render_my_org_unit(_my_item(db, me, org_unit_id))["Access"]


def _my_item(db: Session, me: User, org_unit_id: str) -> EnrollmentItem:
    """The caller's own enrollment there, read as their myenrollments list reads it (no roster rights asked)."""
    course_id = offering_course_id(db, route_id(org_unit_id))
    query = EnrollmentQuery(states=LISTED_STATES, one_per_course=True, course_ids=(course_id,))
    items = enrollment_views.list_user_enrollments(db, me, str(me.id), query, Window(0, 1)).items
    if not items:
        raise NotFound("enrollment", "You are not enrolled in this org unit.")
    return items[0]


def _my_query(call: Call) -> EnrollmentQuery:
    start, end = (to_datetime(call.query[name], name) if call.query.get(name) else None
                  for name in ("startDateTime", "endDateTime"))
    stamps = ((("course_start_at", start, False),) if start else ()) + ((("course_end_at", end, True),) if end else ())
    return EnrollmentQuery(states=LISTED_STATES, one_per_course=True, stamps=stamps,
                           sort=_sort_by(call.query.get("sortBy")), course_active=_flag(call, "isActive"),
                           accessible=_flag(call, "canAccess"))


def _sort_by(text: str | None) -> tuple[tuple[str, bool], ...]:
    """sortBy: comma-separated MyOrgUnitInfo fields, each descending with a leading '-'."""
    order = []
    for part in (text or "").split(","):
        name = part.strip().lstrip("-")
        if not name:
            continue
        if name not in MY_SORTS:
            raise InvalidInput("sortBy", f"sortBy may name only {', '.join(MY_SORTS)}.")
        if MY_SORTS[name]:
            order.append((MY_SORTS[name], part.strip().startswith("-")))
    return tuple(order)


def _paged(call: Call, fetch: Any, render: Any) -> dict:
    offset = bookmark_offset(call.bookmark())
    page: EnrollmentPage = fetch(Window(offset, PAGE_SIZE))
    items = [render(item) for item in page.items]
    return call.paged(items, str(offset + len(items)) if items else None, page.slice.has_more)


def _role_filter(db: Session, call: Call) -> tuple[str, ...]:
    """roleId names a role; the core filter takes its stored name."""
    if (text := call.query.get("roleId")) is None:
        return ()
    if not (text.isascii() and text.isdigit()):
        raise InvalidInput("roleId", "roleId must be a D2LID (a number).")
    try:
        return (roles.role_for(db, accounts.ROOT_ACCOUNT_ID, text).name,)
    except NotFound:
        raise InvalidInput("roleId", "No such role.") from None


def _offerings_wanted(call: Call) -> bool:
    wanted = call.query.get("orgUnitTypeId")
    if wanted is not None and not (wanted.isascii() and wanted.isdigit()):
        raise InvalidInput("orgUnitTypeId", "orgUnitTypeId must be a D2LID (a number).")
    return wanted is None or wanted == OFFERING_TYPE_ID


def _flag(call: Call, name: str) -> bool | None:
    text = call.query.get(name)
    if text is None:
        return None
    if text.lower() not in ("true", "false"):
        raise InvalidInput(name, f"{name} must be true or false.")
    return text.lower() == "true"


def _user_items(db: Session, me: User, ou: int, uid: int) -> list[EnrollmentItem]:
    query = EnrollmentQuery(user_ref=str(uid), states=LISTED_STATES, one_per_course=True)
    return enrollment_views.list_course_enrollments(db, me, str(ou), query, Window(0, PAGE_SIZE)).items


def _enrollment_of(db: Session, me: User, course_id: int, uid: int) -> EnrollmentItem:
    items = _user_items(db, me, course_id, uid)
    if not items:
        raise NotFound("enrollment", "The user is not enrolled in this org unit.")
    return items[0]


ROUTES = [create_enrollment, list_org_unit_users, get_enrollment, delete_enrollment, list_user_org_units,
          get_user_enrollment, delete_user_enrollment, my_enrollments, my_enrollment, my_access]
