"""Group.GroupCategoryData and Group.GroupData blocks from core categories and groups, and the GRPENROLL_T
enrollment styles (D2L's numbers, with their names) over core's placement styles."""

from __future__ import annotations

from typing import Any

from courseport.core.courses.offering_groups import CategoryView, MemberView
from courseport.core.courses.org_units import group_code
from courseport.dialects.d2l.protocol import utc
from courseport.dialects.d2l.section_json import rich_text

# GRPENROLL_T -> (name, core style)
STYLES: dict[int, tuple[str, str]] = {
    0: ("NumberOfGroupsNoEnrollment", "manual_by_count"),
    1: ("PeoplePerGroupAutoEnrollment", "auto_by_size"),
    2: ("NumberOfGroupsAutoEnrollment", "auto_by_count"),
    3: ("PeoplePerGroupSelfEnrollment", "self_by_size"),
    4: ("SelfEnrollmentNumberOfGroups", "self_by_count"),
    5: ("PeoplePerNumberOfGroupsSelfEnrollment", "self_by_size_and_count"),
    6: ("SingleUserMemberSpecificGroup", "single_member"),
}
STYLE_CODES = {style: code for code, (_, style) in STYLES.items()}


def render_category(view: CategoryView) -> dict[str, Any]:
    """GroupCategoryData (Groups: the groups' org unit ids); a category is restricted to no section here
    (RestrictedByOrgUnitId null)."""
    c, p = view.category, view.placement
    return {"GroupCategoryId": c.id, "Name": c.name, "Description": rich_text(c.description),
            "EnrollmentStyle": STYLE_CODES[p.style], "EnrollmentQuantity": p.quantity,
            "MaxUsersPerGroup": c.group_limit, "AutoEnroll": p.auto_enroll, "RandomizeEnrollments": p.randomize,
            "Groups": view.group_ids, "AllocateAfterExpiry": p.allocate_after_expiry,
            "SelfEnrollmentExpiryDate": utc(p.self_signup_ends_at), "RestrictedByOrgUnitId": None,
            "DescriptionsVisibleToEnrolees": p.descriptions_visible}


def render_group(view: MemberView) -> dict[str, Any]:
    """GroupData: GroupId is the group's org unit id; its Code the group's external id, "" when only the uuid
    stands for one."""
    g = view.group
    return {"GroupId": view.org_unit_id, "Name": g.name, "Code": group_code(g),
            "Description": rich_text(g.description), "Enrollments": view.user_ids}
