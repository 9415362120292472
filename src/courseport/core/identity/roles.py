"""Roles: the built-in course roles (student, teacher, TA, designer, observer) and the account admin
role, with the ids Canvas gives them, plus any custom role stored for an account.

`role_for` is how enrollments name a role (`role_id` or a role name): the one lookup every face uses.
A role's permissions are the rights `permissions.role_rights` gives it: its base type's
(`permissions.ROLE_RIGHTS`; an account role's base is every right), changed by the permissions a custom
role sets explicitly (`RoleOverride` rows, written by `role_writes`). Who may list roles: admins of
the account.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from courseport.core.identity import accounts
from courseport.core.identity.permissions import ALL_RIGHTS, PERMISSION_ALIASES, role_rights
from courseport.core.kit.errors import NotAllowed, NotFound
from courseport.core.kit.ids import store_id
from courseport.core.kit.paging import Slice, Window, window_of
from courseport.schema import Account, Role, RoleOverride, User

ACCOUNT_MEMBERSHIP = "AccountMembership"
# Built-in roles, in Canvas's order, with their labels.
BUILT_IN_LABELS = {
    "AccountAdmin": "Account Admin",
    "StudentEnrollment": "Student",
    "TeacherEnrollment": "Teacher",
    "TaEnrollment": "TA",
    "DesignerEnrollment": "Designer",
    "ObserverEnrollment": "Observer",
}
ROLE_STATES = ("active", "inactive")
# Every permission name a role reports and a write may set: our rights and the aliases other APIs use.
PERMISSION_NAMES = tuple(sorted(ALL_RIGHTS | set(PERMISSION_ALIASES)))


@dataclass(frozen=True)
class PermissionView:
    enabled: bool  # what the role holds (for an explicit permission: what it sets)
    locked: bool = False
    explicit: bool = False  # set by this role rather than taken from its base type
    prior_default: bool = False  # what the base type gives (meaningful when explicit)
    applies_to_self: bool = True
    applies_to_descendants: bool = True


@dataclass(frozen=True)
class RoleView:
    role: Role
    account: Account  # the account the role is listed under
    label: str
    built_in: bool
    permissions: dict[str, PermissionView]  # permission name -> its state

    @property
    def is_account_role(self) -> bool:
        return self.role.base_role_type == ACCOUNT_MEMBERSHIP


def is_built_in(role: Role) -> bool:
    return role.account_id is None and role.name in BUILT_IN_LABELS


def role_for(db: Session, account: Account | int, role_id_or_name: str | int) -> Role:
    """The role an enrollment or membership in `account` may take: a built-in role or a live custom
    role of the account or an account above it, by id or by name (built-in names are base types)."""
    account_id = account if isinstance(account, int) else account.id
    usable = or_(Role.account_id.is_(None), Role.account_id.in_(accounts.ancestor_ids(db, account_id)))
    stmt = select(Role).where(usable, Role.workflow_state != "deleted")
    ref = str(role_id_or_name)
    role_id = store_id(ref)
    role = db.scalar(stmt.where(Role.id == role_id)) if role_id is not None else None
    if role is None:
        role = db.scalar(stmt.where(Role.name == ref).order_by(Role.account_id.is_not(None), Role.id).limit(1))
    if role is None:
        raise NotFound("role")
    return role


def admin_account(db: Session, actor: User, ref: str) -> Account:
    """The account `ref` names, when the actor administers it (who may read and write its roles)."""
    account = accounts.resolve_account(db, ref, actor.id)
    if not accounts.is_admin_of(db, actor.id, account.id):
        raise NotAllowed()
    return account


def list_roles(db: Session, actor: User, account_ref: str, states: list[str], show_inherited: bool,
               window: Window) -> Slice[RoleView]:
    """Built-in roles first (Canvas's order), then the account's custom roles (and, with
    show_inherited, those of the accounts above it) by id."""
    account = admin_account(db, actor, account_ref)
    owners = accounts.ancestor_ids(db, account.id) if show_inherited else [account.id]
    wanted = [s for s in states if s in ROLE_STATES] or ["active"]
    built_in = sorted(db.scalars(select(Role).where(Role.account_id.is_(None))),
                      key=lambda r: list(BUILT_IN_LABELS).index(r.name) if r.name in BUILT_IN_LABELS else 99)
    custom = list(db.scalars(select(Role).where(Role.account_id.in_(owners), Role.workflow_state.in_(wanted))
                             .order_by(Role.id)))
    roles = ([r for r in built_in if is_built_in(r)] + custom) if "active" in wanted else custom
    page = window_of(roles, window)
    return Slice(views(db, account, page.items), page.has_more, page.total)


def get_role(db: Session, actor: User, account_ref: str, role_ref: str) -> RoleView:
    account = admin_account(db, actor, account_ref)
    return views(db, account, [role_for(db, account, role_ref)])[0]


def views(db: Session, account: Account, roles: list[Role]) -> list[RoleView]:
    """The roles as listed under `account`, the custom ones' explicit permissions read in one statement."""
    custom = [r.id for r in roles if not is_built_in(r)]
    overrides: dict[int, dict[str, RoleOverride]] = {role_id: {} for role_id in custom}
    if custom:
        for row in db.scalars(select(RoleOverride).where(RoleOverride.role_id.in_(custom))):
            overrides[row.role_id][row.permission] = row
    return [_view(db, account, r, overrides.get(r.id, {})) for r in roles]


def _view(db: Session, account: Account, role: Role, overrides: dict[str, RoleOverride]) -> RoleView:
    built_in = is_built_in(role)
    # Built-in roles belong to the root account (Canvas keeps one set per root account).
    owner = db.get_one(Account, role.account_id or account.root_account_id or account.id)
    defaults = role_rights(role.base_role_type, ())
    holds = role_rights(role.base_role_type, [(n, o.enabled) for n, o in overrides.items() if o.enabled is not None])
    permissions = {name: _permission(PERMISSION_ALIASES.get(name, name), overrides.get(name), holds, defaults)
                   for name in PERMISSION_NAMES}
    return RoleView(role, owner, BUILT_IN_LABELS.get(role.name, role.name) if built_in else role.name, built_in,
                    permissions)


def _permission(right: str, row: RoleOverride | None, holds: frozenset[str], defaults: frozenset[str]
                ) -> PermissionView:
    if row is None:
        return PermissionView(right in holds, prior_default=right in defaults)
    explicit = row.enabled is not None
    return PermissionView(bool(row.enabled) if explicit else right in holds, row.locked, explicit, right in defaults,
                          row.applies_to_self, row.applies_to_descendants)
