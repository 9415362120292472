"""Grading periods: the dated periods a course's grades are split into, kept in grading period sets.

An account's admins keep sets on the account and apply each to enrollment terms (a term is in at most one set);
a course uses the set of its term, or its own (legacy) set when it keeps one, which its grade or content managers
keep. A period's dates satisfy start < end <= close (close defaults to end) and the periods of one set do not
overlap. A period is closed once its close date has passed: work due in it can no longer be graded.
Anyone who may read the course reads its periods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.identity import accounts
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import FieldText, InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Account, Course, GradingPeriod, GradingPeriodSet, GradingPeriodSetTerm, User

_MANAGERS = ("manage_grades", "manage_content")


@dataclass(frozen=True)
class SetChanges:
    title: str | None | Unset = UNSET
    weighted: bool | None | Unset = UNSET
    display_totals: bool | None | Unset = UNSET
    term_ids: list | None | Unset = UNSET


@dataclass(frozen=True)
class PeriodChanges:
    """One period of a batch: with an id it changes that period of the set, without one it adds a period."""

    id: int | None | Unset = UNSET
    title: str | None | Unset = UNSET
    start_date: datetime | None | Unset = UNSET
    end_date: datetime | None | Unset = UNSET
    close_date: datetime | None | Unset = UNSET
    weight: float | None | Unset = UNSET


@dataclass(frozen=True)
class Periods:
    """The periods a course or account reads, the set they come from, and whether the reader may change them."""

    set: GradingPeriodSet | None
    periods: list[GradingPeriod]
    can_manage: bool


# --- sets ---

def managed_account(db: Session, actor: User, account_ref: str) -> Account:
    """An account whose grading period sets the actor keeps (its admins and those of accounts above it)."""
    return accounts.readable_account(db, actor.id, account_ref)


def list_sets(db: Session, account: Account, window: Window) -> Slice[GradingPeriodSet]:
    """The sets of the account and of the accounts above it, by id."""
    return fetch_window(db, select(GradingPeriodSet).where(
        GradingPeriodSet.account_id.in_(accounts.ancestor_ids(db, account.id))).order_by(GradingPeriodSet.id), window)


def create_set(db: Session, account: Account, changes: SetChanges) -> GradingPeriodSet:
    row = GradingPeriodSet(account_id=account.id, title="", weighted=False, display_totals=False)
    _apply_set(db, account, row, changes, creating=True)
    return row


def update_set(db: Session, actor: User, account: Account, set_id: int, changes: SetChanges) -> GradingPeriodSet:
    row = _account_set(db, actor, account, set_id)
    _apply_set(db, account, row, changes, creating=False)
    return row


def delete_set(db: Session, actor: User, account: Account, set_id: int) -> None:
    row = _account_set(db, actor, account, set_id)
    db.execute(delete(GradingPeriod).where(GradingPeriod.set_id == row.id))
    db.execute(delete(GradingPeriodSetTerm).where(GradingPeriodSetTerm.set_id == row.id))
    db.delete(row)
    db.flush()


def set_terms(db: Session, set_ids: Sequence[int]) -> dict[int, list[int]]:
    """Per set id, the ids of the terms it applies to (one statement)."""
    found: dict[int, list[int]] = {i: [] for i in set_ids}
    for set_id, term_id in db.execute(select(GradingPeriodSetTerm.set_id, GradingPeriodSetTerm.term_id).where(
            GradingPeriodSetTerm.set_id.in_(set_ids)).order_by(GradingPeriodSetTerm.term_id)):
        found[set_id].append(term_id)
    return found


def periods_of_sets(db: Session, set_ids: Sequence[int]) -> dict[int, list[GradingPeriod]]:
    """Per set id, its periods by start date (one statement)."""
    found: dict[int, list[GradingPeriod]] = {i: [] for i in set_ids}
    for row in db.scalars(select(GradingPeriod).where(GradingPeriod.set_id.in_(set_ids))
                          .order_by(GradingPeriod.start_date, GradingPeriod.id)):
        found[row.set_id].append(row)
    return found


def _account_set(db: Session, actor: User, account: Account, set_id: int) -> GradingPeriodSet:
    """A set the account sees (its own or one above it), for an actor who administers the set's own account."""
    row = db.get(GradingPeriodSet, set_id)
    if row is None or row.account_id not in accounts.ancestor_ids(db, account.id):
        raise NotFound("grading_period_set")
    if not accounts.is_admin_of(db, actor.id, row.account_id):
        raise NotAllowed()
    return row


