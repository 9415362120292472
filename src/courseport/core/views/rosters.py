"""Who is in a course and who may look at whom: roster search, sort and paging, recent students,
the course's test student, content-share candidates, and single-user lookups.

Functions return users with what a viewer may see of them (`FieldAccess`); dialects render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import default_section, readable_course, resolve_course
from courseport.core.coursework import period_scores
from courseport.core.coursework.grades import Scores
from courseport.core.identity import accounts, tenancy, users
from courseport.core.identity.permissions import (
    PERMISSION_ALIASES,
    STAFF_TYPES,
    CourseRights,
    course_rights,
    require_any,
)
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.ids import is_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.core.views.course_lists import ENROLLMENT_TYPES
from courseport.schema import Account, AccountUser, Course, Enrollment, Role, Section, User

SORTS = ("username", "last_login", "email", "sis_id")
ENROLLMENT_STATES = ("active", "invited", "rejected", "completed", "inactive")
MIN_SEARCH_LENGTH = 2
_CURRENT_STATES = ("active", "invited", "creation_pending")
_UNCONFIRMED_STATES = ("invited", "creation_pending", "rejected", "deleted")
_STUDENT_TYPES = ("StudentEnrollment", "StudentViewEnrollment")
_ROSTER_RIGHTS = ("read_roster", "view_all_grades", "manage_grades")


@dataclass(frozen=True)
class RosterQuery:
    """The roster filters course APIs offer; empty tuples mean "no filter"."""

    search_term: str | None = None
    sort: str | None = None
    enrollment_types: tuple[str, ...] = ()  # teacher, student, student_view, ta, observer, designer
    enrollment_role: str | None = None
    enrollment_role_id: int | None = None
    enrollment_states: tuple[str, ...] = ()
    user_ids: tuple[int, ...] = ()
    include_test_student: bool = False
    with_enrollments: bool = False
    current_period_scores: bool = False  # students' grades of the grading period the course is in now
    page_of_user_id: int | None = None  # return the window holding this user instead


@dataclass(frozen=True)
class FieldAccess:
    """Which guarded user and enrollment fields a viewer may see in one course. An observer sees the
    grades of the students they observe there (`observed_ids`), as Canvas shows them; no one else's."""

    viewer_id: int
    sis_ids: bool = False
    sis_import_ids: bool = False
    login_ids: bool = False
    emails: bool = False
    graders_view: bool = False
    activity: bool = False
    unlocks_sis: bool = False
    hide_final_grades: bool = False
    observed_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, rights: CourseRights, course: Course, observed_ids: frozenset[int] = frozenset()) -> FieldAccess:
        return cls(
            viewer_id=rights.user_id, sis_ids=rights.can("read_sis"), sis_import_ids=rights.can("manage_sis"),
            login_ids=rights.can("view_user_logins"),
            emails=rights.can(PERMISSION_ALIASES["read_email_addresses"]),
            graders_view=rights.can("manage_grades") or rights.can("view_all_grades"),
            activity=rights.can("read_reports"), unlocks_sis=rights.can("manage_sis") or rights.can("manage_account"),
            hide_final_grades=course.hide_final_grades, observed_ids=observed_ids,
        )

    def sees_grades(self, e: Enrollment) -> bool:
        own = e.user_id == self.viewer_id or e.user_id in self.observed_ids
        return self.graders_view or (own and not self.hide_final_grades)

    def sees_activity(self, e: Enrollment) -> bool:
        return self.activity or e.user_id == self.viewer_id


@dataclass
class EnrollmentView:
    enrollment: Enrollment
    role_name: str
    section: Section
    scores: Scores | None = None  # course totals (or a grading period's), for student enrollments
    period_id: int | None = None  # the grading period `scores` are of; None: the course totals


@dataclass
class RosterEntry:
    user: User
    confirmed: bool = True  # has an accepted enrollment; personal details stay hidden until then
    enrollments: list[EnrollmentView] | None = None


@dataclass
class RosterPage:
    course: Course
    account: Account
    access: FieldAccess
    window: Window  # the window served (moved when the query asked for one user's page)
    slice: Slice[RosterEntry] = field(default_factory=lambda: Slice([], False))


