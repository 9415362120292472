"""Tenants: isolated root accounts, each with its own administrator and credentials for every face.

A tenant IS a root account (its id is the tenant id). Root account 1, made at bootstrap, is the
installation's own tenant; `POST /_courseport/tenants` makes more, so test suites sharing one server
never see each other's data. `tenancy.tenant_of(db, user_id)` says which tenant a caller belongs to, on
every face; resolution code compares it with the thing's root account and answers "not found" across
tenants (`accounts.resolve_account`, `permissions.course_rights`, `users.resolve_user`/`find_user`,
`course_records.resolve_record`, `scorm_courses.find_course`, `job_reads.require_job_reader`, course templates).

Deleting a tenant deletes every row reachable from its accounts and users by foreign key (courses,
their content, enrollments, packages, jobs, tokens, keys...): blobs are left to the blob-reference
rules (core/kit/blob_lifecycle.py), which collect a blob once no row refers to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, or_, select, union, update
from sqlalchemy.orm import Session

from courseport.core.identity import accounts, d2l_apps, oauth_clients, tokens, users
from courseport.core.identity.tenancy import tenant_of
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.schema import Account, AccountUser, Base, Course, D2LUserKey, Enrollment, Job, Login, Term, User

ADMIN_LOGIN = "admin"
_NAME_LIMIT = 255
# Rows shared by every tenant, never deleted with one: content-addressed blobs (released by the
# blob-reference rules once nothing refers to them).
_SHARED = {"blobs"}


@dataclass(frozen=True)
class Tenant:
    account: Account
    admin: User | None


@dataclass(frozen=True)
class NewTenant:
    """A tenant just made, with its credentials in clear (shown once), shaped as credentials.json."""

    tenant: Tenant
    credentials: dict[str, Any]


def create_tenant(db: Session, name: str) -> NewTenant:
    """A root account with its default term, an administrator `admin` and credentials for all four faces."""
    name = (name or "").strip()
    if not name or len(name) > _NAME_LIMIT:
        raise InvalidInput("name", "name is required" if not name else "name is too long")
    root = Account(name=name, uuid=accounts.new_uuid())
    db.add(root)
    db.flush()
    accounts.create_term(db, root.id, "Default Term")
    admin = users.create_user(db, "Admin", ADMIN_LOGIN, email=f"admin@tenant-{root.id}.example.test",
                              root_account_id=root.id)
    accounts.make_admin(db, admin.id, root.id)
    learn_client, learn_secret = oauth_clients.register_client(db, admin, "tenant credentials")
    scorm_client, scorm_secret = oauth_clients.register_client(db, admin, "SCORM Cloud application")
    d2l = d2l_apps.ensure_credentials(db, admin, {})
    credentials = {
        "tenant_id": root.id,
        "canvas": {"token": tokens.create_token(db, admin, "tenant credentials")},
        "blackboard": {"key": learn_client.key, "secret": learn_secret},
        "d2l": d2l,
        "scorm_cloud": {"app_id": scorm_client.key, "secret_key": scorm_secret},
    }
    return NewTenant(Tenant(root, admin), credentials)


def list_tenants(db: Session) -> list[Tenant]:
    """Every root account, by id, with its first administrator."""
    roots = db.scalars(select(Account).where(Account.parent_account_id.is_(None), Account.workflow_state != "deleted")
                       .order_by(Account.id))
    return [Tenant(root, _first_admin(db, root.id)) for root in roots]


def _first_admin(db: Session, root_id: int) -> User | None:
    return db.scalar(select(User).join(AccountUser, AccountUser.user_id == User.id)
                     .where(AccountUser.account_id == root_id).order_by(AccountUser.id).limit(1))


def get_tenant(db: Session, tenant_id: int) -> Account:
    root = db.get(Account, tenant_id)
    if root is None or root.parent_account_id is not None:
        raise NotFound("tenant", "Tenant not found")
    return root


def delete_tenant(db: Session, tenant_id: int) -> None:
    """Delete the tenant and every row it owns; the installation's own root account stays."""
    root = get_tenant(db, tenant_id)
    if root.id == accounts.ROOT_ACCOUNT_ID:
        raise InvalidInput("tenant_id", "the installation's root account cannot be deleted")
    doomed = _owned_rows(db, root.id)
    for table in reversed(Base.metadata.sorted_tables):
        condition = _condition(table, doomed)
        if condition is not None:
            db.execute(table.delete().where(condition))
    # Accounts point at each other (parent, root): clear those references, then delete the tree.
    tree = Account.id.in_(doomed["accounts"])
    db.execute(update(Account).where(tree).values(parent_account_id=None, root_account_id=None))
    db.execute(delete(Account).where(tree))
    db.flush()
    db.expire_all()


