"""Valence user and role blocks (User.WhoAmIUser, User.UserData, Role) from core users and roles.

Valence keeps a first and a last name; core keeps one full name (Canvas's). The last word is the last
name and the rest the first name, the split `users.sortable_name_of` makes too; a create or update
joins them back.

UserData.UniqueIdentifier is the UserName the user was made with (D2L: it "gets set to the UserName
property you pass within the CreateUserData structure" and follows later UserName changes), so it is the
login here, not the user's uuid (that is WhoAmIUser.ProfileIdentifier).
"""

from __future__ import annotations

from typing import Any

from courseport.core.identity.roles import BUILT_IN_LABELS
from courseport.dialects.d2l.protocol import utc
from courseport.schema import Role, User


def split_name(name: str) -> tuple[str, str]:
    parts = name.split()
    if len(parts) < 2:
        return name.strip(), ""
    return " ".join(parts[:-1]), parts[-1]


def full_name(first: str, middle: str | None, last: str) -> str:
    return " ".join(p.strip() for p in (first, middle or "", last) if p and p.strip())


def render_whoami(user: User) -> dict[str, Any]:
    first, last = split_name(user.name)
    return {"Identifier": str(user.id), "FirstName": first, "LastName": last,
            "UniqueName": user.login_id or "", "ProfileIdentifier": user.uuid}


def render_user(user: User, org_id: int) -> dict[str, Any]:
    """UserData; `org_id` is the organization's org unit id."""
    first, last = split_name(user.name)
    return {
        "OrgId": org_id, "UserId": user.id, "FirstName": first, "MiddleName": None,
        "LastName": last, "UserName": user.login_id, "ExternalEmail": user.email,
        "OrgDefinedId": user.sis_user_id, "UniqueIdentifier": user.login_id,
        "Activation": {"IsActive": user.workflow_state == "registered"},
        "LastAccessedDate": utc(user.last_login), "DisplayName": user.name,
    }


def role_name(role: Role) -> str:
    return BUILT_IN_LABELS.get(role.name, role.name) if role.account_id is None else role.name


def render_role(role: Role) -> dict[str, Any]:
    return {"Identifier": str(role.id), "DisplayName": role_name(role), "Code": role.name}

