"""Who may do what in a course: rights from account adminship and the user's enrollments.

Right names follow the vocabulary course APIs share (read, read_roster, manage_content, ...);
a dialect only asks for them by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.accounts import is_admin_of
from courseport.core.errors import NotAllowed
from courseport.schema import Course, Enrollment, User

_READER = {"read", "read_forum", "read_announcements", "read_syllabus", "read_roster"}
_STAFF = _READER | {
    "manage_content",
    "manage_files",
    "manage_calendar",
    "manage_assignments",
    "create_discussion_topic",
    "create_announcement",
    "moderate_forum",
    "post_to_forum",
    "use_student_view",
    "read_as_admin",
    "send_messages",
}
_GRADER = {"manage_grades", "view_all_grades", "read_reports", "manage_students", "view_user_logins"}
ROLE_RIGHTS: dict[str, frozenset[str]] = {
    "TeacherEnrollment": frozenset(
        _STAFF | _GRADER | {"update_course", "change_course_state", "delete_course", "reset_content"}
    ),
    "TaEnrollment": frozenset(_STAFF | _GRADER),
    "DesignerEnrollment": frozenset(_STAFF),
    "StudentEnrollment": frozenset(_READER | {"post_to_forum", "participate_as_student", "send_messages"}),
    "StudentViewEnrollment": frozenset(_READER | {"post_to_forum", "participate_as_student"}),
    "ObserverEnrollment": frozenset(_READER - {"read_roster"}),
}
ADMIN_ONLY = frozenset(
    {"manage_storage_quotas", "manage_sis", "read_sis", "undelete_course", "create_courses", "manage_account"}
)
ALL_RIGHTS: frozenset[str] = frozenset().union(*ROLE_RIGHTS.values()) | ADMIN_ONLY
STAFF_TYPES = frozenset({"TeacherEnrollment", "TaEnrollment", "DesignerEnrollment"})
# Enrollment states that confer rights; "invited" and "completed" confer reading only.
_ACTIVE_STATES = frozenset({"active"})
_READ_ONLY_STATES = frozenset({"invited", "completed"})


@dataclass(frozen=True)
class CourseRights:
    user_id: int
    course_id: int
    is_admin: bool
    enrollment_types: frozenset[str] = frozenset()
    rights: frozenset[str] = field(default_factory=frozenset)

    def can(self, right: str) -> bool:
        return right in self.rights

    @property
    def is_staff(self) -> bool:
        return self.is_admin or bool(self.enrollment_types & STAFF_TYPES)


def course_rights(db: Session, user: User, course: Course) -> CourseRights:
    if course.workflow_state == "deleted":
        return CourseRights(user.id, course.id, False)
    if is_admin_of(db, user.id, course.account_id):
        return CourseRights(user.id, course.id, True, frozenset(), ALL_RIGHTS)
    rows = db.execute(
        select(Enrollment.type, Enrollment.workflow_state).where(
            Enrollment.user_id == user.id,
            Enrollment.course_id == course.id,
            Enrollment.workflow_state.in_(_ACTIVE_STATES | _READ_ONLY_STATES),
        )
    ).all()
    types = frozenset(t for t, _ in rows)
    rights: set[str] = set()
    for etype, state in rows:
        granted = ROLE_RIGHTS.get(etype, frozenset())
        if etype not in STAFF_TYPES and course.workflow_state not in ("available", "completed"):
            continue  # students and observers see published courses only
        rights |= granted if state in _ACTIVE_STATES else granted & _READER
    if course.workflow_state == "available" and (course.is_public or course.is_public_to_auth_users):
        rights |= {"read", "read_syllabus"}
    return CourseRights(user.id, course.id, False, types, frozenset(rights))


def require(rights: CourseRights, right: str) -> None:
    if not rights.can(right):
        raise NotAllowed()


def require_any(rights: CourseRights, *names: str) -> None:
    if not any(rights.can(n) for n in names):
        raise NotAllowed()
