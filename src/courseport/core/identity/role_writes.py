"""Custom roles made, changed, deactivated and activated by an account's admins (Canvas's Roles API writes).

A custom role has a label (stored as its name, unique among the account's active roles), a base type
(an account role or one of the course enrollment types) and the permissions it sets explicitly
(`RoleOverride` rows, one per permission name, in the role's own account). `permissions.role_rights` turns
them into rights, so an enrollment in the role holds what they say from the next call on. Permission names
that are unknown, or inapplicable to the base type (an account right on a course role), are ignored, as
Canvas ignores them. Built-in roles are neither changed nor deactivated here: their rights are fixed in
`permissions.ROLE_RIGHTS`. A deactivated role can be given to no new enrollment or admin, but the ones it
has keep its rights (Canvas documents the same).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.identity.permissions import ADMIN_ONLY, PERMISSION_ALIASES
from courseport.core.identity.roles import (
    ACCOUNT_MEMBERSHIP,
    BUILT_IN_LABELS,
    PERMISSION_NAMES,
    RoleView,
    admin_account,
    is_built_in,
    role_for,
    views,
)
from courseport.core.kit.changes import UNSET, Unset
from courseport.core.kit.errors import DomainError, InvalidInput
from courseport.schema import Account, Role, RoleOverride, User
from courseport.schema.base import utcnow

COURSE_BASE_TYPES = ("StudentEnrollment", "TeacherEnrollment", "TaEnrollment", "ObserverEnrollment",
                     "DesignerEnrollment")
BASE_ROLE_TYPES = (ACCOUNT_MEMBERSHIP, *COURSE_BASE_TYPES)
LABEL_LENGTH = 255


@dataclass(frozen=True)
class PermissionChange:
    """One permission of a role as a write sets it. `enabled` counts only with `explicit` true: a permission
    given without it (or with `explicit` false) goes back to the base type's value."""

    explicit: bool | Unset = UNSET
    enabled: bool | Unset = UNSET
    locked: bool | Unset = UNSET
    applies_to_self: bool | Unset = UNSET
    applies_to_descendants: bool | Unset = UNSET


@dataclass(frozen=True)
class RoleChanges:
    label: str | Unset = UNSET
    base_role_type: str | Unset = UNSET  # read by create only: a role keeps its base type
    permissions: dict[str, PermissionChange] | Unset = UNSET


def create_role(db: Session, actor: User, account_ref: str, changes: RoleChanges) -> RoleView:
    account = admin_account(db, actor, account_ref)
    label = _label("" if changes.label is UNSET else changes.label)
    base = changes.base_role_type or ACCOUNT_MEMBERSHIP
    if base not in BASE_ROLE_TYPES:
        raise InvalidInput("base_role_type", f"base_role_type must be one of {', '.join(BASE_ROLE_TYPES)}")
    _require_free_label(db, account.id, label, None)
    now = utcnow()
    role = Role(name=label, base_role_type=base, account_id=account.id, workflow_state="active",
                created_at=now, updated_at=now)
    db.add(role)
    db.flush()
    _set_permissions(db, role, {} if changes.permissions is UNSET else changes.permissions)
    return views(db, account, [role])[0]


def update_role(db: Session, actor: User, account_ref: str, role_ref: str, changes: RoleChanges) -> RoleView:
    """A custom role's label and explicit permissions; the permissions not named are kept."""
    account, role = _own_custom_role(db, actor, account_ref, role_ref, "The permissions of a built-in role "
                                     "can't be changed; create a custom role with its base type instead.")
    if changes.label is not UNSET:
        label = _label(changes.label)
        if role.workflow_state == "active":
            _require_free_label(db, account.id, label, role.id)
        role.name = label
    _set_permissions(db, role, {} if changes.permissions is UNSET else changes.permissions)
    role.updated_at = utcnow()
    db.flush()
    return views(db, account, [role])[0]


def set_role_state(db: Session, actor: User, account_ref: str, role_ref: str, state: str) -> RoleView:
    """Deactivate (`inactive`) or activate (`active`) a custom role; asking for the state it has changes nothing."""
    verb = "deactivated" if state == "inactive" else "activated"
    account, role = _own_custom_role(db, actor, account_ref, role_ref, f"A built-in role can't be {verb}.")
    if role.workflow_state != state:
        if state == "active":
            _require_free_label(db, account.id, role.name, role.id)
        role.workflow_state, role.updated_at = state, utcnow()
        db.flush()
    return views(db, account, [role])[0]


def _own_custom_role(db: Session, actor: User, account_ref: str, role_ref: str, built_in: str
                     ) -> tuple[Account, Role]:
    account = admin_account(db, actor, account_ref)
    role = role_for(db, account, role_ref)
    if is_built_in(role):
        raise DomainError(built_in)
    if role.account_id != account.id:
        raise DomainError("The role belongs to an account above this one; change it through that account.")
    return account, role


def _label(text: str) -> str:
    label = text.strip()
    if not label:
        raise InvalidInput("label", "label is required")
    if len(label) > LABEL_LENGTH:
        raise InvalidInput("label", f"label is too long (at most {LABEL_LENGTH} characters)")
    if label in BUILT_IN_LABELS:
        raise InvalidInput("label", "label is reserved: a built-in role has that name")
    return label


def _require_free_label(db: Session, account_id: int, label: str, role_id: int | None) -> None:
    clash = select(Role.id).where(Role.account_id == account_id, Role.name == label, Role.workflow_state == "active")
    if role_id is not None:
        clash = clash.where(Role.id != role_id)
    if db.scalar(clash.limit(1)) is not None:
        raise InvalidInput("label", "A role with this name already exists")


def applicable(role: Role, name: str) -> bool:
    """Whether a role of this base type may set the permission: a known name, and for a course role not
    an account right."""
    if name not in PERMISSION_NAMES:
        return False
    return role.base_role_type == ACCOUNT_MEMBERSHIP or PERMISSION_ALIASES.get(name, name) not in ADMIN_ONLY


def _set_permissions(db: Session, role: Role, changes: dict[str, PermissionChange]) -> None:
    wanted = {name: change for name, change in changes.items() if applicable(role, name)}
    if not wanted:
        return
    account_id = role.account_id
    assert account_id is not None  # custom roles only
    rows = {row.permission: row for row in db.scalars(select(RoleOverride).where(
        RoleOverride.role_id == role.id, RoleOverride.account_id == account_id,
        RoleOverride.permission.in_(sorted(wanted))))}
    for name, change in wanted.items():
        row = rows.get(name) or RoleOverride(role_id=role.id, account_id=account_id, permission=name, enabled=None,
                                             locked=False, applies_to_self=True, applies_to_descendants=True)
        _apply(row, change, name)
        if row.enabled is None and not row.locked:
            if name in rows:
                db.delete(row)  # nothing set any more: the base type's value again
        elif name not in rows:
            db.add(row)
    db.flush()


def _apply(row: RoleOverride, change: PermissionChange, name: str) -> None:
    row.enabled = bool(change.enabled) if change.explicit is True and change.enabled is not UNSET else None
    if change.locked is not UNSET:
        row.locked = change.locked
    if change.applies_to_self is not UNSET:
        row.applies_to_self = change.applies_to_self
    if change.applies_to_descendants is not UNSET:
        row.applies_to_descendants = change.applies_to_descendants
    if not (row.applies_to_self or row.applies_to_descendants):
        raise InvalidInput(f"permissions[{name}]", f"permissions[{name}]: applies_to_self and "
                           "applies_to_descendants can't both be false")
