"""Which courses a user sees in course lists, with the filters course APIs offer."""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, exists, or_, outerjoin, select
from sqlalchemy.orm import Session, aliased

from courseport.core.identity import accounts, tenancy
from courseport.core.identity.permissions import STAFF_TYPES
from courseport.core.kit.errors import InvalidInput, NotAllowed
from courseport.core.kit.paging import Slice, Window
from courseport.core.views import account_courses
from courseport.core.views.account_courses import AccountCourseQuery
from courseport.core.views.course_views import MEMBER_FIELDS, ROW_VERSION, VIEW_FIELDS, MemberRow, load_views
from courseport.row_reads import RowRead, entity_columns
from courseport.schema import Course, CourseNickname, Enrollment, Favorite, Role, User

ENROLLMENT_TYPES = {
    "teacher": "TeacherEnrollment",
    "student": "StudentEnrollment",
    "ta": "TaEnrollment",
    "observer": "ObserverEnrollment",
    "designer": "DesignerEnrollment",
    "student_view": "StudentViewEnrollment",
}
COURSE_STATES = ("unpublished", "available", "completed", "deleted")
ENROLLMENT_STATE_FILTERS = {
    "active": ("active",),
    "invited_or_pending": ("invited", "creation_pending"),
    "completed": ("completed",),
}
_CURRENT = ("active", "invited", "creation_pending")
_ALL_COURSES = 1_000_000  # the limit of a read of every course in a list
_COLUMN_ORDER = {attr.key: n for n, attr in enumerate(Course.__mapper__.column_attrs)}
# What a versioned list reads of each course (list_course_views): what views without extras need, and the version.
_VERSIONED_FIELDS = ("id", "account_id", "workflow_state")


@dataclass(frozen=True)
class CourseFilters:
    enrollment_type: str | None = None
    enrollment_role: str | None = None
    enrollment_role_id: int | None = None
    enrollment_state: str | None = None
    exclude_blueprint_courses: bool = False
    states: tuple[str, ...] = ()
    homeroom: bool | None = None
    account_id: int | None = None
    search_term: str | None = None  # as an account's course list searches (name, code, SIS id or id)
    term_id: int | None = None
    blueprint: bool | None = None  # None: either; True: blueprints only; False: no blueprints
    favorites: bool = False  # only the courses the user starred (core/courses/course_favorites.py)


def list_courses(db: Session, actor: User, target: User, filters: CourseFilters, window: Window, *,
                 fields: Collection[str] | None = None) -> Slice[Any]:
    """Courses `target` is enrolled in, as `actor` may see them (self, observer or admin): read-only
    rows of the course's columns (row_reads), not entities: a page of entities cost a third of a list.
    Each row carries `viewer_nickname`, the actor's nickname of the course (or None).
    `fields`: rows of these columns and VIEW_FIELDS only; None: every column."""
    rows = _page_rows(db, actor, target, filters, window, fields, members=False)
    return Slice(rows[: window.limit], len(rows) > window.limit)


def _page_rows(db: Session, actor: User, target: User, filters: CourseFilters, window: Window,
               fields: Collection[str] | None, *, members: bool, versioned: bool = False) -> list[Any]:
    if actor.id != target.id and not _may_view_courses_of(db, actor, target):
        raise NotAllowed()
    _validate(filters)
    read = _list_read(filters, None if fields is None else frozenset(fields), members=members, versioned=versioned)
    return read.all(db, target_id=target.id, viewer_id=actor.id, offset=window.offset, limit=window.limit + 1)


def _courses_and_members(db: Session, actor: User, target: User, filters: CourseFilters, window: Window,
                         fields: Collection[str] | None, *, versioned: bool) -> tuple[Slice[Any], dict[int, list[Any]]]:
    """list_courses, with target's live enrollments in each course of the page (course_views.MemberRow, in
    the order they were made) read by the same statement: on PostgreSQL a statement of their own cost a
    round trip and more of the database's CPU than the join does."""
    rows = _page_rows(db, actor, target, filters, window, fields, members=True, versioned=versioned)
    courses: list[Any] = []
    members: dict[int, list[Any]] = {}
    width = len(MEMBER_FIELDS) + 1  # the enrollment's id first, then MEMBER_FIELDS
    last = None
    for row in rows:  # a course's rows are together, one per enrollment (one with none: NULLs); id first
        if row[0] != last:
            courses.append(row)
            last = row[0]
        if row[-width] is not None:
            members.setdefault(row[0], []).append(row[-width:])
    for course_id, found in members.items():  # each in the order they were made, as MemberRows
        if len(found) > 1:
            found.sort()
        members[course_id] = [MemberRow._make(r[1:]) for r in found]
    return Slice(courses[: window.limit], len(courses) > window.limit), members


# One compiled read per set of filters asked and columns read (the user, offset and limit are its
# parameters), the last _LIST_READS_KEPT of them: most clients ask the same few.
_LIST_READS: dict[tuple[CourseFilters, frozenset[str] | None, bool, bool], RowRead] = {}
_LIST_READS_KEPT = 64
_LIST_READS_LOCK = threading.Lock()  # taken on a miss only: a hit is one dict lookup