def list_roster(db: Session, viewer: User, course_ref: str | int, query: RosterQuery, window: Window) -> RosterPage:
    """Users in a course matching `query`, one window of them, sorted as asked."""
    course, rights = _roster_course(db, viewer, course_ref)
    access = FieldAccess.of(rights, course)
    states = _validate(query)
    stmt = select(User).where(_member_of(course, states, _role_condition(db, course, query),
                                         visible_sections(db, rights, viewer, course)),
                              User.workflow_state != "deleted")
    if query.search_term is not None and query.search_term.strip():
        stmt = stmt.where(_search_condition(query.search_term.strip(), access))
    if not (query.include_test_student or "student_view" in query.enrollment_types):
        stmt = stmt.where(User.is_test_student.is_(False))
    if query.user_ids:
        stmt = stmt.where(User.id.in_(query.user_ids))
    order = _order(query.sort)
    if query.page_of_user_id is not None:
        window = _window_holding(db, stmt, order, query.page_of_user_id, window)
    found = fetch_window(db, stmt.order_by(*order), window)
    entries = _entries(db, course, found.items, query.enrollment_states or _CURRENT_STATES, query.with_enrollments,
                       current_period=query.current_period_scores)
    return RosterPage(course, _account(db, course), access, window,
                      Slice(entries, found.has_more, found.total))


def roster_user(db: Session, viewer: User, course_ref: str | int, user_ref: str, *, with_enrollments: bool
                ) -> RosterPage:
    """One user the viewer may see in the course (404 when not in it), as a one-entry page."""
    course, rights = _roster_course(db, viewer, course_ref)
    user = users.resolve_user(db, user_ref, viewer)
    visible = db.scalar(select(User.id).where(
        User.id == user.id, User.workflow_state != "deleted",
        _member_of(course, _CURRENT_STATES, None, visible_sections(db, rights, viewer, course))))
    if visible is None:
        raise NotFound("user")
    entries = _entries(db, course, [user], _CURRENT_STATES, with_enrollments)
    return RosterPage(course, _account(db, course), FieldAccess.of(rights, course), Window(0, 1),
                      Slice(entries, False))


def recent_students(db: Session, viewer: User, course_ref: str | int, window: Window) -> RosterPage:
    """Students of the course, most recently logged in first, never-logged-in last."""
    course, rights = readable_course(db, viewer, course_ref, "read_reports")
    enrolled = exists().where(Enrollment.user_id == User.id, Enrollment.course_id == course.id,
                              Enrollment.type == "StudentEnrollment", Enrollment.workflow_state != "deleted")
    stmt = select(User).where(enrolled, User.workflow_state != "deleted").order_by(
        case((User.last_login.is_(None), 1), else_=0), User.last_login.desc(), User.id)
    found = fetch_window(db, stmt, window)
    entries = _entries(db, course, found.items, _CURRENT_STATES, False)
    return RosterPage(course, _account(db, course), FieldAccess.of(rights, course), window,
                      Slice(entries, found.has_more))


def content_share_users(db: Session, viewer: User, course_ref: str | int, search_term: str | None,
                        window: Window) -> RosterPage:
    """Teachers, TAs, designers and admins of the course's root account whose name or email matches."""
    course = resolve_course(db, course_ref)
    if search_term is None:
        raise InvalidInput("search_term", "Search term required")
    rights = course_rights(db, viewer, course)
    require_any(rights, "manage_content")
    pattern = _like_pattern(search_term)
    root = course.root_account_id
    teaches = exists().where(
        Enrollment.user_id == User.id, Enrollment.type.in_(STAFF_TYPES), Enrollment.workflow_state == "active",
        Enrollment.course_id.in_(select(Course.id).where(Course.root_account_id == root,
                                                         Course.workflow_state != "deleted")))
    administers = exists().where(
        AccountUser.user_id == User.id,
        AccountUser.account_id.in_(select(Account.id).where(
            or_(Account.id == root, Account.root_account_id == root), Account.workflow_state != "deleted")))
    stmt = select(User).where(
        or_(teaches, administers), User.workflow_state != "deleted", User.is_test_student.is_(False),
        or_(User.name.ilike(pattern, escape="\\"), User.email.ilike(pattern, escape="\\"))
    ).order_by(User.name, User.id)
    found = fetch_window(db, stmt, window)
    # Share candidates are shown without logins or SIS data, as Canvas does.
    access = FieldAccess(viewer.id, emails=FieldAccess.of(rights, course).emails)
    return RosterPage(course, _account(db, course), access, window,
                      Slice([RosterEntry(u) for u in found.items], found.has_more))


