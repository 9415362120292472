"""The classlist of a course offering (le): its members as ClasslistUser blocks, each user once with the
role of their first enrollment there. Login names, OrgDefinedIds and emails show to those the Canvas
roster shows them to (FieldAccess: SIS ids, logins, emails)."""

from __future__ import annotations

from typing import Any

from courseport.core.courses.course_offerings import offering_course_id
from courseport.core.kit.paging import Window
from courseport.core.views import enrollment_views
from courseport.core.views.enrollment_views import EnrollmentItem, EnrollmentQuery
from courseport.dialects.d2l.enrollment_json import role_info
from courseport.dialects.d2l.protocol import Call, get, route_id, utc
from courseport.dialects.d2l.user_json import split_name

BASE = "/api/le/{version:str}/{org_unit_id:str}/classlist"
_ALL = Window(0, 100_000)


def render_classlist_user(item: EnrollmentItem) -> dict[str, Any]:
    user, access = item.user, item.context.access
    first, last = split_name(user.name)
    role = role_info(item)
    return {"Identifier": str(user.id), "ProfileIdentifier": user.uuid, "DisplayName": user.name,
            "Username": user.login_id if access.login_ids or user.id == access.viewer_id else None,
            "OrgDefinedId": user.sis_user_id if access.sis_ids else None,
            "Email": user.email if access.emails or user.id == access.viewer_id else None,
            "FirstName": first, "LastName": last, "RoleId": role["Id"],
            "LastAccessed": utc(item.view.enrollment.last_activity_at), "IsOnline": False,
            "ClasslistRoleDisplayName": role["Name"]}


@get(BASE + "/")
def get_classlist(call: Call, version: str, org_unit_id: str) -> list:
    ou = route_id(org_unit_id)
    with call.read() as (db, me):
        course_id = offering_course_id(db, ou)
        query = EnrollmentQuery(states=("active",), one_per_course=True)
        page = enrollment_views.list_course_enrollments(db, me, str(course_id), query, _ALL)
        return [render_classlist_user(item) for item in page.items]


ROUTES = [get_classlist]