def _list_read(filters: CourseFilters, fields: frozenset[str] | None, *, members: bool = False,
               versioned: bool = False) -> RowRead:
    """`versioned`: rows of _VERSIONED_FIELDS and each row's version (ROW_VERSION), whatever `fields` asks."""
    key = (filters, frozenset() if versioned else fields, members, versioned)
    read = _LIST_READS.get(key)
    if read is None:
        with _LIST_READS_LOCK:
            while len(_LIST_READS) >= _LIST_READS_KEPT:
                del _LIST_READS[next(iter(_LIST_READS))]
            statement = _list_statement(filters, frozenset() if versioned else fields, versioned=versioned)
            read = _LIST_READS.setdefault(key, RowRead(_with_members(statement) if members else statement,
                                                       "CourseRow", packed=True))
    return read


def _with_members(page: Select) -> Select:
    """The rows of `page` (a page of courses), each joined to target_id's live enrollments in it: the
    enrollment's id, then MEMBER_FIELDS as `member_<name>`. Ordered by course only: ordering by enrollment
    too had PostgreSQL sort the page's wide rows again; _courses_and_members orders a course's enrollments."""
    courses, member = page.subquery("page"), aliased(Enrollment, name="member")
    joined = courses.outerjoin(member, and_(member.course_id == courses.c.id, member.user_id == bindparam("target_id"),
                                            member.workflow_state != "deleted"))
    return (select(*courses.c, member.id.label("member_id"),
                   *(getattr(member, name).label("member_" + name) for name in MEMBER_FIELDS))
            .select_from(joined).order_by(courses.c.id))


def _list_statement(filters: CourseFilters, fields: frozenset[str] | None = None, *, versioned: bool = False) -> Select:
    enrolled = exists().where(Enrollment.course_id == Course.id, _enrollment_condition(filters),
                              _state_condition(filters))
    columns = ([*(getattr(Course, name).label(name) for name in _VERSIONED_FIELDS), ROW_VERSION] if versioned
               else _course_columns(fields))
    # The viewer's nickname of each course, read with it (one statement less per list) by a join: as a
    # subquery per course it cost PostgreSQL ~0.3 ms of a 100-course page (a subplan run per row).
    nickname = outerjoin(Course, CourseNickname, and_(CourseNickname.course_id == Course.id,
                                                      CourseNickname.user_id == bindparam("viewer_id")))
    # The user's courses are found from the user's enrollments (an index), then checked: `enrolled`
    # alone is a correlated test, which both databases ran on every course of the store.
    mine = select(Enrollment.course_id).where(_enrollment_condition(filters))
    stmt = (select(*columns, CourseNickname.nickname.label("viewer_nickname")).select_from(nickname)
            .where(Course.id.in_(mine), enrolled))
    if filters.exclude_blueprint_courses:
        stmt = stmt.where(Course.blueprint.is_(False))
    if filters.homeroom:
        stmt = stmt.where(Course.homeroom_course.is_(True))
    if filters.account_id is not None:
        stmt = stmt.where(Course.account_id == filters.account_id)
    stmt = stmt.where(*_list_filters(filters))
    return stmt.order_by(Course.id).offset(bindparam("offset")).limit(bindparam("limit"))


def _course_columns(fields: Collection[str] | None) -> list[Any]:
    """The course columns a read selects: every one (None), or VIEW_FIELDS and `fields`."""
    if fields is None:
        return entity_columns(Course)
    names = sorted({*VIEW_FIELDS, *fields}, key=_COLUMN_ORDER.__getitem__)
    return [getattr(Course, name).label(name) for name in names]


def _list_filters(filters: CourseFilters) -> list[ColumnElement[bool]]:
    """Search, term and blueprint: the rules of an account's course list, for one user's courses."""
    found: list[ColumnElement[bool]] = []
    if filters.search_term is not None:
        found.append(account_courses.search_condition(AccountCourseQuery(search_term=filters.search_term)))
    if filters.term_id is not None:
        found.append(Course.enrollment_term_id == filters.term_id)
    if filters.blueprint is not None:
        found.append(Course.blueprint.is_(filters.blueprint))
    if filters.favorites:
        found.append(Course.id.in_(select(Favorite.course_id).where(Favorite.user_id == bindparam("target_id"))))
    return found


def _validate(filters: CourseFilters) -> None:
    if filters.enrollment_type and filters.enrollment_type not in ENROLLMENT_TYPES:
        raise InvalidInput("enrollment_type", f"enrollment_type must be one of {', '.join(ENROLLMENT_TYPES)}")
    if filters.enrollment_state and filters.enrollment_state not in ENROLLMENT_STATE_FILTERS:
        allowed = ", ".join(ENROLLMENT_STATE_FILTERS)
        raise InvalidInput("enrollment_state", f"enrollment_state must be one of {allowed}")
    for state in filters.states:
        if state not in COURSE_STATES:
            raise InvalidInput("state[]", f"state[] must be one of {', '.join(COURSE_STATES)}")