def ensure_test_student(db: Session, viewer: User, course_ref: str | int) -> RosterPage:
    """The course's test student, created (with its student-view enrollment) on first request."""
    course, rights = readable_course(db, viewer, course_ref, "use_student_view")
    db.execute(select(Course.id).where(Course.id == course.id).with_for_update())  # one creator at a time
    student = db.scalar(select(User).join(Enrollment, Enrollment.user_id == User.id).where(
        Enrollment.course_id == course.id, Enrollment.type == "StudentViewEnrollment",
        Enrollment.workflow_state != "deleted", User.workflow_state != "deleted").order_by(User.id).limit(1))
    if student is None:
        student = users.create_user(db, "Test Student", is_test_student=True)
        db.add(Enrollment(
            user_id=student.id, course_id=course.id, course_section_id=default_section(db, course).id,
            root_account_id=course.root_account_id, type="StudentViewEnrollment",
            role_id=accounts.BUILT_IN_ROLES["StudentEnrollment"], workflow_state="active"))
        db.flush()
    return RosterPage(course, _account(db, course), FieldAccess.of(rights, course), Window(0, 1),
                      Slice([RosterEntry(student)], False))


@dataclass(frozen=True)
class UserProfile:
    user: User
    is_self: bool
    is_admin: bool


def readable_user(db: Session, viewer: User, user_ref: str) -> UserProfile:
    """A user as the viewer may read them: themselves, or anyone for an admin over them."""
    user = users.resolve_user(db, user_ref, viewer)
    if user.id == viewer.id:
        return UserProfile(user, True, accounts.is_admin_of(db, viewer.id, tenancy.tenant_of(db, viewer.id)))
    if not _administers_user(db, viewer, user):
        raise NotAllowed()
    return UserProfile(user, False, True)


def _administers_user(db: Session, viewer: User, user: User) -> bool:
    if accounts.is_admin_of(db, viewer.id, tenancy.tenant_of(db, viewer.id)):  # users resolve in its tenant
        return True
    course_accounts = db.scalars(select(Course.account_id).join(Enrollment, Enrollment.course_id == Course.id)
                                 .where(Enrollment.user_id == user.id).distinct())
    return any(accounts.is_admin_of(db, viewer.id, account_id) for account_id in course_accounts)


def _roster_course(db: Session, viewer: User, ref: str | int) -> tuple[Course, CourseRights]:
    course = resolve_course(db, ref)
    rights = course_rights(db, viewer, course)
    require_any(rights, *_ROSTER_RIGHTS)
    return course, rights


def _validate(query: RosterQuery) -> tuple[str, ...]:
    if query.sort is not None and query.sort not in SORTS:
        raise InvalidInput("sort", f"sort must be one of {', '.join(SORTS)}")
    bad_types = [t for t in query.enrollment_types if t not in ENROLLMENT_TYPES]
    if bad_types:
        raise InvalidInput("enrollment_type[]", f"enrollment_type must be one of {', '.join(ENROLLMENT_TYPES)}")
    if any(s not in ENROLLMENT_STATES for s in query.enrollment_states):
        raise InvalidInput("enrollment_state[]", f"enrollment_state must be one of {', '.join(ENROLLMENT_STATES)}")
    term = (query.search_term or "").strip()
    if term and len(term) < MIN_SEARCH_LENGTH:
        raise InvalidInput("search_term", f"{MIN_SEARCH_LENGTH} or more characters is required")
    return query.enrollment_states or _CURRENT_STATES


def _role_condition(db: Session, course: Course, query: RosterQuery) -> ColumnElement[bool] | None:
    """Role id, else role name, else enrollment types (Canvas ignores types once a role is given)."""
    if query.enrollment_role_id is not None:
        return Enrollment.role_id == query.enrollment_role_id
    if query.enrollment_role:
        chain = accounts.ancestor_ids(db, course.account_id)
        role_ids = select(Role.id).where(Role.name == query.enrollment_role, Role.workflow_state == "active",
                                         or_(Role.account_id.is_(None), Role.account_id.in_(chain)))
        return Enrollment.role_id.in_(role_ids)
    if query.enrollment_types:
        return Enrollment.type.in_([ENROLLMENT_TYPES[t] for t in query.enrollment_types])
    return None


def _member_of(course: Course, states: tuple[str, ...], role: ColumnElement[bool] | None,
               sections: list[int] | None) -> ColumnElement[bool]:
    """The user holds one enrollment in the course meeting every condition at once."""
    conditions = [Enrollment.user_id == User.id, Enrollment.course_id == course.id,
                  Enrollment.workflow_state.in_(states)]
    if role is not None:
        conditions.append(role)
    if sections is not None:
        conditions.append(Enrollment.course_section_id.in_(sections))
    return exists().where(and_(*conditions))


