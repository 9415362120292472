"""Canvas JSON for course groups: the GroupCategory, Group and GroupMembership objects.

`sis` (`group_sis.manages_sis`, read once per request): the SIS id and the import that last wrote it, shown to
admins of the root account and left out for others, as Canvas includes them only for those who may read
(and manage) SIS data."""

from __future__ import annotations

from typing import Any

from courseport.core.courses.groups import GroupView
from courseport.schema import GroupCategory, GroupMembership


def render_category(c: GroupCategory, sis: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": c.id, "name": c.name, "role": c.role, "self_signup": c.self_signup, "auto_leader": None,
        "context_type": "Course", "course_id": c.course_id, "group_limit": c.group_limit}
    if sis:
        body.update(sis_group_category_id=c.sis_source_id, sis_import_id=c.sis_import_id)
    return body | {"progress": None, "non_collaborative": False}


def render_group(v: GroupView, sis: bool) -> dict[str, Any]:
    g = v.group
    body: dict[str, Any] = {
        "id": g.id, "name": g.name, "description": g.description, "is_public": False, "followed_by_user": False,
        "join_level": g.join_level, "members_count": v.members_count, "avatar_url": None, "context_type": "Course",
        "course_id": g.course_id, "role": None, "group_category_id": g.category_id}
    if sis:
        body.update(sis_group_id=g.sis_source_id, sis_import_id=g.sis_import_id)
    return body | {"storage_quota_mb": 50}


def render_membership(m: GroupMembership) -> dict[str, Any]:
    return {"id": m.id, "group_id": m.group_id, "user_id": m.user_id, "workflow_state": "accepted",
            "moderator": m.moderator, "just_created": False, "sis_import_id": None}