def _owned_rows(db: Session, root_id: int) -> dict[str, set[Any]]:
    """Per table, the primary keys of the rows the tenant owns: its accounts and users, then every row
    that refers to one of those by foreign key, to a fixed point."""
    tree = set(db.scalars(select(Account.id).where(or_(Account.id == root_id, Account.root_account_id == root_id))))
    candidates = union(select(Login.user_id).where(Login.account_id == root_id),
                       select(AccountUser.user_id).where(AccountUser.account_id.in_(tree)),
                       select(Enrollment.user_id).where(Enrollment.root_account_id == root_id))
    owned_users = {uid for uid in db.scalars(candidates) if tenant_of(db, uid) == root_id}
    doomed: dict[str, set[Any]] = {"accounts": tree, "users": owned_users}
    doomed["courses"] = set(db.scalars(select(Course.id).where(Course.root_account_id == root_id)))
    doomed["terms"] = set(db.scalars(select(Term.id).where(Term.root_account_id == root_id)))
    doomed["jobs"] = set(db.scalars(select(Job.id).where(or_(
        (Job.context_type == "Course") & Job.context_id.in_(doomed["courses"]),
        (Job.context_type == "Account") & Job.context_id.in_(tree)))))
    # A D2L application has no owner column: the tenant's are those only its users hold keys of.
    keyed = select(D2LUserKey.app_row_id)
    doomed["d2l_apps"] = (set(db.scalars(keyed.where(D2LUserKey.user_id.in_(owned_users))))
                          - set(db.scalars(keyed.where(D2LUserKey.user_id.not_in(owned_users)))))
    changed = True
    while changed:
        changed = False
        for table in Base.metadata.sorted_tables:
            if table.name in _SHARED or len(table.primary_key.columns) != 1:
                continue
            found = _referring(db, table, doomed) - doomed.get(table.name, set())
            if found:
                doomed.setdefault(table.name, set()).update(found)
                changed = True
    return doomed


def _referring(db: Session, table: Table, doomed: dict[str, set[Any]]) -> set[Any]:
    pk = next(iter(table.primary_key.columns))
    conditions = [fk.parent.in_(doomed[fk.column.table.name]) for fk in table.foreign_keys
                  if doomed.get(fk.column.table.name) and fk.column.primary_key]
    return set(db.scalars(select(pk).where(or_(*conditions)))) if conditions else set()


def _condition(table: Table, doomed: dict[str, set[Any]]) -> Any:
    """The rows of `table` to delete: those listed, and those referring to a listed row (tables keyed by
    several columns, which nothing refers to). None: nothing, or the accounts (deleted last)."""
    if table.name in _SHARED or table.name == "accounts":
        return None
    conditions = [fk.parent.in_(doomed[fk.column.table.name]) for fk in table.foreign_keys
                  if doomed.get(fk.column.table.name) and fk.column.primary_key]
    if len(table.primary_key.columns) == 1 and doomed.get(table.name):
        conditions.append(next(iter(table.primary_key.columns)).in_(doomed[table.name]))
    return or_(*conditions) if conditions else None
