"""Enrollment.* blocks (EnrollmentData, OrgUnitUser, UserOrgUnit, MyOrgUnitInfo) from core enrollment items.
A Valence enrollment is a core (Canvas) enrollment of a course offering; its RoleId is the core role id."""

from __future__ import annotations

from typing import Any

from courseport.core.courses import org_units
from courseport.core.identity.roles import BUILT_IN_LABELS
from courseport.core.views.enrollment_views import EnrollmentItem
from courseport.dialects.d2l.course_json import offering_org_unit_id, render_org_unit_type
from courseport.dialects.d2l.protocol import utc
from courseport.schema import Course, Enrollment


def render_enrollment(enrollment: Enrollment) -> dict[str, Any]:
    """EnrollmentData; enrollments in an offering never cascade to org units below it."""
    return {"OrgUnitId": offering_org_unit_id(enrollment, enrollment.course_id), "UserId": enrollment.user_id,
            "RoleId": enrollment.role_id, "IsCascading": False}


def role_info(item: EnrollmentItem) -> dict[str, Any]:
    """RoleInfo: {Id, Code, Name}; the code is the role's stored name, the name its label."""
    name = item.view.role_name
    return {"Id": item.view.enrollment.role_id, "Code": name, "Name": BUILT_IN_LABELS.get(name, name)}


def _ou(course: Course) -> int:
    return offering_org_unit_id(course, course.id)


def render_org_unit_user(item: EnrollmentItem) -> dict[str, Any]:
    user = item.user
    return {"User": {"Identifier": str(user.id), "DisplayName": user.name, "EmailAddress": user.email,
                     "OrgDefinedId": user.sis_user_id, "ProfileBadgeUrl": None, "ProfileIdentifier": user.uuid},
            "Role": role_info(item)}


def org_unit_info(course: Course) -> dict[str, Any]:
    return {"Id": _ou(course), "Type": render_org_unit_type(org_units.COURSE_OFFERING), "Name": course.name,
            "Code": course.course_code}


def render_user_org_unit(item: EnrollmentItem) -> dict[str, Any]:
    return {"OrgUnit": org_unit_info(item.context.course), "Role": role_info(item)}


def render_my_org_unit(item: EnrollmentItem) -> dict[str, Any]:
    course = item.context.course
    active = course.workflow_state == "available"
    enrollment = item.view.enrollment
    return {
        "OrgUnit": {**org_unit_info(course), "HomeUrl": f"/d2l/home/{_ou(course)}", "ImageUrl": None},
        "Access": {"IsActive": active, "StartDate": utc(course.start_at), "EndDate": utc(course.end_at),
                   "CanAccess": active and enrollment.workflow_state == "active",
                   "ClasslistRoleName": role_info(item)["Name"], "LISRoles": [], "LastAccessed": None},
        "PinDate": None,
    }