def visible_sections(db: Session, rights: CourseRights, viewer: User, course: Course) -> list[int] | None:
    """The sections a viewer limited to their own sections may see; None when they see them all."""
    if rights.is_admin:
        return None
    rows = db.execute(select(Enrollment.course_section_id, Enrollment.limit_privileges_to_course_section).where(
        Enrollment.user_id == viewer.id, Enrollment.course_id == course.id,
        Enrollment.workflow_state.in_(("active", "invited", "completed")))).all()
    if not rows or not all(limited for _, limited in rows):
        return None
    return sorted({section for section, _ in rows})


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search_condition(term: str, access: FieldAccess) -> ColumnElement[bool]:
    """Name always; login, email and SIS id only for viewers allowed to see them; a full numeric id."""
    pattern = _like_pattern(term)
    matches: list[ColumnElement[bool]] = [User.name.ilike(pattern, escape="\\")]
    if access.login_ids:
        matches.append(User.login_id.ilike(pattern, escape="\\"))
    if access.emails:
        matches.append(User.email.ilike(pattern, escape="\\"))
    if access.sis_ids:
        matches.append(User.sis_user_id.ilike(pattern, escape="\\"))
    if is_id(term):
        matches.append(User.id == int(term))
    return or_(*matches)


def _account(db: Session, course: Course) -> Account:
    return cast(Account, db.get(Account, course.account_id))  # non-null foreign key: the account exists


def _order(sort: str | None) -> list[SQLColumnExpression[Any]]:
    by_name = [func.lower(User.sortable_name), User.id]
    column = {"last_login": User.last_login, "email": User.email, "sis_id": User.sis_user_id}.get(sort or "")
    if column is None:
        return by_name
    return [case((column.is_(None), 1), else_=0), column, *by_name]


def _window_holding(db: Session, stmt: Select, order: list[SQLColumnExpression[Any]], user_id: int,
                    window: Window) -> Window:
    """The window of `window.limit` rows that holds the user, or `window` when they are not listed."""
    ranked = stmt.with_only_columns(User.id.label("uid"),
                                    func.row_number().over(order_by=order).label("position")).subquery()
    position = db.scalar(select(ranked.c.position).where(ranked.c.uid == user_id))
    if position is None:
        return window
    return Window((position - 1) // window.limit * window.limit, window.limit)


def _entries(db: Session, course: Course, found: list[User], states: tuple[str, ...], with_enrollments: bool, *,
             current_period: bool = False) -> list[RosterEntry]:
    ids = [u.id for u in found]
    if not ids:
        return []
    confirmed = set(db.scalars(select(Enrollment.user_id).where(
        Enrollment.course_id == course.id, Enrollment.user_id.in_(ids),
        Enrollment.workflow_state.not_in(_UNCONFIRMED_STATES)).distinct()))
    entries = {u.id: RosterEntry(u, u.id in confirmed, [] if with_enrollments else None) for u in found}
    if with_enrollments:
        rows = db.execute(select(Enrollment, Role.name, Section).join(Role, Role.id == Enrollment.role_id)
                          .join(Section, Section.id == Enrollment.course_section_id)
                          .where(Enrollment.course_id == course.id, Enrollment.user_id.in_(ids),
                                 Enrollment.workflow_state.in_(states)).order_by(Enrollment.id)).tuples()
        for enrollment, role_name, section in rows:
            enrollments = cast(list[EnrollmentView], entries[enrollment.user_id].enrollments)  # with_enrollments
            enrollments.append(EnrollmentView(enrollment, role_name, section))
        _add_scores(db, course, [ev for entry in entries.values() for ev in entry.enrollments or []], current_period)
    return list(entries.values())


def _add_scores(db: Session, course: Course, views: list[EnrollmentView], current_period: bool) -> None:
    students = [ev for ev in views if is_student_enrollment(ev.enrollment)]
    found = period_scores.enrollment_scores(db, [(course, sorted({ev.enrollment.user_id for ev in students}))],
                                            current=current_period)
    for ev in students:
        ev.scores, ev.period_id = found[(course.id, ev.enrollment.user_id)]


def is_student_enrollment(e: Enrollment) -> bool:
    return e.type in _STUDENT_TYPES
