"""Learn's built-in system and institution roles (SystemRole, InstitutionRole of the swagger).

Core keeps no system or institution role per user: a root account's admins are Learn's SystemAdmin, every
other user is a User. The tables are Learn's built-in roles, numbered by their place (`_N_1`); no role
here is custom. Course roles are in membership_json.py, beside the enrollment types they map onto.
"""

from __future__ import annotations

from typing import Any

from courseport.core.kit.errors import NotFound
from courseport.dialects.blackboard.protocol import learn_id, primary_number

# (roleId, name, description) of Learn's system generated system roles, in the swagger's order.
SYSTEM_ROLES = (
    ("AccountAdmin", "User Administrator", "Manages users and their accounts."),
    ("CourseCreator", "Course Creator", "Creates courses and organizations."),
    ("CourseSupport", "Course Administrator", "Manages courses and organizations."),
    ("Guest", "Guest", "Reaches what is open to guests, without logging in."),
    ("Integration", "Integration", "The role of applications that integrate with Learn."),
    ("Observer", "Observer", "Observes the users they are linked to."),
    ("Portal", "Community Administrator", "Manages the institution's community areas."),
    ("SystemAdmin", "System Administrator", "Administers the whole system."),
    ("SystemSupport", "System Support", "Supports the system's administrators."),
    ("User", "User", "Every user who is not given another system role."),
)
# (roleId, name, description) of Learn's built-in institution roles.
INSTITUTION_ROLES = (
    ("STUDENT", "Student", "Students of the institution."),
    ("FACULTY", "Faculty", "Teaching staff of the institution."),
    ("STAFF", "Staff", "Staff of the institution."),
    ("ALUMNI", "Alumni", "Former students of the institution."),
    ("PROSPECTIVE_STUDENT", "Prospective Student", "People who may become students."),
    ("GUEST", "Guest", "Visitors of the institution."),
    ("OTHER", "Other", "Anyone else."),
    ("OBSERVER", "Observer", "Observers of students, such as parents."),
)
ROLE_SORTS = {"roleId": "roleId", "custom": "custom"}  # both lists may be sorted by these


def numbered(table: tuple[tuple[Any, ...], ...], ref: str, what: str) -> tuple[int, tuple[Any, ...]]:
    """The (number, row) a role path id names: `_N_1` or `roleId:X` (the roleId is the row's first item)."""
    number = primary_number(ref)
    kind, colon, value = ref.partition(":")
    for n, row in enumerate(table, 1):
        if n == number or (colon and kind == "roleId" and row[0] == value):
            return n, row
    raise NotFound("role", f"{what} not found")


def render_role(number: int, row: tuple[str, str, str]) -> dict[str, Any]:
    role_id, name, description = row
    return {"id": learn_id(number), "roleId": role_id, "name": name, "description": description, "custom": False}
