"""Enrollment terms of a root account: list, show, create, update, delete, with per-type date overrides.

Terms belong to root accounts only. Who may read them: admins of any account in the root account's
tree and instructors (teachers, TAs, designers) active in one of its courses, so course tools can show
term dates. Who may change them: admins of the root account (Canvas's manage_account_settings there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from courseport.core.identity import accounts, sis_stickiness
from courseport.core.identity.permissions import STAFF_TYPES
from courseport.core.kit.errors import DomainError, InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.core.kit.uniqueness import held_by_another
from courseport.schema import Account, AccountUser, Course, Enrollment, Term, TermOverride, User

# The enrollment types a term's dates may be overridden for.
OVERRIDE_TYPES = ("StudentEnrollment", "TeacherEnrollment", "TaEnrollment", "DesignerEnrollment")
TERM_STATES = ("active", "deleted", "all")
_NAME_LIMIT = 255  # the column's length


@dataclass
class TermChanges:
    """What a create or update sets; a field absent from `given` is left alone."""

    given: set[str] = field(default_factory=set)
    name: str | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None
    sis_term_id: str | None = None
    # enrollment type (as sent) -> {"start_at": datetime | None, "end_at": datetime | None}
    overrides: dict[str, dict[str, datetime | None]] | None = None


@dataclass(frozen=True)
class TermView:
    term: Term
    overrides: dict[str, TermOverride]
    course_count: int | None
    sees_sis: bool


def root_account_of_terms(db: Session, ref: str, actor_id: int | None = None) -> Account:
    """The account `ref` names, which must be a root account: terms belong to nothing else."""
    account = accounts.resolve_account(db, ref, actor_id)
    if account.parent_account_id is not None:
        raise DomainError("Terms only belong to root_accounts.")
    return account


def _may_read(db: Session, actor: User, root: Account) -> bool:
    if accounts.is_admin_of(db, actor.id, root.id):
        return True
    in_tree = select(AccountUser.id).join(Account, Account.id == AccountUser.account_id).where(
        AccountUser.user_id == actor.id, func.coalesce(Account.root_account_id, Account.id) == root.id)
    teaches = select(Enrollment.id).where(
        Enrollment.user_id == actor.id, Enrollment.root_account_id == root.id,
        Enrollment.type.in_(STAFF_TYPES), Enrollment.workflow_state == "active")
    return db.scalar(in_tree.limit(1)) is not None or db.scalar(teaches.limit(1)) is not None


def _readable_root(db: Session, actor: User, ref: str) -> tuple[Account, bool]:
    """The root account and whether the actor administers it (sees and manages SIS ids)."""
    root = root_account_of_terms(db, ref, actor.id)
    admin = accounts.is_admin_of(db, actor.id, root.id)
    if not admin and not _may_read(db, actor, root):
        raise NotAllowed()
    return root, admin


def _managed_root(db: Session, actor: User, ref: str) -> Account:
    root = root_account_of_terms(db, ref, actor.id)
    if not accounts.is_admin_of(db, actor.id, root.id):
        raise NotAllowed()
    return root


def list_terms(db: Session, actor: User, account_ref: str, states: list[str], term_name: str | None,
               window: Window, *, course_counts: bool = False) -> Slice[TermView]:
    """A root account's terms, latest start first (Canvas's order: start, end descending, then id)."""
    root, admin = _readable_root(db, actor, account_ref)
    stmt: Select = select(Term).where(Term.root_account_id == root.id)
    wanted = [s for s in states if s in TERM_STATES] or ["active"]
    if "all" not in wanted:
        stmt = stmt.where(Term.workflow_state.in_(wanted))
    if term_name:
        stmt = stmt.where(func.lower(Term.name).contains(term_name.lower(), autoescape=True))
    stmt = stmt.order_by(Term.start_at.desc().nulls_first(), Term.end_at.desc().nulls_first(), Term.id)
    page = fetch_window(db, stmt, window)
    return Slice(_views(db, page.items, admin, course_counts), page.has_more, page.total)


def get_term(db: Session, actor: User, account_ref: str, term_ref: str) -> TermView:
    root, admin = _readable_root(db, actor, account_ref)
    return _views(db, [accounts.get_term(db, root.id, term_ref)], admin, False)[0]


def create_term(db: Session, actor: User, account_ref: str, changes: TermChanges) -> TermView:
    root = _managed_root(db, actor, account_ref)
    term = Term(root_account_id=root.id, name="", workflow_state="active")
    _apply(db, term, changes)
    db.add(term)
    db.flush()
    _set_overrides(db, term, changes.overrides)
    return _views(db, [term], True, False)[0]


def update_term(db: Session, actor: User, account_ref: str, term_ref: str, changes: TermChanges) -> TermView:
    root = _managed_root(db, actor, account_ref)
    term = accounts.get_term(db, root.id, term_ref)
    if term.workflow_state == "deleted":
        raise NotFound("term")
    before = sis_stickiness.watch("term", term)
    _apply(db, term, changes)
    db.flush()
    sis_stickiness.note(db, "term", term, before)
    _set_overrides(db, term, changes.overrides)
    return _views(db, [term], True, False)[0]


def delete_term(db: Session, actor: User, account_ref: str, term_ref: str) -> TermView:
    """Mark a term deleted; the default term and terms with live courses stay (Canvas's rule)."""
    root = _managed_root(db, actor, account_ref)
    term = accounts.get_term(db, root.id, term_ref)
    if term.id == accounts.default_term(db, root.id).id:
        raise InvalidInput("workflow_state", "Cannot delete the default term")
    live = select(Course.id).where(Course.enrollment_term_id == term.id, Course.workflow_state != "deleted")
    if db.scalar(live.limit(1)) is not None:
        raise InvalidInput("workflow_state", "Cannot delete a term with active courses")
    term.workflow_state = "deleted"
    db.flush()
    return _views(db, [term], True, False)[0]


def override_type(key: str) -> str | None:
    """The enrollment type an override key names (`StudentEnrollment` or `student_enrollment`), or None."""
    camel = "".join(part[:1].upper() + part[1:] for part in key.split("_"))
    return camel if camel in OVERRIDE_TYPES else None


def _apply(db: Session, term: Term, changes: TermChanges) -> None:
    if changes.overrides and any(override_type(k) is None for k in changes.overrides):
        raise InvalidInput("overrides", "Invalid enrollment type in overrides")
    _check_dates(term, changes)
    if "name" in changes.given:
        name = (changes.name or "").strip()
        if len(name) > _NAME_LIMIT:
            raise InvalidInput("name", f"name may be at most {_NAME_LIMIT} characters long")
        term.name = name
    for key in ("start_at", "end_at"):
        if key in changes.given:
            setattr(term, key, getattr(changes, key))
    if "sis_term_id" in changes.given:
        _claim_sis_id(db, term, changes.sis_term_id or None)


def _check_dates(term: Term, changes: TermChanges) -> None:
    """Canvas compares the dates each hash gives (the term's, each override's): no end before its start."""
    pairs: list[tuple[Any, Any]] = [(changes.start_at, changes.end_at)]
    pairs += [(v.get("start_at"), v.get("end_at")) for v in (changes.overrides or {}).values()]
    if any(start and end and end < start for start, end in pairs):
        raise InvalidInput("end_at", "End dates cannot be before start dates")


def _claim_sis_id(db: Session, term: Term, sis_id: str | None) -> None:
    if sis_id is not None and held_by_another(db, Term.sis_term_id, sis_id, term.id,
                                                   Term.root_account_id == term.root_account_id):
        raise InvalidInput("sis_term_id", f'SIS ID "{sis_id}" is already in use')
    term.sis_term_id = sis_id


def _set_overrides(db: Session, term: Term, overrides: dict[str, dict[str, datetime | None]] | None) -> None:
    """Each named type's override takes both dates as given (a date not given becomes none)."""
    for key, dates in (overrides or {}).items():
        etype = override_type(key)
        row = db.get(TermOverride, (term.id, etype)) or TermOverride(term_id=term.id, enrollment_type=etype)
        row.start_at, row.end_at = dates.get("start_at"), dates.get("end_at")
        db.add(row)
    db.flush()


def _views(db: Session, terms: list[Term], admin: bool, course_counts: bool) -> list[TermView]:
    ids = [t.id for t in terms]
    overrides: dict[int, dict[str, TermOverride]] = {i: {} for i in ids}
    for row in db.scalars(select(TermOverride).where(TermOverride.term_id.in_(ids))
                          .order_by(TermOverride.term_id, TermOverride.enrollment_type)):
        overrides[row.term_id][row.enrollment_type] = row
    counts: dict[int, int] = {}
    if course_counts and ids:
        counts = dict(db.execute(select(Course.enrollment_term_id, func.count()).where(
            Course.enrollment_term_id.in_(ids), Course.workflow_state != "deleted")
            .group_by(Course.enrollment_term_id)).tuples().all())
    return [TermView(t, overrides[t.id], counts.get(t.id, 0) if course_counts else None, admin) for t in terms]


@dataclass
class TermDetails:
    """What a term carries beyond Canvas's fields (faces such as Learn's set them); absent from `given`: left alone."""

    given: set[str] = field(default_factory=set)
    description: str | None = None
    available: bool = True  # students may reach the term's courses
    days_of_use: int | None = None


def write_term(db: Session, actor: User, account_ref: str, term_ref: str | None, changes: TermChanges,
               details: TermDetails) -> TermView:
    """Create (no `term_ref`) or update a term with its details, in one call: the rights are create_term's
    and update_term's."""
    if details.days_of_use is not None and details.days_of_use < 1:
        raise InvalidInput("days_of_use", "days_of_use must be at least 1")
    if term_ref is None:
        view = create_term(db, actor, account_ref, changes)
    else:
        view = update_term(db, actor, account_ref, term_ref, changes)
    for key in ("description", "available", "days_of_use"):
        if key in details.given:
            setattr(view.term, key, getattr(details, key))
    db.flush()
    return view


def search_terms(db: Session, actor: User, account_ref: str, sis_term_id: str | None, available: bool | None,
                 window: Window) -> Slice[TermView]:
    """A root account's live terms by id, filtered by SIS id (contains) and availability."""
    root, admin = _readable_root(db, actor, account_ref)
    stmt: Select = select(Term).where(Term.root_account_id == root.id, Term.workflow_state == "active")
    if sis_term_id:
        stmt = stmt.where(Term.sis_term_id.contains(sis_term_id, autoescape=True))
    if available is not None:
        stmt = stmt.where(Term.available.is_(available))
    page = fetch_window(db, stmt.order_by(Term.id), window)
    return Slice(_views(db, page.items, admin, False), page.has_more, page.total)