def _enrollment_condition(filters: CourseFilters):  # noqa: ANN202
    cond = [Enrollment.user_id == bindparam("target_id")]
    states = ENROLLMENT_STATE_FILTERS.get(filters.enrollment_state or "", _CURRENT)
    cond.append(Enrollment.workflow_state.in_(states))
    if filters.enrollment_role_id is not None:
        cond.append(Enrollment.role_id == filters.enrollment_role_id)
    elif filters.enrollment_role:
        role_ids = select(Role.id).where(Role.name == filters.enrollment_role)
        cond.append(or_(Enrollment.type == filters.enrollment_role, Enrollment.role_id.in_(role_ids)))
    elif filters.enrollment_type:
        cond.append(Enrollment.type == ENROLLMENT_TYPES[filters.enrollment_type])
    return and_(*cond)


def _state_condition(filters: CourseFilters):  # noqa: ANN202
    """Course states each enrollment shows: students and observers see published courses only."""
    staff = Enrollment.type.in_(STAFF_TYPES)
    published = Course.workflow_state == "available"
    if filters.enrollment_state == "completed":
        published = Course.workflow_state.in_(("available", "completed"))
    if filters.states:
        published = and_(Course.workflow_state.in_(filters.states),
                         Course.workflow_state.in_(("available", "completed")))
        return or_(and_(staff, Course.workflow_state.in_(filters.states)), and_(~staff, published))
    return or_(and_(staff, Course.workflow_state != "deleted"), and_(~staff, published))


def _may_view_courses_of(db: Session, actor: User, target: User) -> bool:
    if accounts.is_admin_of(db, actor.id, tenancy.tenant_of(db, actor.id)):  # target is of the actor's tenant
        return True
    observes = db.scalar(
        select(Enrollment.id).where(
            Enrollment.user_id == actor.id,
            Enrollment.associated_user_id == target.id,
            Enrollment.type == "ObserverEnrollment",
            Enrollment.workflow_state == "active",
        ).limit(1)
    )
    return observes is not None


def list_course_views(
    db: Session, actor: User, target: User, filters: CourseFilters, window: Window, want: frozenset[str], *,
    fields: Collection[str] | None = None, versioned: bool = False,
) -> Slice:
    """A page of course views for `target`'s course list, of the columns `fields` names (and VIEW_FIELDS)
    or, with None, of every column. `versioned`, for views without extras (`want` empty): of the course's id,
    account and state and the row's version (`row_version`) only, for a caller that keeps what it made of a
    course by its version and reads the others whole by `course_rows`."""
    versioned = versioned and not want
    page, members = _courses_and_members(db, actor, target, filters, window, fields, versioned=versioned)
    nicknames = {c.id: c.viewer_nickname for c in page.items if c.viewer_nickname is not None}  # None: the default
    views = load_views(db, actor, page.items, want, enrollments_of=target, nicknames=nicknames,
                       member_enrollments=members)
    return Slice(views, page.has_more, page.total)


def list_favorite_course_views(
    db: Session, actor: User, filters: CourseFilters, window: Window, want: frozenset[str], *,
    fields: Collection[str] | None = None,
) -> Slice:
    """A page of the actor's favourite courses: those they starred among their current courses, or,
    when none of those is starred, their current courses (Canvas's list of favourite courses)."""
    starred = replace(filters, favorites=True)
    page = list_course_views(db, actor, actor, starred, window, want, fields=fields)
    if page.items or (window.offset and list_courses(db, actor, actor, starred, Window(0, 1), fields=()).items):
        return page
    return list_course_views(db, actor, actor, filters, window, want, fields=fields)


def current_course_ids(db: Session, user: User) -> list[int]:
    """The ids of every course in the user's course list, unfiltered (what their favourites list shows
    while they starred none)."""
    read = _list_read(CourseFilters(), frozenset())
    return [row.id for row in read.all(db, target_id=user.id, viewer_id=user.id, offset=0, limit=_ALL_COURSES)]


# Courses by id, of VIEW_FIELDS, the fields asked and the row's version: one read per set of fields and
# number of ids, padded to a power of two (a few prepared statements, not one per count).
_ROWS_BY_ID: dict[tuple[frozenset[str], int], RowRead] = {}


def course_rows(db: Session, ids: list[int], fields: Collection[str]) -> dict[int, Any]:
    """The courses of `ids` that exist, by id, as list_course_views reads them with `fields` (and VIEW_FIELDS)
    and `row_version` (row_reads.RowVersion)."""
    if not ids:
        return {}
    size = 1 << (len(ids) - 1).bit_length()
    key = (frozenset(fields), size)
    read = _ROWS_BY_ID.get(key)
    if read is None:
        with _LIST_READS_LOCK:
            read = _ROWS_BY_ID.setdefault(key, RowRead(select(*_course_columns(key[0]), ROW_VERSION)
                                                       .where(Course.id.in_(bindparam("ids", expanding=True))),
                                                       "CourseRow"))
    padded = [*ids, *[ids[-1]] * (size - len(ids))]
    return {row.id: row for row in read.all(db, ids=padded)}
