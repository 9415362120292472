"""Role routes (lp): the roles an enrollment may take, and those the members of one offering hold (the
roles of the enrollments the caller sees there, each once, by id). Valence role ids are core role ids (the
built-in course roles and the organization's custom roles); `roles.role_for` is the one lookup."""

from __future__ import annotations

from courseport.core.courses.course_offerings import offering_course_id
from courseport.core.identity import accounts, roles
from courseport.core.kit.paging import Window
from courseport.core.views import enrollment_views
from courseport.core.views.enrollment_views import EnrollmentQuery
from courseport.dialects.d2l.protocol import Call, get, route_id
from courseport.dialects.d2l.user_json import render_role

BASE = "/api/lp/{version:str}/roles"
ORG = str(accounts.ROOT_ACCOUNT_ID)
ALL_ROLES = Window(0, 10_000)


@get(BASE + "/")
def list_roles(call: Call, version: str) -> list:
    with call.read() as (db, me):
        listed = roles.list_roles(db, me, ORG, ["active"], True, ALL_ROLES)
        return [render_role(view.role) for view in listed.items]


@get(BASE + "/{role_id:str}")
def get_role(call: Call, version: str, role_id: str) -> dict:
    rid = route_id(role_id, "role")
    with call.read() as (db, me):
        return render_role(roles.get_role(db, me, ORG, str(rid)).role)


@get("/api/lp/{version:str}/{org_unit_id:str}/roles/")
def enrolled_roles(call: Call, version: str, org_unit_id: str) -> list:
    ou = route_id(org_unit_id)
    with call.read() as (db, me):
        course_id = offering_course_id(db, ou)
        page = enrollment_views.list_course_enrollments(db, me, str(course_id), EnrollmentQuery(states=("active",)),
                                                        ALL_ROLES)
        held = sorted({item.view.enrollment.role_id for item in page.items})
        return [render_role(roles.role_for(db, accounts.ROOT_ACCOUNT_ID, role_id)) for role_id in held]


ROUTES = [list_roles, get_role, enrolled_roles]
