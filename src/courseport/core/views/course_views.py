"""Everything a course response may carry besides the row itself, loaded in bulk for a page.

`want` names the extras (term, account, teachers, total_students, favorites, sections, ...);
dialects translate their include vocabularies into it. The view and the loaders of its extras are
`course_view_extras.py`.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import Label

from courseport.core.courses.courses import course_row
from courseport.core.identity import accounts, tokens
from courseport.core.identity.accounts import is_admin_of
from courseport.core.identity.permissions import (
    BUILT_IN_ROLE_IDS,
    CourseRights,
    course_rights,
    enrollment_types_with,
    holds_right,
)
from courseport.core.kit.errors import NotAllowed, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.core.views.course_view_extras import Batch, CourseView, load_extras
from courseport.row_reads import RowRead, RowVersion, entity_columns
from courseport.schema import (
    Course,
    CourseNickname,
    Enrollment,
    User,
)

WANTS = frozenset({
    "term", "account", "teachers", "total_students", "favorites", "sections", "permissions",
    "storage_quota_used_mb", "observed_users", "concluded", "enrollments", "needs_grading_count", "total_scores",
    "course_progress", "grading_periods", "current_period_scores",
})
# The extras that are stored data alone, nothing worked out against the clock: views asking no
# others may be kept in a read cache (courseport/read_cache.py). Progress, scores and grading
# counts are left out: they follow due and unlock dates.
CLOCK_FREE_WANTS = WANTS - {"course_progress", "total_scores", "needs_grading_count", "grading_periods",
                            "current_period_scores"}
# The course columns course views read (the loaders of load_views, `concluded`): a list asked for some
# `fields` reads these and those, not the ~70 columns of a row. Fetching and converting every column of a
# page of 100 courses cost more than the rest of the list.
VIEW_FIELDS = ("id", "account_id", "root_account_id", "enrollment_term_id", "workflow_state", "end_at",
               "restrict_enrollments_to_course_dates", "is_public", "is_public_to_auth_users", "hide_final_grades",
               "apply_assignment_group_weights", "grading_standard_id")
# A course row's version, which every change of the row changes (row_reads.RowVersion).
ROW_VERSION: Label[Any] = RowVersion("courses").label("row_version")
# Every course response runs them: plain rows (see row_reads). They ask for the user's rows in the
# range of the page's course ids, not in a list of them: one short statement for any page (a list of
# 100 binds cost more to send and plan than the rows), and a user's rows in the range are few.
# Of each enrollment, the columns course responses read: the role, state and section a member has.
# Ordered by course then id (a course's enrollments in the order they were made): the order of the
# (user, course) index, which SQLite then reads without sorting the rows.
MEMBER_FIELDS = ("course_id", "user_id", "course_section_id", "type", "role_id", "workflow_state",
                 "associated_user_id", "limit_privileges_to_course_section")
_MEMBER_ENROLLMENTS = RowRead(select(*(getattr(Enrollment, name).label(name) for name in MEMBER_FIELDS)).where(
    Enrollment.user_id == bindparam("user_id"), Enrollment.course_id.between(bindparam("first"), bindparam("last")),
    Enrollment.workflow_state != "deleted").order_by(Enrollment.course_id, Enrollment.id), "EnrollmentRow", packed=True)
_NICKNAMES = RowRead(select(CourseNickname.course_id, CourseNickname.nickname).where(
    CourseNickname.user_id == bindparam("user_id"),
    CourseNickname.course_id.between(bindparam("first"), bindparam("last"))))
# One course by id with the viewer's nickname for it and the viewer's enrollments in it (a row per
# enrollment, the course's columns repeated; one row with no enrollment): a single-course GET asks one
# statement for all three, where three cost three round trips on PostgreSQL.
_COURSE_AND_NICKNAME = RowRead(select(*entity_columns(Course), select(CourseNickname.nickname).where(
    CourseNickname.course_id == Course.id, CourseNickname.user_id == bindparam("user_id"))
    .scalar_subquery().label("viewer_nickname"),
    *(getattr(Enrollment, name).label("member_" + name) for name in MEMBER_FIELDS))
    .select_from(Course).outerjoin(Enrollment, and_(Enrollment.course_id == Course.id,
                                                    Enrollment.user_id == bindparam("user_id"),
                                                    Enrollment.workflow_state != "deleted"))
    .where(Course.id == bindparam("course_id")).order_by(Enrollment.id), "CourseRow", packed=True)
_CourseRow = namedtuple("CourseRow", [c.name for c in _COURSE_AND_NICKNAME.statement.selected_columns])  # type: ignore[misc]
# The same, with the caller found by token (tokens.VIEWER_COLUMNS first): a single-course GET's one
# statement, where reading the caller first cost one more (on PostgreSQL a round trip and ~80 µs of the
# server's CPU). No row: no user has the token; a row with no course id: no such course.
def _caller_and_course_read(course_columns: list[Any]) -> RowRead:
    return RowRead(select(
        *tokens.VIEWER_COLUMNS, *(column.label("course_" + column.name) for column in course_columns),
        select(CourseNickname.nickname).where(CourseNickname.course_id == Course.id, CourseNickname.user_id == User.id)
        .scalar_subquery().label("viewer_nickname"),
        *(getattr(Enrollment, name).label("member_" + name) for name in MEMBER_FIELDS))
        .select_from(tokens.callers_by_token().outerjoin(Course, Course.id == bindparam("course_id"))
                     .outerjoin(Enrollment, and_(Enrollment.course_id == Course.id, Enrollment.user_id == User.id,
                                                 Enrollment.workflow_state != "deleted")))
        .order_by(Enrollment.id), "CallerCourseRow", packed=True)


_CALLER_AND_COURSE = _caller_and_course_read(entity_columns(Course))
# The course's VIEW_FIELDS and row version only, for a caller that keeps a course's JSON by its version
# (PostgreSQL): ~55 columns less to read and convert (the courses row is the widest the GET reads).
_CALLER_AND_VERSIONED_COURSE = _caller_and_course_read([*(getattr(Course, name).label(name) for name in VIEW_FIELDS),
                                                        ROW_VERSION])
_VIEWER_WIDTH = len(tokens.VIEWER_COLUMNS)
_VersionedCourseRow = namedtuple("CourseRow", [  # type: ignore[misc]
    c.name.removeprefix("course_") for c in _CALLER_AND_VERSIONED_COURSE.statement.selected_columns][_VIEWER_WIDTH:])
MemberRow = namedtuple("EnrollmentRow", MEMBER_FIELDS)  # type: ignore[misc]  # as _MEMBER_ENROLLMENTS reads


def load_views(
    db: Session, viewer: User, courses: list[Course], want: frozenset[str], *,
    enrollments_of: User | None = None, teacher_limit: int | None = None, admin_of: dict[int, bool] | None = None,
    nicknames: dict[int, str | None] | None = None, member_enrollments: dict[int, list] | None = None,
    rights: dict[int, CourseRights] | None = None,
) -> list[CourseView]:
    """`admin_of`: whether the viewer administers an account, where the caller knows already; `nicknames`:
    the viewer's nicknames of the courses (a course missing or None has none), `member_enrollments`
    the member's live enrollments in every course, and `rights` the viewer's rights in a course
    (`course_rights`), where the caller read them already."""
    views = [CourseView(c) for c in courses]
    if not views:
        return views
    batch = Batch(db, viewer, enrollments_of or viewer, views, teacher_limit)
    first, last, by_id = min(batch.ids), max(batch.ids), batch.by_id
    if member_enrollments is None:  # each row straight to its view: a page's loops cost what its read does
        for e in _MEMBER_ENROLLMENTS.all(db, first=first, last=last, user_id=batch.member.id):
            view = by_id.get(e.course_id)
            if view is not None:
                view.enrollments.append(e)
    else:
        for course_id, rows in member_enrollments.items():
            if course_id in by_id:
                by_id[course_id].enrollments.extend(rows)
    if nicknames is None:
        nicknames = {n.course_id: n.nickname for n in _NICKNAMES.all(db, first=first, last=last, user_id=viewer.id)}
    for course_id, nick in nicknames.items():
        if nick is not None and course_id in by_id:  # None is every view's default
            by_id[course_id].nickname = nick
    _load_sis_rights(db, viewer, views, batch.member.id, dict(admin_of or {}), rights or {})
    load_extras(batch, want)
    return views


def _load_sis_rights(db: Session, viewer: User, views: list[CourseView], member_id: int,
                     admin_of: dict[int, bool], known: dict[int, CourseRights]) -> None:
    reading = {course_id for course_id, rights in known.items() if rights.can("read_sis")}
    reading |= _sis_readers(db, viewer, [v for v in views if v.course.id not in known], member_id == viewer.id)
    for v in views:
        course = v.course
        manages = admin_of.get(course.account_id)
        if manages is None:
            manages = admin_of[course.account_id] = is_admin_of(db, viewer.id, course.account_id)
        v.manages_sis = manages
        v.sees_sis = manages or (course.id in reading and course.workflow_state != "deleted")


def _sis_readers(db: Session, viewer: User, views: list[CourseView], loaded: bool) -> set[int]:
    """The courses of `views` where an enrollment of the viewer grants read_sis (`permissions.holds_right`).
    With the viewer's enrollments `loaded` already and all in built-in roles (the usual case), their types
    decide, with no statement; an enrollment in a custom role asks the store, as another member's list does."""
    if not views:
        return set()
    if loaded and all(e.role_id in BUILT_IN_ROLE_IDS for v in views for e in v.enrollments):
        types = enrollment_types_with("read_sis")
        return {e.course_id for v in views for e in v.enrollments if e.type in types and e.workflow_state == "active"}
    return set(db.scalars(select(Enrollment.course_id).join(Course, Course.id == Enrollment.course_id).where(
        Enrollment.user_id == viewer.id, Enrollment.course_id.in_([v.course.id for v in views]),
        holds_right("read_sis", Course.workflow_state))))


