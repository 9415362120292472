"""A course view: a course row with the extras a response may carry (`course_views.WANTS`), and the
loaders that fill a page's views with an extra in bulk, a few statements for the page.

`course_views` makes the views (a page of them, or one course) and asks `load_extras` for the wanted ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courseport.core.content import file_quotas
from courseport.core.content.module_progress import CourseProgress, progress_for_courses
from courseport.core.courses import grading_periods
from courseport.core.coursework import period_scores
from courseport.core.coursework.grades import Scores, course_scores, needs_grading_counts
from courseport.core.identity.permissions import CourseRights, course_rights
from courseport.schema import (
    Account,
    Course,
    Enrollment,
    Favorite,
    GradingPeriod,
    Section,
    Term,
    User,
)
from courseport.schema.base import utcnow

_STUDENT_TYPES = ("StudentEnrollment",)
_SCORED_TYPES = ("StudentEnrollment", "StudentViewEnrollment")
_COUNTED_STATES = ("active", "invited")


@dataclass(init=False)
class CourseView:
    """`course` and `enrollments` may be entities or read-only rows of them (row_reads). Made with the
    course alone: the extras keep their defaults (class attributes) until a loader sets them, as a
    list makes a hundred views a page and setting every field of each cost more than its JSON."""

    course: Course
    enrollments: list[Enrollment] = field(default_factory=list)
    nickname: str | None = None
    term: Term | None = None
    account: Account | None = None
    teachers: list[User] | None = None
    teacher_count: int | None = None
    total_students: int | None = None
    is_favorite: bool | None = None
    sections: list[tuple[Section, Enrollment]] | None = None
    rights: CourseRights | None = None
    storage_used_mb: float | None = None
    observed: list[tuple[Enrollment, User]] | None = None
    sees_sis: bool = False  # the SIS ids are shown only to those who may read them
    manages_sis: bool = False
    course_progress: CourseProgress | None = None  # None: not module based, or not a student
    needs_grading_count: int | None = None  # None when the viewer does not grade the course
    scores: dict[int, Scores] | None = None  # per student user id; None when final grades are hidden
    grading_periods: list[GradingPeriod] | None = None  # the periods the course uses, by start (when wanted)
    # Per student user id (those of `scores`), the scores of the period the course is in now; {} when it is in none.
    period_scores: dict[int, Scores] | None = None

    def __init__(self, course: Course) -> None:
        self.course = course
        self.enrollments = []

    @property
    def concluded(self) -> bool:
        now: datetime = utcnow()
        if self.course.workflow_state == "completed":
            return True
        if self.course.end_at and self.course.end_at < now and self.course.restrict_enrollments_to_course_dates:
            return True
        return bool(self.term and self.term.end_at and self.term.end_at < now)


@dataclass
class Batch:
    """One page of views being filled, with what every extra loader needs."""

    db: Session
    viewer: User
    member: User
    views: list[CourseView]
    teacher_limit: int | None

    ids: list[int] = field(init=False)
    by_id: dict[int, CourseView] = field(init=False)

    def __post_init__(self) -> None:
        self.ids = [v.course.id for v in self.views]
        self.by_id = {v.course.id: v for v in self.views}


def load_extras(batch: Batch, want: frozenset[str]) -> None:
    """The extras in `want` on the batch's views (the term also for `concluded`), in _EXTRA_LOADERS' order."""
    for name, loader in _EXTRA_LOADERS.items():
        if name in want or (name == "term" and "concluded" in want):
            loader(batch)


def _load_term(b: Batch) -> None:
    wanted = {v.course.enrollment_term_id for v in b.views}
    terms = {t.id: t for t in b.db.scalars(select(Term).where(Term.id.in_(wanted)))}
    for v in b.views:
        v.term = terms.get(v.course.enrollment_term_id)


def _load_account(b: Batch) -> None:
    account_ids = {v.course.account_id for v in b.views}
    accts = {a.id: a for a in b.db.scalars(select(Account).where(Account.id.in_(account_ids)))}
    for v in b.views:
        v.account = accts.get(v.course.account_id)


def _load_total_students(b: Batch) -> None:
    counts = dict(b.db.execute(select(Enrollment.course_id, func.count(func.distinct(Enrollment.user_id))).where(
        Enrollment.course_id.in_(b.ids), Enrollment.type.in_(_STUDENT_TYPES),
        Enrollment.workflow_state.in_(_COUNTED_STATES)).group_by(Enrollment.course_id)).all())
    for v in b.views:
        v.total_students = counts.get(v.course.id, 0)


def _load_favorites(b: Batch) -> None:
    favs = set(b.db.scalars(select(Favorite.course_id).where(Favorite.user_id == b.viewer.id,
                                                            Favorite.course_id.in_(b.ids))))
    for v in b.views:
        v.is_favorite = v.course.id in favs


def _load_permissions(b: Batch) -> None:
    for v in b.views:
        v.rights = course_rights(b.db, b.viewer, v.course)


def _load_storage(b: Batch) -> None:
    used = file_quotas.used_bytes(b.db, b.ids)
    for v in b.views:
        v.storage_used_mb = round(used.get(v.course.id, 0) / file_quotas.MB, 6)


def _load_course_progress(b: Batch) -> None:
    progress = progress_for_courses(b.db, [v.course for v in b.views], b.member)
    for v in b.views:
        v.course_progress = progress[v.course.id]


def _load_needs_grading(b: Batch) -> None:
    counts = needs_grading_counts(b.db, b.ids, b.viewer)
    for v in b.views:
        v.needs_grading_count = counts.get(v.course.id)


def _load_grading_periods(b: Batch) -> None:
    """The periods each course uses: three statements for the page."""
    set_of = grading_periods.course_set_ids(b.db, [v.course for v in b.views])
    periods = grading_periods.periods_of_sets(b.db, sorted(set(set_of.values())))
    for v in b.views:
        v.grading_periods = periods[set_of[v.course.id]] if v.course.id in set_of else []


_EXTRA_LOADERS: dict[str, Callable[[Batch], None]] = {
    "term": _load_term,
    "account": _load_account,
    "teachers": lambda b: _load_teachers(b.db, b.by_id, b.ids, b.teacher_limit),
    "total_students": _load_total_students,
    "favorites": _load_favorites,
    "sections": lambda b: _load_sections(b.db, b.views),
    "permissions": _load_permissions,
    "storage_quota_used_mb": _load_storage,
    "observed_users": lambda b: _load_observed(b.db, b.views),
    "course_progress": _load_course_progress,
    "needs_grading_count": _load_needs_grading,
    "total_scores": lambda b: _load_scores(b.db, b.views),
    "grading_periods": _load_grading_periods,
    "current_period_scores": lambda b: _load_period_scores(b),  # after total_scores: the students it scored
}


def _load_scores(db: Session, views: list[CourseView]) -> None:
    """Course totals of the students among the listed enrollments (the viewer's, and observees')."""
    shown = [v for v in views if not v.course.hide_final_grades]
    students = {v.course.id: sorted({e.user_id for e in [*v.enrollments, *(o for o, _ in v.observed or [])]
                                     if e.type in _SCORED_TYPES}) for v in shown}
    found = course_scores(db, [(v.course, students[v.course.id]) for v in shown])
    for v in shown:
        v.scores = {u: found[(v.course.id, u)] for u in students[v.course.id]}


def _load_period_scores(b: Batch) -> None:
    """The current period's scores of the students whose course totals were loaded (and the periods, if not yet)."""
    if any(v.grading_periods is None for v in b.views):
        _load_grading_periods(b)
    for v in b.views:
        current = grading_periods.current_period(v.grading_periods or [])
        if v.scores is not None:
            v.period_scores = {} if current is None else period_scores.period_scores(
                b.db, v.course, v.grading_periods or [], current, sorted(v.scores))