def _apply_set(db: Session, account: Account, row: GradingPeriodSet, changes: SetChanges, *, creating: bool) -> None:
    fields = given(changes)
    title = fields.get("title", row.title if not creating else None)
    if title is None or not str(title).strip():
        raise InvalidInput("title", "title is required")
    if len(title) > 255:
        raise InvalidInput("title", "title may be at most 255 characters long")
    row.title = title.strip()
    for name in ("weighted", "display_totals"):
        if fields.get(name) is not None:
            setattr(row, name, bool(fields[name]))
    term_ids = _terms(db, account, changes.term_ids) if changes.term_ids is not UNSET else None
    if creating:
        db.add(row)
    db.flush()
    if term_ids is not None:
        db.execute(delete(GradingPeriodSetTerm).where(GradingPeriodSetTerm.set_id == row.id))
        db.execute(delete(GradingPeriodSetTerm).where(GradingPeriodSetTerm.term_id.in_(term_ids)))
        db.add_all(GradingPeriodSetTerm(set_id=row.id, term_id=term_id) for term_id in term_ids)
        db.flush()


def _terms(db: Session, account: Account, refs: list | None) -> list[int]:
    """Term ids of the account's root account, each checked; NotFound-like refusal names the field."""
    root_id = account.root_account_id or account.id
    ids: list[int] = []
    for ref in refs or []:
        try:
            term = accounts.get_term(db, root_id, ref)
        except NotFound:
            raise InvalidInput("term_ids", f"term_ids: no enrollment term {ref} in this account") from None
        if term.id not in ids:
            ids.append(term.id)
    return ids


# --- periods ---

def course_periods(db: Session, actor: User, course_ref: str | int) -> tuple[Course, Periods]:
    """The periods a course uses (its own set, else its term's) for anyone who may read the course."""
    course, rights = readable_course(db, actor, course_ref)
    found = course_set(db, course)
    if found is None:
        return course, Periods(None, [], False)
    return course, Periods(found, periods_of_sets(db, [found.id])[found.id], _may_manage(db, actor, found, rights))


def account_periods(db: Session, actor: User, account_ref: str) -> Periods:
    """The periods of every set the account (or one above it) keeps, for its admins."""
    account = managed_account(db, actor, account_ref)
    set_ids = list(db.scalars(select(GradingPeriodSet.id).where(
        GradingPeriodSet.account_id.in_(accounts.ancestor_ids(db, account.id)))))
    periods = sorted((p for ps in periods_of_sets(db, set_ids).values() for p in ps),
                     key=lambda p: (p.start_date, p.id))
    return Periods(None, periods, True)


def course_set(db: Session, course: Course) -> GradingPeriodSet | None:
    own = db.scalar(select(GradingPeriodSet).where(GradingPeriodSet.course_id == course.id)
                    .order_by(GradingPeriodSet.id).limit(1))
    if own is not None:
        return own
    return db.scalar(select(GradingPeriodSet).join(GradingPeriodSetTerm, GradingPeriodSetTerm.set_id ==
                                                   GradingPeriodSet.id)
                     .where(GradingPeriodSetTerm.term_id == course.enrollment_term_id))


def course_set_ids(db: Session, courses: Sequence[Course]) -> dict[int, int]:
    """Per course id, the id of the set it uses (courses with none are left out); two statements."""
    ids = [c.id for c in courses]
    own = dict(db.execute(select(GradingPeriodSet.course_id, GradingPeriodSet.id)
                          .where(GradingPeriodSet.course_id.in_(ids)).order_by(GradingPeriodSet.id.desc())).all())
    by_term = dict(db.execute(select(GradingPeriodSetTerm.term_id, GradingPeriodSetTerm.set_id).where(
        GradingPeriodSetTerm.term_id.in_({c.enrollment_term_id for c in courses}))).all())
    found = {c.id: own.get(c.id) or by_term.get(c.enrollment_term_id) for c in courses}
    return {course_id: set_id for course_id, set_id in found.items() if set_id is not None}


def _may_manage(db: Session, actor: User, found: GradingPeriodSet, rights: object | None = None) -> bool:
    if found.account_id is not None:
        return accounts.is_admin_of(db, actor.id, found.account_id)
    return rights is not None and any(rights.can(r) for r in _MANAGERS)  # type: ignore[attr-defined]


def get_course_period(db: Session, actor: User, course_ref: str | int, period_id: int) -> tuple[Periods, GradingPeriod]:
    _, periods = course_periods(db, actor, course_ref)
    for period in periods.periods:
        if period.id == period_id:
            return periods, period
    raise NotFound("grading_period")


def current_period(periods: Sequence[GradingPeriod], now: datetime | None = None) -> GradingPeriod | None:
    """The period whose dates hold now (start inclusive, end exclusive), if any."""
    at = now or datetime.now(UTC)
    return next((p for p in periods if p.start_date <= at < p.end_date), None)


def period_of(periods: Sequence[GradingPeriod], due_at: datetime | None) -> GradingPeriod | None:
    """The period work due then counts in: the one whose dates hold the due date (after its start, up to its end),
    and for work with no due date the last period, as Canvas places undated work."""
    if not periods:
        return None
    if due_at is None:
        return max(periods, key=lambda p: p.end_date)
    return next((p for p in periods if p.start_date < due_at <= p.end_date), None)


