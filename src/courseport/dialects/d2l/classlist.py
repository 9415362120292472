"""The classlist of a course offering (le): its members as ClasslistUser blocks, each user once with the
role of their first enrollment there. Login names, OrgDefinedIds and emails show to those the Canvas
roster shows them to (FieldAccess: SIS ids, logins, emails).

The paged form answers an ObjectListPage `{Next, Objects}` (Next: the URL of the following page, or null),
sorted by DisplayName and then Identifier, `?searchTerm=` matching Identifier, Username, OrgDefinedId,
FirstName or LastName as the caller sees them (a field hidden from them matches nothing)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from courseport.core.courses.course_offerings import offering_course_id
from courseport.core.kit.paging import Window
from courseport.core.views import enrollment_views
from courseport.core.views.enrollment_views import EnrollmentItem, EnrollmentQuery
from courseport.dialects.d2l.enrollment_json import role_info
from courseport.dialects.d2l.protocol import PAGE_SIZE, Call, get, route_id, utc
from courseport.dialects.d2l.user_json import split_name
from courseport.dialects.d2l.users import bookmark_offset

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


_SEARCHED = ("Identifier", "Username", "OrgDefinedId", "FirstName", "LastName")


@get(BASE + "/")
def get_classlist(call: Call, version: str, org_unit_id: str) -> list:
    return _members(call, org_unit_id)


@get(BASE + "/paged/")
def page_classlist(call: Call, version: str, org_unit_id: str) -> dict:
    offset = bookmark_offset(call.bookmark())
    term = (call.query.get("searchTerm") or "").strip().lower()
    rows = [r for r in _members(call, org_unit_id)
            if not term or any(term in (r[k] or "").lower() for k in _SEARCHED)]
    rows.sort(key=lambda r: (r["DisplayName"].lower(), int(r["Identifier"])))
    more = len(rows) > offset + PAGE_SIZE
    query = {**({"searchTerm": call.query["searchTerm"]} if term else {}), "bookmark": str(offset + PAGE_SIZE)}
    here = call.path.rstrip("/") + "/"  # the route as Valence writes it (the router drops the slash)
    return {"Next": f"{call.origin}{here}?{urlencode(query)}" if more else None,
            "Objects": rows[offset:offset + PAGE_SIZE]}


def _members(call: Call, org_unit_id: str) -> list[dict[str, Any]]:
    ou = route_id(org_unit_id)
    with call.read() as (db, me):
        course_id = offering_course_id(db, ou)
        query = EnrollmentQuery(states=("active",), one_per_course=True)
        page = enrollment_views.list_course_enrollments(db, me, str(course_id), query, _ALL)
        return [render_classlist_user(item) for item in page.items]


ROUTES = [get_classlist, page_classlist]
