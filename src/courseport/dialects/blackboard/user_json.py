"""The Learn User object (UserV1 of the swagger) and the user id forms; null fields are left out."""

from __future__ import annotations

from typing import Any

from courseport.core.kit.errors import NotFound
from courseport.dialects.blackboard.course_fields import SYSTEM_DATA_SOURCE
from courseport.dialects.blackboard.protocol import iso, learn_id, primary_number
from courseport.schema import User

# Learn's user id prefixes -> the core user address kinds (core/identity/users.py:find_user).
_USER_KINDS = {"userName": "login_id", "externalId": "sis_user_id", "uuid": "uuid"}


def user_ref(text: str) -> tuple[str, str | int]:
    """`_N_1`, `userName:x`, `externalId:x` or `uuid:x` as a core user address; anything else is 404."""
    number = primary_number(text)
    if number is not None:
        return "id", number
    kind, colon, value = text.partition(":")
    if colon and kind in _USER_KINDS and value:
        return _USER_KINDS[kind], value
    raise NotFound("user", "User not found")


def names_of(user: User) -> tuple[str, str]:
    """(given, family) from the stored names: the sortable name is "family, given" when it has a comma."""
    family, comma, given = (user.sortable_name or "").partition(", ")
    if comma:
        return given, family
    return user.name or "", ""


def render_user(user: User) -> dict[str, Any]:
    given, family = names_of(user)
    body = {
        "id": learn_id(user.id), "uuid": user.uuid, "externalId": user.sis_user_id or user.login_id,
        "dataSourceId": SYSTEM_DATA_SOURCE, "userName": user.login_id, "created": iso(user.created_at),
        "modified": iso(user.created_at), "lastLogin": iso(user.last_login),
        "availability": {"available": "No" if user.workflow_state == "deleted" else "Yes"},
        "name": {"given": given, "family": family}, "contact": {"email": user.email} if user.email else None,
    }
    return {k: v for k, v in body.items() if v is not None}