def closed_period_of(periods: Sequence[GradingPeriod], due_at: datetime | None,
                     now: datetime | None = None) -> GradingPeriod | None:
    """The closed period a due date falls in (`period_of`), if it is closed."""
    found = period_of(periods, due_at)
    return found if found is not None and is_closed(found, now) else None


def is_closed(period: GradingPeriod, now: datetime | None = None) -> bool:
    return period.close_date <= (now or datetime.now(UTC))


# --- period writes ---

def course_set_for_writing(db: Session, actor: User, course_ref: str | int) -> GradingPeriodSet:
    """The set a course's periods are written to: the one it uses, or a new legacy set of its own when it uses
    none (only its grade or content managers may start one)."""
    course, rights = readable_course(db, actor, course_ref)
    found = course_set(db, course)
    if found is None:
        if not any(rights.can(r) for r in _MANAGERS):
            raise NotAllowed()
        found = GradingPeriodSet(course_id=course.id, title=course.name[:255] or "Grading periods",
                                 weighted=False, display_totals=False)
        db.add(found)
        db.flush()
    elif not _may_manage(db, actor, found, rights):
        raise NotAllowed()
    return found


def account_set_for_writing(db: Session, actor: User, set_id: int) -> GradingPeriodSet:
    """An account's set whose periods the actor (an admin of its account or one above) writes."""
    found = db.get(GradingPeriodSet, set_id)
    if found is None or found.account_id is None:
        raise NotFound("grading_period_set")
    if not accounts.is_admin_of(db, actor.id, found.account_id):
        raise NotAllowed()
    return found


def batch_update(db: Session, found: GradingPeriodSet, items: Sequence[PeriodChanges]) -> list[GradingPeriod]:
    """Change the periods named by id and add those without one; the whole set is checked before anything is
    kept (dates in order, no overlap). Periods not named stay. Answers the set's periods by start date."""
    kept = {p.id: p for p in periods_of_sets(db, [found.id])[found.id]}
    touched: list[GradingPeriod] = []
    for index, item in enumerate(items):
        fields = given(item)
        period_id = fields.pop("id", None)
        if period_id is not None and period_id not in kept:
            raise NotFound("grading_period")
        row = kept[period_id] if period_id is not None else GradingPeriod(set_id=found.id)
        _apply_period(row, fields, index)
        touched.append(row)
    _check_no_overlap([p for p in kept.values() if p not in touched] + touched)
    for row in touched:
        if row.id is None:
            db.add(row)
    db.flush()
    return periods_of_sets(db, [found.id])[found.id]


def delete_period(db: Session, found: GradingPeriodSet, period_id: int) -> None:
    row = db.get(GradingPeriod, period_id)
    if row is None or row.set_id != found.id:
        raise NotFound("grading_period")
    db.delete(row)
    db.flush()


def deletable_account_period(db: Session, actor: User, account_ref: str, period_id: int) -> GradingPeriodSet:
    """The set of one of the account's periods, for an admin deleting it."""
    account = managed_account(db, actor, account_ref)
    row = db.get(GradingPeriod, period_id)
    found = db.get(GradingPeriodSet, row.set_id) if row is not None else None
    if found is None or found.account_id not in accounts.ancestor_ids(db, account.id):
        raise NotFound("grading_period")
    if not accounts.is_admin_of(db, actor.id, found.account_id):
        raise NotAllowed()
    return found


def _apply_period(row: GradingPeriod, fields: dict, index: int) -> None:
    for name in ("title", "start_date", "end_date"):
        if name in fields and fields[name] is None or name not in fields and getattr(row, name) is None:
            raise InvalidInput(name, f"{name} is required")
    title = fields.get("title", row.title)
    if not str(title).strip() or len(title) > 255:
        raise InvalidInput("title", "title must be 1 to 255 characters long")
    row.title = title.strip()
    row.start_date = fields.get("start_date", row.start_date)
    row.end_date = fields.get("end_date", row.end_date)
    close = fields.get("close_date", row.close_date)
    row.close_date = close if close is not None else row.end_date
    if "weight" in fields:
        weight = fields["weight"]
        if weight is not None and weight < 0:
            raise InvalidInput("weight", "weight must not be negative")
        row.weight = weight
    if not row.start_date < row.end_date:
        raise InvalidInput("end_date", FieldText("{end_date} must be after {start_date}"))
    if row.close_date < row.end_date:
        raise InvalidInput("close_date", FieldText("{close_date} must not be before {end_date}"))


def _check_no_overlap(periods: list[GradingPeriod]) -> None:
    ordered = sorted(periods, key=lambda p: p.start_date)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start_date < before.end_date:
            raise InvalidInput("start_date", FieldText("{start_date} of {later} overlaps the grading period {earlier}",
                                                       later=after.title, earlier=before.title))
