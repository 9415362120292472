"""Sections as course APIs show them: SIS fields for those who read SIS data, and the extras asked
for (students with their section enrollment, student counts, the caller's calendar right)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courseport.core.courses import sections
from courseport.core.coursework.grades import course_scores
from courseport.core.identity.permissions import CourseRights, course_rights
from courseport.core.kit.paging import Slice, Window
from courseport.core.views.rosters import EnrollmentView, FieldAccess, RosterEntry, RosterPage
from courseport.schema import Account, Course, Enrollment, Role, Section, User

# What a section response may carry besides the row: dialects translate their include[] into these.
WANTS = frozenset({"students", "enrollments", "total_students", "permissions"})
_COUNTED_STATES = ("active", "invited", "creation_pending")


@dataclass
class SectionView:
    section: Section
    course: Course  # the course the section sits in now
    sees_sis: bool = False
    manages_sis: bool = False
    students: RosterPage | None = None  # None: not asked for; an empty page renders as null
    total_students: int | None = None
    manages_calendar: bool | None = None


@dataclass
class SectionPage:
    views: list[SectionView]
    slice: Slice[Section] = field(default_factory=lambda: Slice([], False))


def list_section_views(db: Session, viewer: User, course_ref: str, search_term: str | None, window: Window,
                       want: frozenset[str]) -> SectionPage:
    course, rights, page = sections.list_sections(db, viewer, course_ref, search_term, window)
    return SectionPage(load_views(db, course, rights, page.items, want), page)


def show_section_view(db: Session, viewer: User, ref: str, course_ref: str | None, want: frozenset[str]
                      ) -> SectionView:
    section, course, rights = sections.readable_section(db, viewer, ref, course_ref)
    return load_views(db, course, rights, [section], want)[0]


def written_view(db: Session, viewer: User, section: Section) -> SectionView:
    """A section the viewer has just written (so held the right to), deleted ones too, without extras."""
    course = cast(Course, db.get(Course, section.course_id))  # non-null foreign key
    return load_views(db, course, course_rights(db, viewer, course), [section], frozenset())[0]


def load_views(db: Session, course: Course, rights: CourseRights, rows: list[Section], want: frozenset[str]
               ) -> list[SectionView]:
    """Students and counts are for those who may see the roster or grades (Canvas drops the extras else)."""
    if not any(rights.can(r) for r in sections.READ_RIGHTS):
        want = frozenset()
    views = [SectionView(s, course, rights.can("read_sis"), rights.can("manage_sis")) for s in rows]
    ids = [s.id for s in rows]
    if "total_students" in want and ids:
        counts = dict(db.execute(select(Enrollment.course_section_id, func.count(func.distinct(Enrollment.user_id)))
                                 .join(User, User.id == Enrollment.user_id)
                                 .where(Enrollment.course_section_id.in_(ids), Enrollment.type == "StudentEnrollment",
                                        Enrollment.workflow_state.in_(_COUNTED_STATES),
                                        User.is_test_student.is_(False))
                                 .group_by(Enrollment.course_section_id)).tuples().all())
        for v in views:
            v.total_students = counts.get(v.section.id, 0)
    if "permissions" in want:
        for v in views:
            v.manages_calendar = rights.can("manage_calendar")
    if "students" in want:
        _load_students(db, course, rights, views, with_enrollments="enrollments" in want)
    return views


def _load_students(db: Session, course: Course, rights: CourseRights, views: list[SectionView], *,
                   with_enrollments: bool) -> None:
    """Each section's student enrollments (not deleted), in enrollment order, one entry per enrollment."""
    rows = db.execute(select(Enrollment, User, Role.name).join(User, User.id == Enrollment.user_id)
                      .join(Role, Role.id == Enrollment.role_id)
                      .where(Enrollment.course_section_id.in_([v.section.id for v in views]),
                             Enrollment.type == "StudentEnrollment", Enrollment.workflow_state != "deleted")
                      .order_by(Enrollment.id)).tuples().all()
    scores = course_scores(db, [(course, sorted({u.id for _, u, _ in rows}))]) if with_enrollments else {}
    account = cast(Account, db.get(Account, course.account_id))  # non-null foreign key
    access = FieldAccess.of(rights, course)
    by_section = {v.section.id: v for v in views}
    entries: dict[int, list[RosterEntry]] = {v.section.id: [] for v in views}
    for enrollment, user, role_name in rows:
        view = by_section[enrollment.course_section_id]
        listed = None
        if with_enrollments:
            listed = [EnrollmentView(enrollment, role_name, view.section, scores.get((course.id, user.id)))]
        confirmed = enrollment.workflow_state not in ("invited", "creation_pending", "rejected")
        entries[enrollment.course_section_id].append(RosterEntry(user, confirmed, listed))
    for v in views:
        found = entries[v.section.id]
        v.students = RosterPage(course, account, access, Window(0, len(found) or 1), Slice(found, False))
