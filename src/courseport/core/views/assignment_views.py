"""Assignments as one viewer sees them: their dates for that viewer, locks, submission counts, buckets.

Managers (content or grades) see every live assignment with its own dates; students and
observers see their effective dates (core.due_dates) and whether the assignment is locked for
them. Listing filters (search, bucket, ids, group) and orders; paging is the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content.due_dates import STUDENT_TYPES, effective_dates
from courseport.core.courses import grading_periods
from courseport.core.coursework import assignment_groups, overrides, rubric_associations
from courseport.core.coursework.assignments import DATE_NAMES, Access, access_for, readable_assignment, visible_items
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.ids import is_id, store_id
from courseport.schema import ContentItem, Enrollment, GradingPeriod, Submission, User
from courseport.schema.base import utcnow

INCLUDES = ("overrides", "all_dates", "assignment_visibility")
ORDERS = ("position", "name", "due_at")
BUCKETS = ("past", "overdue", "undated", "ungraded", "unsubmitted", "upcoming", "future")
_NO_SUBMISSION = {"none", "on_paper", "not_graded"}


@dataclass(frozen=True)
class Lock:
    reason: str  # "unlock_at": not open yet; "lock_at": closed, still viewable
    at: datetime


@dataclass(frozen=True)
class SubmissionStats:
    needs_grading: int = 0
    submitted: bool = False
    graded: bool = False


@dataclass(frozen=True)
class DateSet:
    """One set of dates of an assignment: its own (override None) or an override's."""

    due_at: datetime | None
    unlock_at: datetime | None
    lock_at: datetime | None
    override: overrides.OverrideView | None = None


@dataclass(frozen=True)
class AssignmentView:
    item: ContentItem
    access: Access
    dates: DateSet  # as they apply to the viewer
    lock: Lock | None
    has_overrides: bool
    stats: SubmissionStats
    quiz_id: int | None
    overrides: list[overrides.OverrideView] | None = None
    all_dates: list[DateSet] | None = None
    visibility: list[int] | None = None
    rubric: tuple[ContentItem, ContentItem] | None = None  # its live rubric association and that rubric
    in_closed_period: bool = False  # a due date it has (the viewer's; a manager's: any) is in a closed period


@dataclass(frozen=True)
class AssignmentQuery:
    search_term: str | None = None
    bucket: str | None = None
    order_by: str = "position"
    assignment_ids: tuple[str, ...] = ()
    group_id: str | None = None
    includes: frozenset[str] = frozenset()


def show_assignment(db: Session, actor: User, course_ref: str | int, assignment_id: str,
                    includes: frozenset[str] = frozenset()) -> AssignmentView:
    access, item = readable_assignment(db, actor, course_ref, assignment_id)
    return load_views(db, access, [item], includes)[0]


def list_assignments(db: Session, actor: User, course_ref: str | int, query: AssignmentQuery) -> list[AssignmentView]:
    """The viewer's assignments, filtered and ordered (paging is the caller's)."""
    if query.bucket is not None and query.bucket not in BUCKETS:
        raise InvalidInput("bucket", f"bucket must be one of {', '.join(BUCKETS)}")
    if query.order_by not in ORDERS:
        raise InvalidInput("order_by", f"order_by must be one of {', '.join(ORDERS)}")
    access = access_for(db, actor, course_ref)
    stmt = select(ContentItem).where(ContentItem.course_id == access.course.id, ContentItem.type == "assignment",
                                     ContentItem.workflow_state != "deleted")
    if query.group_id is not None:
        stmt = stmt.where(ContentItem.parent_id == assignment_groups.group_in(db, access.course.id, query.group_id).id)
    if query.assignment_ids:
        stmt = stmt.where(ContentItem.id.in_([store_id(i) for i in query.assignment_ids if is_id(i)]))
    items = visible_items(db, access, list(db.scalars(stmt)))
    if query.search_term:
        items = [i for i in items if query.search_term.lower() in i.title.lower()]
    views = load_views(db, access, items, query.includes)
    if query.bucket:
        views = _in_bucket(db, access, views, query.bucket)
    group_rank = {g.id: n for n, g in enumerate(assignment_groups.live_groups(db, access.course.id))}
    keys = {"position": lambda v: (group_rank.get(v.item.parent_id, 1 << 30), v.item.position, v.item.id),
            "name": lambda v: (v.item.title.lower(), v.item.id),
            "due_at": lambda v: (v.dates.due_at is None, v.dates.due_at or utcnow(), v.item.position, v.item.id)}
    return sorted(views, key=keys[query.order_by])