def caller_and_course(db: Session, token: str | None, course_id: int | None, *,
                      versioned: bool = False) -> tuple[Any, list]:
    """The caller (tokens.checked_viewer) and the course's rows as show_course takes them, in one statement.
    `versioned`: the course's VIEW_FIELDS and its row's version (`row_version`: row_reads.RowVersion)
    only, for a caller that keeps its JSON by version (course_lists.course_rows reads the rest)."""
    read, row_type = (_CALLER_AND_VERSIONED_COURSE, _VersionedCourseRow) if versioned else (_CALLER_AND_COURSE,
                                                                                             _CourseRow)
    rows = read.all(db, token_hash=tokens.presented_hash(token), course_id=course_id)
    viewer = tokens.checked_viewer(db, tokens.ViewerRow._make(rows[0][:_VIEWER_WIDTH]) if rows else None)
    return viewer, [row_type._make(r[_VIEWER_WIDTH:]) for r in rows if r[_VIEWER_WIDTH] is not None]


def show_course(
    db: Session, viewer: User, ref: str | int, want: frozenset[str], *, teacher_limit: int | None = None,
    account_id: int | None = None, include_deleted: bool = False, rows: list | None = None,
) -> CourseView:
    """One course as `viewer` may see it, with the extras in `want`. `rows`: what caller_and_course read
    of the course `ref` (an id), where the caller was read with it."""
    by_id = store_id(str(ref)) if is_id(str(ref)) else None  # the usual reference: read with the nickname
    if rows is None and by_id is not None:
        rows = _COURSE_AND_NICKNAME.all(db, course_id=by_id, user_id=viewer.id)
    course = (rows[0] if rows else None) if rows is not None else course_row(db, ref, include_deleted=include_deleted)
    if course is None or (course.workflow_state == "deleted" and not include_deleted):
        raise NotFound("course")
    if account_id is not None and account_id not in accounts.ancestor_ids(db, course.account_id):
        raise NotFound("course")
    rights = course_rights(db, viewer, course)
    is_admin = rights.is_admin
    if course.workflow_state == "deleted":
        is_admin = accounts.is_admin_of(db, viewer.id, course.account_id)
        if not is_admin:
            raise NotFound("course")
    elif not rights.can("read"):
        raise NotAllowed()
    nicknames = {course.id: course.viewer_nickname} if rows is not None else None
    members = {course.id: _members(rows)} if rows is not None else None
    [view] = load_views(db, viewer, [course], want, teacher_limit=teacher_limit,
                        admin_of={course.account_id: is_admin}, nicknames=nicknames, member_enrollments=members,
                        rights={course.id: rights})
    view.rights = view.rights or rights
    return view


def _members(rows: list) -> list:
    """The viewer's enrollments a `_COURSE_AND_NICKNAME` read brought (its last columns: MEMBER_FIELDS), as
    `_MEMBER_ENROLLMENTS` rows."""
    width = len(MEMBER_FIELDS)
    return [MemberRow._make(r[-width:]) for r in rows if r.member_course_id is not None]
