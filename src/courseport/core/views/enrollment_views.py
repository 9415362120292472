"""Enrollments as course APIs list them: by course, section or user, filtered by type, role, state and
user, each with its user, section, role name and (for students) course totals from the gradebook.

Who sees what: those who read the roster or grades see the course's enrollments (a viewer limited to
their sections sees those sections only); anyone else who reads the course sees their own and those of
the students they observe. A user's list shows the courses where the viewer may see them; their own,
always.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from courseport.core.courses.courses import resolve_course
from courseport.core.courses.enrollments import removable
from courseport.core.courses.sections import READ_RIGHTS, readable_section
from courseport.core.coursework import period_scores
from courseport.core.identity import accounts, tenancy, users
from courseport.core.identity.permissions import CourseRights, course_rights
from courseport.core.kit.errors import NotAllowed, NotFound
from courseport.core.kit.ids import store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.core.views.rosters import (
    EnrollmentView,
    FieldAccess,
    RosterPage,
    is_student_enrollment,
    visible_sections,
)
from courseport.schema import Account, ContentItem, Course, Enrollment, GradingPeriod, Role, Section, Submission, User

# What an enrollment response may carry besides the row: dialects translate their include[] into these.
WANTS = frozenset({"observed_users", "can_be_removed", "current_points"})
DEFAULT_STATES = ("active", "invited", "creation_pending")
ENROLLMENT_STAMPS = {"created_at": Enrollment.created_at, "updated_at": Enrollment.updated_at,
                     "last_activity_at": Enrollment.last_activity_at, "course_start_at": Course.start_at,
                     "course_end_at": Course.end_at}
ENROLLMENT_SORTS = {**ENROLLMENT_STAMPS, "course_code": Course.course_code, "course_name": func.lower(Course.name)}
_STATE_GROUPS = {"current_and_invited": DEFAULT_STATES, "current_and_future": DEFAULT_STATES,
                 "current_and_concluded": ("active", "completed")}


@dataclass(frozen=True)
class EnrollmentQuery:
    """The filters of an enrollment list; empty tuples mean "no filter"."""

    types: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # role names (a built-in role's name is its type)
    states: tuple[str, ...] = ()
    user_ref: str | None = None
    course_ids: tuple[int, ...] = ()  # only enrollments in these courses
    grading_period_id: str | None = None
    want: frozenset[str] = frozenset()
    # (ENROLLMENT_STAMPS key, moment, before): at or after the moment, or before it (a null never matches).
    stamps: tuple[tuple[str, datetime, bool], ...] = ()
    sort: tuple[tuple[str, bool], ...] = ()  # (ENROLLMENT_SORTS key, descending), before the list's own order
    course_active: bool | None = None  # the course is (not) available
    accessible: bool | None = None  # the course is available and the enrollment active (or not both)
    # Only each user's first listed enrollment in a course (faces that list memberships of an org unit, not
    # Canvas's section enrollments: a user in two sections is one member of the course).
    one_per_course: bool = False


@dataclass
class EnrollmentItem:
    view: EnrollmentView  # the row, its role name, its section and (students) course totals
    user: User
    context: RosterPage  # the course, its account and what the viewer may see there (no entries)
    confirmed: bool
    can_be_removed: bool | None = None
    current_points: float | None = None
    observed: User | None = None


@dataclass
class EnrollmentPage:
    items: list[EnrollmentItem]
    slice: Slice[Enrollment] = field(default_factory=lambda: Slice([], False))


def list_course_enrollments(db: Session, viewer: User, course_ref: str, query: EnrollmentQuery, window: Window
                            ) -> EnrollmentPage:
    course = resolve_course(db, course_ref)
    scope = _course_scope(db, viewer, course, None)
    return _listed(db, viewer, scope, query, window, period=_period(db, [course], query))


def list_section_enrollments(db: Session, viewer: User, section_ref: str, query: EnrollmentQuery, window: Window
                             ) -> EnrollmentPage:
    section, course, _ = readable_section(db, viewer, section_ref)
    scope = _course_scope(db, viewer, course, section.id)
    return _listed(db, viewer, scope, query, window, period=_period(db, [course], query))


def list_user_enrollments(db: Session, viewer: User, user_ref: str, query: EnrollmentQuery, window: Window
                          ) -> EnrollmentPage:
    """The user's enrollments in live courses: all of their own; of others', those in courses the viewer
    administers or where they observe that user (Canvas asks for account-level roster rights: teachers
    see a student's enrollments through the course lists, not here)."""
    target = users.resolve_user(db, user_ref, viewer)
    mine = Enrollment.user_id == target.id

    def courses() -> list[Course]:  # grading_period_id names a period of one of the user's courses
        return list(db.scalars(select(Course).where(Course.id.in_(select(Enrollment.course_id).where(mine)))))

    if target.id == viewer.id or accounts.is_admin_of(db, viewer.id, tenancy.tenant_of(db, viewer.id)):
        return _listed(db, viewer, mine, query, window, by_user=True, period=_period(db, courses, query))
    observing = select(Enrollment.course_id).where(
        Enrollment.user_id == viewer.id, Enrollment.associated_user_id == target.id,
        Enrollment.workflow_state.in_(DEFAULT_STATES))
    course_ids = db.scalars(select(Enrollment.course_id).where(mine).distinct())
    administered = [c.id for c in db.scalars(select(Course).where(Course.id.in_(course_ids)))
                    if course_rights(db, viewer, c).is_admin]
    seen = or_(Enrollment.course_id.in_(administered), Enrollment.course_id.in_(observing))
    if not administered and db.scalar(observing.limit(1)) is None:
        raise NotAllowed()
    return _listed(db, viewer, and_(mine, seen), query, window, by_user=True, period=_period(db, courses, query))


def account_enrollment(db: Session, viewer: User, account_ref: str, enrollment_ref: str) -> EnrollmentItem:
    """One enrollment of a course under the account, for the account's admins."""
    account = accounts.readable_account(db, viewer.id, account_ref)
    enrollment_id = store_id(enrollment_ref)
    enrollment = None if enrollment_id is None else db.get(Enrollment, enrollment_id)
    course = None if enrollment is None else db.get(Course, enrollment.course_id)
    if enrollment is None or course is None or account.id not in accounts.ancestor_ids(db, course.account_id):
        raise NotFound("enrollment")
    return load_items(db, viewer, [enrollment], frozenset())[0]


def written_item(db: Session, viewer: User, enrollment: Enrollment) -> EnrollmentItem:
    """An enrollment the viewer has just written, as a create, delete or reactivate answers it."""
    return load_items(db, viewer, [enrollment], frozenset())[0]


def _course_scope(db: Session, viewer: User, course: Course, section_id: int | None) -> ColumnElement[bool]:
    rights = course_rights(db, viewer, course)
    if any(rights.can(r) for r in READ_RIGHTS):
        return _roster_scope(db, viewer, course, rights, section_id)
    if not rights.can("read"):
        raise NotAllowed()
    own = or_(Enrollment.user_id == viewer.id, Enrollment.user_id.in_(_observed_by(viewer.id, course.id)))
    in_section = Enrollment.course_section_id == section_id if section_id is not None else None
    return and_(Enrollment.course_id == course.id, own, *([in_section] if in_section is not None else []))


def _observed_by(viewer_id: int, course_id: int) -> Select[int | None]:
    """The students the viewer observes in the course (their enrollments and grades are the viewer's to see)."""
    return select(Enrollment.associated_user_id).where(
        Enrollment.user_id == viewer_id, Enrollment.course_id == course_id,
        Enrollment.associated_user_id.is_not(None), Enrollment.workflow_state.in_(DEFAULT_STATES))


def _roster_scope(db: Session, viewer: User, course: Course, rights: CourseRights, section_id: int | None
                  ) -> ColumnElement[bool]:
    conditions = [Enrollment.course_id == course.id]
    sections = visible_sections(db, rights, viewer, course)
    if sections is not None:
        conditions.append(Enrollment.course_section_id.in_(sections))
    if section_id is not None:
        conditions.append(Enrollment.course_section_id == section_id)
    return and_(*conditions)


def _period(db: Session, courses: list[Course] | Callable[[], list[Course]], query: EnrollmentQuery
            ) -> GradingPeriod | None:
    """The grading period the list's grades are of (`grading_period_id`: one of the courses'), if one is asked."""
    if query.grading_period_id is None:
        return None
    return period_scores.period_in_courses(db, courses() if callable(courses) else courses, query.grading_period_id)


def _listed(db: Session, viewer: User, scope: ColumnElement[bool], query: EnrollmentQuery, window: Window, *,
            by_user: bool = False, period: GradingPeriod | None = None) -> EnrollmentPage:
    stmt = (select(Enrollment).join(User, User.id == Enrollment.user_id)
            .join(Course, Course.id == Enrollment.course_id)
            .where(scope, User.workflow_state != "deleted", Course.workflow_state != "deleted",
                   *_filters(db, viewer, query)))
    order = (Enrollment.id,) if by_user else (func.lower(User.sortable_name), Enrollment.id)
    first = [(ENROLLMENT_SORTS[key].desc() if desc else ENROLLMENT_SORTS[key].asc()).nulls_last()
             for key, desc in query.sort]  # nulls last either way, on every database
    found = fetch_window(db, stmt.order_by(*first, *order), window)
    return EnrollmentPage(load_items(db, viewer, found.items, query.want, period), found)


def _filters(db: Session, viewer: User, query: EnrollmentQuery) -> list[ColumnElement[bool]]:
    states = [s for state in query.states for s in _STATE_GROUPS.get(state, (state,))] or list(DEFAULT_STATES)
    conditions: list[ColumnElement[bool]] = [Enrollment.workflow_state.in_(states)]
    if query.types:
        conditions.append(Enrollment.type.in_(query.types))
    if query.roles:
        conditions.append(Enrollment.role_id.in_(select(Role.id).where(Role.name.in_(query.roles))))
    if query.course_ids:
        conditions.append(Enrollment.course_id.in_(query.course_ids))
    if query.user_ref is not None:
        try:
            conditions.append(Enrollment.user_id == users.resolve_user(db, query.user_ref, viewer).id)
        except NotFound:
            conditions.append(false())
    for key, moment, before in query.stamps:
        conditions.append(ENROLLMENT_STAMPS[key] < moment if before else ENROLLMENT_STAMPS[key] >= moment)
    if query.one_per_course:
        other = aliased(Enrollment)
        conditions.append(Enrollment.id == select(func.min(other.id)).where(
            other.user_id == Enrollment.user_id, other.course_id == Enrollment.course_id,
            other.workflow_state.in_(states)).scalar_subquery())
    available = Course.workflow_state == "available"
    if query.course_active is not None:
        conditions.append(available if query.course_active else ~available)
    if query.accessible is not None:
        reachable = and_(available, Enrollment.workflow_state == "active")
        conditions.append(reachable if query.accessible else ~reachable)
    return conditions


def load_items(db: Session, viewer: User, rows: list[Enrollment], want: frozenset[str],
               period: GradingPeriod | None = None) -> list[EnrollmentItem]:
    """Each enrollment with its user, section, role name, course context and the extras wanted; students' grades
    those of `period` where given (`period_scores.enrollment_scores`), else the course totals."""
    if not rows:
        return []
    people = {u.id: u for u in db.scalars(select(User).where(User.id.in_(
        {e.user_id for e in rows} | {e.associated_user_id for e in rows if e.associated_user_id})))}
    sections = {s.id: s for s in db.scalars(select(Section).where(Section.id.in_({e.course_section_id for e in rows})))}
    roles = dict(db.execute(select(Role.id, Role.name).where(Role.id.in_({e.role_id for e in rows}))).tuples().all())
    courses = {c.id: c for c in db.scalars(select(Course).where(Course.id.in_({e.course_id for e in rows})))}
    contexts = {c.id: _context(db, viewer, c) for c in courses.values()}
    students = defaultdict(set)
    for e in rows:
        if is_student_enrollment(e):
            students[e.course_id].add(e.user_id)
    scores = period_scores.enrollment_scores(db, [(courses[cid], sorted(ids)) for cid, ids in students.items()],
                                             period)
    points = _current_points(db, students) if "current_points" in want else {}
    confirmed = _confirmed(db, rows)
    items = []
    for e in rows:
        context, rights = contexts[e.course_id]
        found, period_id = scores.get((e.course_id, e.user_id), (None, None))
        view = EnrollmentView(e, roles.get(e.role_id, e.type), sections[e.course_section_id], found, period_id)
        item = EnrollmentItem(view, people[e.user_id], context, (e.course_id, e.user_id) in confirmed)
        if "can_be_removed" in want:
            item.can_be_removed = removable(rights, e)
        if "current_points" in want and is_student_enrollment(e):
            item.current_points = points.get((e.course_id, e.user_id), 0.0)
        if "observed_users" in want and e.associated_user_id:
            item.observed = people.get(e.associated_user_id)
        items.append(item)
    return items


def _context(db: Session, viewer: User, course: Course) -> tuple[RosterPage, CourseRights]:
    rights = course_rights(db, viewer, course)
    account = cast(Account, db.get(Account, course.account_id))  # non-null foreign key
    observed = frozenset(i for i in db.scalars(_observed_by(viewer.id, course.id)) if i is not None)
    return RosterPage(course, account, FieldAccess.of(rights, course, observed), Window(0, 1)), rights


def _confirmed(db: Session, rows: list[Enrollment]) -> set[tuple[int, int]]:
    """(course, user) pairs with an accepted enrollment: personal details show only for those."""
    pairs = {(e.course_id, e.user_id) for e in rows}
    found = db.execute(select(Enrollment.course_id, Enrollment.user_id).where(
        Enrollment.course_id.in_({c for c, _ in pairs}), Enrollment.user_id.in_({u for _, u in pairs}),
        Enrollment.workflow_state.not_in(("invited", "creation_pending", "rejected", "deleted")))).tuples()
    return set(found) & pairs


def _current_points(db: Session, students: dict[int, set[int]]) -> dict[tuple[int, int], float]:
    """Points earned on posted grades of published assignments, per (course, user)."""
    wanted = [and_(Submission.course_id == cid, Submission.user_id.in_(ids)) for cid, ids in students.items()]
    if not wanted:
        return {}
    rows = db.execute(select(Submission.course_id, Submission.user_id, func.sum(Submission.score))
                      .join(ContentItem, ContentItem.id == Submission.item_id)
                      .where(or_(*wanted), Submission.posted_at.is_not(None), Submission.score.is_not(None),
                             ContentItem.workflow_state.in_(("published", "available", "active")))
                      .group_by(Submission.course_id, Submission.user_id)).tuples()
    return {(c, u): float(total or 0.0) for c, u, total in rows}
