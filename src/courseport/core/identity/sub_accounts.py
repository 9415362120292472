"""The account tree as its admins see it: sub-accounts (direct or the whole tree below), creating and
editing accounts, and the account lists of users (the accounts of courses they teach; the accounts they
may manage, with everything beneath them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from courseport.core.identity import accounts, sis_stickiness
from courseport.core.identity.permissions import STAFF_TYPES
from courseport.core.kit.errors import Conflict, InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window, window_of
from courseport.core.kit.time_zones import to_iana
from courseport.core.kit.uniqueness import held_by_another
from courseport.schema import Account, AccountUser, Course, Enrollment, User

_NAME_LIMIT = 255  # the column's length


@dataclass
class AccountChanges:
    """What a create or update sets; a field absent from `given` is left alone."""

    given: set[str] = field(default_factory=set)
    name: str | None = None
    sis_account_id: str | None = None
    default_time_zone: str | None = None


def descendant_ids(db: Session, account_id: int) -> list[int]:
    """Every live account below `account_id` (not itself), level by level, each level by id."""
    found: list[int] = []
    frontier = [account_id]
    while frontier:
        frontier = list(db.scalars(select(Account.id).where(
            Account.parent_account_id.in_(frontier), Account.workflow_state != "deleted",
            Account.id.not_in(found)).order_by(Account.id)))
        found += frontier
    return found


def administered(db: Session, actor: User, ref: str) -> Account:
    """An account the actor administers (directly or through an account above it)."""
    account = accounts.resolve_account(db, ref, actor.id)
    if not accounts.is_admin_of(db, actor.id, account.id):
        raise NotAllowed()
    return account


def list_sub_accounts(db: Session, actor: User, ref: str, recursive: bool, window: Window) -> Slice[Account]:
    """Direct sub-accounts by id (with a total, as Canvas counts them), or the whole tree below."""
    account = administered(db, actor, ref)
    if recursive:
        ids = descendant_ids(db, account.id)
        page = window_of(ids, window)
        rows = {a.id: a for a in db.scalars(select(Account).where(Account.id.in_(page.items)))}
        return Slice([rows[i] for i in page.items], page.has_more)
    stmt = select(Account).where(Account.parent_account_id == account.id,
                                 Account.workflow_state != "deleted").order_by(Account.id)
    return fetch_window(db, stmt, window, count=True)


def create_sub_account(db: Session, actor: User, parent_ref: str, changes: AccountChanges) -> Account:
    parent = administered(db, actor, parent_ref)
    name = (changes.name or "").strip()
    if not name:
        raise InvalidInput("name", "name must not be blank")
    account = accounts.create_account(db, name, parent.id)
    _apply(db, account, changes)
    return account


def update_account(db: Session, actor: User, ref: str, changes: AccountChanges) -> Account:
    account = administered(db, actor, ref)
    before = sis_stickiness.watch("account", account)
    _apply(db, account, changes)
    sis_stickiness.note(db, "account", account, before)
    return account


def delete_sub_account(db: Session, actor: User, parent_ref: str, ref: str) -> Account:
    """Delete a live direct sub-account of an account the actor administers; Canvas refuses while it still
    holds live courses or live sub-accounts. The account stays as a row marked "deleted", out of every list."""
    parent = administered(db, actor, parent_ref)
    account = accounts.resolve_account(db, ref, actor.id)
    if account.parent_account_id != parent.id or account.workflow_state == "deleted":
        raise NotFound("account")
    live_course = select(Course.id).where(Course.account_id == account.id, Course.workflow_state != "deleted")
    if db.scalar(live_course.limit(1)) is not None:
        raise Conflict("You can't delete a sub-account that has courses in it.")
    if descendant_ids(db, account.id):
        raise Conflict("You can't delete a sub-account that has sub-accounts in it.")
    account.workflow_state = "deleted"
    db.flush()
    return account


def _apply(db: Session, account: Account, changes: AccountChanges) -> None:
    if "name" in changes.given:
        name = (changes.name or "").strip()
        if not name:
            raise InvalidInput("name", "name must not be blank")
        if len(name) > _NAME_LIMIT:
            raise InvalidInput("name", f"name may be at most {_NAME_LIMIT} characters long")
        account.name = name
    if "default_time_zone" in changes.given and changes.default_time_zone:
        account.default_time_zone = to_iana(changes.default_time_zone, "default_time_zone")
    if "sis_account_id" in changes.given:
        _claim_sis_id(db, account, changes.sis_account_id or None)
    db.flush()


def _claim_sis_id(db: Session, account: Account, sis_id: str | None) -> None:
    """Canvas keeps SIS ids off root accounts; on the others each is unique."""
    if account.parent_account_id is None:
        raise NotAllowed("Cannot set sis_account_id on a root_account.")
    if sis_id is not None and held_by_another(db, Account.sis_account_id, sis_id, account.id,
                                                   accounts.in_root(account.root_account_id or account.id)):
        raise InvalidInput("sis_account_id", f'SIS ID "{sis_id}" is already in use')
    account.sis_account_id = sis_id


def course_accounts(db: Session, actor: User, window: Window) -> Slice[Account]:
    """Accounts of the courses the actor teaches, assists in or designs: unpublished courses, or
    published ones where that enrollment is active (Canvas's admin enrollments)."""
    taught = select(Course.account_id).join(Enrollment, Enrollment.course_id == Course.id).where(
        Enrollment.user_id == actor.id, Enrollment.type.in_(sorted(STAFF_TYPES)),
        Enrollment.workflow_state != "deleted",
        or_(Course.workflow_state == "unpublished",
            (Enrollment.workflow_state == "active") & (Course.workflow_state == "available")))
    stmt = select(Account).where(Account.id.in_(taught), Account.workflow_state != "deleted").order_by(Account.id)
    return fetch_window(db, stmt, window)


def manageable_accounts(db: Session, actor: User, window: Window) -> Slice[Account]:
    """Each account the actor administers directly (by id) followed by the tree below it, once each."""
    direct = db.scalars(select(Account.id).join(AccountUser, AccountUser.account_id == Account.id).where(
        AccountUser.user_id == actor.id, Account.workflow_state != "deleted").order_by(Account.id))
    ordered: dict[int, None] = {}
    for account_id in direct:
        if account_id not in ordered:
            ordered[account_id] = None
            ordered.update(dict.fromkeys(descendant_ids(db, account_id)))
    page = window_of(list(ordered), window)
    rows = {a.id: a for a in db.scalars(select(Account).where(Account.id.in_(page.items)))}
    return Slice([rows[i] for i in page.items], page.has_more)