def load_views(db: Session, access: Access, items: list[ContentItem],
               includes: frozenset[str] = frozenset()) -> list[AssignmentView]:
    ids = [i.id for i in items]
    stats = submission_stats(db, ids)
    by_item = overrides.overrides_of(db, ids)
    mine = {} if access.manages else effective_dates(db, access.course.id, ids, access.observed)
    quizzes = dict(db.execute(select(ContentItem.ref_id, ContentItem.id).where(
        ContentItem.ref_id.in_(ids), ContentItem.type == "quiz", ContentItem.workflow_state != "deleted")).all()) \
        if ids else {}
    assigned = effective_dates(db, access.course.id, ids) if "assignment_visibility" in includes else {}
    sections = set() if access.manages else access.sections(db)
    rubrics = rubric_associations.for_assignments(db, ids)
    periods = _course_periods(db, access) if ids else []
    views = []
    for item in items:
        own = DateSet(item.due_at, item.unlock_at, item.lock_at)
        for_viewer = next((mine[item.id][u] for u in access.observed if u in mine.get(item.id, {})), None)
        dates = DateSet(for_viewer.due_at, for_viewer.unlock_at, for_viewer.lock_at) if for_viewer else own
        visible = access.visible_overrides(db, by_item[item.id], sections)
        views.append(AssignmentView(
            item=item, access=access, dates=dates, lock=None if access.manages else _lock(dates),
            has_overrides=bool(by_item[item.id]), stats=stats[item.id], quiz_id=quizzes.get(item.id),
            overrides=visible if "overrides" in includes else None,
            all_dates=_all_dates(item, own, visible, access) if "all_dates" in includes else None,
            visibility=sorted(assigned.get(item.id, {})) if "assignment_visibility" in includes else None,
            rubric=rubrics.get(item.id),
            in_closed_period=bool(periods) and _in_closed_period(periods, dates, by_item[item.id], access)))
    return views


def _course_periods(db: Session, access: Access) -> list[GradingPeriod]:
    found = grading_periods.course_set(db, access.course)
    return grading_periods.periods_of_sets(db, [found.id])[found.id] if found is not None else []


def _in_closed_period(periods: list[GradingPeriod], dates: DateSet, item_overrides: list[overrides.OverrideView],
                      access: Access) -> bool:
    due = [dates.due_at]
    if access.manages:
        due += [v.override.due_at for v in item_overrides if v.override.due_at_set]
    return any(grading_periods.closed_period_of(periods, at) is not None for at in due)


def _lock(dates: DateSet) -> Lock | None:
    now = utcnow()
    if dates.unlock_at and now < dates.unlock_at:
        return Lock("unlock_at", dates.unlock_at)
    if dates.lock_at and now >= dates.lock_at:
        return Lock("lock_at", dates.lock_at)
    return None


def _all_dates(item: ContentItem, own: DateSet, visible: list[overrides.OverrideView], access: Access) -> list[DateSet]:
    sets = [DateSet(  # type: ignore[misc]  # the *args are the three dates, not override
        *(getattr(v.override, n) if getattr(v.override, f"{n}_set") else getattr(own, n) for n in DATE_NAMES),
        override=v) for v in visible]
    if not (item.data or {}).get("only_visible_to_overrides") and (access.manages or not sets):
        sets.insert(0, own)
    return sets


def submission_stats(db: Session, item_ids: list[int]) -> dict[int, SubmissionStats]:
    """Per assignment: how many current students' submissions await grading, and whether any was made or graded."""
    out = {i: SubmissionStats() for i in item_ids}
    if not item_ids:
        return out
    rows = db.execute(select(Submission.item_id, Submission.workflow_state, Submission.submitted_at,
                             Submission.course_id, Submission.user_id).where(Submission.item_id.in_(item_ids))).all()
    students = set(db.execute(select(Enrollment.course_id, Enrollment.user_id).where(
        Enrollment.user_id.in_({r.user_id for r in rows}), Enrollment.type.in_(STUDENT_TYPES),
        Enrollment.workflow_state == "active")).all()) if rows else set()
    counts: dict[int, list] = {i: [0, False, False] for i in item_ids}
    for r in rows:
        c = counts[r.item_id]
        if r.workflow_state in ("submitted", "pending_review") and (r.course_id, r.user_id) in students:
            c[0] += 1
        c[1] = c[1] or (r.submitted_at is not None and r.workflow_state != "unsubmitted")
        c[2] = c[2] or r.workflow_state == "graded"
    return {i: SubmissionStats(*c) for i, c in counts.items()}


def _in_bucket(db: Session, access: Access, views: list[AssignmentView], bucket: str) -> list[AssignmentView]:
    states = dict(db.execute(select(Submission.item_id, Submission.workflow_state).where(
        Submission.user_id == access.user_id, Submission.item_id.in_([v.item.id for v in views]))).all())
    now = utcnow()

    def wants_submission(v: AssignmentView) -> bool:
        return bool(set((v.item.data or {}).get("submission_types") or ["none"]) - _NO_SUBMISSION)

    def inside(v: AssignmentView) -> bool:
        due, state = v.dates.due_at, states.get(v.item.id, "unsubmitted")
        submitted = state in ("submitted", "pending_review", "graded")
        return {
            "past": due is not None and due < now,
            "overdue": due is not None and due < now and wants_submission(v) and not submitted,
            "undated": due is None,
            "ungraded": v.stats.needs_grading > 0 if access.manages else state in ("submitted", "pending_review"),
            "unsubmitted": wants_submission(v) and not submitted,
            "upcoming": due is not None and now <= due <= now + timedelta(days=7),
            "future": due is None or due >= now,
        }[bucket]
    return [v for v in views if inside(v)]