def _load_teachers(db: Session, by_id: dict[int, CourseView], ids: list[int], limit: int | None) -> None:
    rows = db.execute(select(Enrollment.course_id, User).join(User, User.id == Enrollment.user_id).where(
        Enrollment.course_id.in_(ids), Enrollment.type == "TeacherEnrollment",
        Enrollment.workflow_state.in_(_COUNTED_STATES)).order_by(User.sortable_name, User.id)).all()
    grouped: dict[int, list[User]] = defaultdict(list)
    for course_id, user in rows:
        if user not in grouped[course_id]:
            grouped[course_id].append(user)
    for course_id, view in by_id.items():
        teachers = grouped.get(course_id, [])
        if limit is not None and len(teachers) > limit:
            view.teacher_count = len(teachers)
        else:
            view.teachers = teachers


def _load_sections(db: Session, views: list[CourseView]) -> None:
    enrollment_by_section = {e.course_section_id: e for v in views for e in v.enrollments}
    sections = db.scalars(select(Section).where(Section.id.in_(list(enrollment_by_section)))).all()
    by_course: dict[int, list[tuple[Section, Enrollment]]] = defaultdict(list)
    for s in sections:
        by_course[s.course_id].append((s, enrollment_by_section[s.id]))
    for v in views:
        v.sections = by_course.get(v.course.id, [])


def _load_observed(db: Session, views: list[CourseView]) -> None:
    for v in views:
        observees = [e.associated_user_id for e in v.enrollments
                     if e.type == "ObserverEnrollment" and e.associated_user_id]
        if not observees:
            v.observed = []
            continue
        v.observed = list(db.execute(select(Enrollment, User).join(User, User.id == Enrollment.user_id).where(
            Enrollment.course_id == v.course.id, Enrollment.user_id.in_(observees),
            Enrollment.workflow_state != "deleted")).tuples())
