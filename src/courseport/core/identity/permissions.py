"""Who may do what in a course: rights from account adminship and the user's enrollments.

Right names follow the vocabulary course APIs share (read, read_roster, manage_content, ...);
a dialect only asks for them by name.

An enrollment's rights are its role's (`role_rights`): the base type's (`ROLE_RIGHTS`), changed by the
permissions a custom role sets explicitly (`role_overrides`, written by `role_writes`). Only an
enrollment in a custom role costs a read of its overrides; the built-in roles' rights are fixed here.
Checks over many courses ask `holds_right`, the same decision as one SQL condition on Enrollment.
An inactive custom role keeps granting its rights to the enrollments it has, as Canvas documents;
account admins hold every right whatever their account role sets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from courseport.core.identity.accounts import ACCOUNT_ADMIN_ROLE_ID, BUILT_IN_ROLES, is_admin_of
from courseport.core.identity.tenancy import tenant_of
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.row_reads import RowRead
from courseport.schema import AccountUser, Course, Enrollment, RoleOverride, User

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
    "read_sis",
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
    {"manage_storage_quotas", "manage_sis", "undelete_course", "create_courses", "manage_account"}
)
ALL_RIGHTS: frozenset[str] = frozenset().union(*ROLE_RIGHTS.values()) | ADMIN_ONLY
COURSE_RIGHTS = ALL_RIGHTS - ADMIN_ONLY
BUILT_IN_ROLE_IDS = frozenset({ACCOUNT_ADMIN_ROLE_ID, *BUILT_IN_ROLES.values()})
STAFF_TYPES = frozenset({"TeacherEnrollment", "TaEnrollment", "DesignerEnrollment"})
# Enrollment states that confer rights; "invited" and "completed" confer reading only.
_ACTIVE_STATES = frozenset({"active"})
_READ_ONLY_STATES = frozenset({"invited", "completed"})
# Course states in which students' and observers' enrollments confer rights (staff's confer them in any).
_OPEN_TO_ALL = ("available", "completed")
_RIGHTFUL_ENROLLMENTS = RowRead(select(Enrollment.type, Enrollment.workflow_state, Enrollment.role_id).where(
    Enrollment.user_id == bindparam("user_id"), Enrollment.course_id == bindparam("course_id"),
    Enrollment.workflow_state.in_(sorted(_ACTIVE_STATES | _READ_ONLY_STATES))))


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


def enrollment_types_with(right: str) -> frozenset[str]:
    """The enrollment types whose built-in roles grant `right`; a bulk check over many courses asks
    `holds_right`, which adds what custom roles' overrides change."""
    return frozenset(etype for etype, rights in ROLE_RIGHTS.items() if right in rights)


def course_rights(db: Session, user: User, course: Course) -> CourseRights:
    """The user's rights in the course; a course of another tenant is not found (tenancy.py)."""
    if course.root_account_id != tenant_of(db, user.id):
        raise NotFound("course")
    if course.workflow_state == "deleted":
        return CourseRights(user.id, course.id, False)
    if is_admin_of(db, user.id, course.account_id):
        return CourseRights(user.id, course.id, True, frozenset(), ALL_RIGHTS)
    rows = _RIGHTFUL_ENROLLMENTS.all(db, user_id=user.id, course_id=course.id)
    types = frozenset(t for t, _, _ in rows)
    custom = _custom_role_overrides(db, {role_id for _, _, role_id in rows if role_id not in BUILT_IN_ROLE_IDS})
    rights: set[str] = set()
    for etype, state, role_id in rows:
        granted = role_rights(etype, custom[role_id]) if role_id in custom else ROLE_RIGHTS.get(etype, frozenset())
        if etype not in STAFF_TYPES and course.workflow_state not in _OPEN_TO_ALL:
            continue  # students and observers see published courses only
        rights |= granted if state in _ACTIVE_STATES else granted & _READER
    if course.workflow_state == "available" and (course.is_public or course.is_public_to_auth_users):
        rights |= {"read", "read_syllabus"}
    return CourseRights(user.id, course.id, False, types, frozenset(rights))


def holds_right(right: str, course_state: SQLColumnExpression[str]) -> ColumnElement[bool]:
    """SQL condition on Enrollment, with `course_state` its course's workflow state: the enrollment grants
    `right` in its course, as `course_rights` decides for one course (bulk checks over many courses use it,
    never the enrollment type alone). Its role grants the right (`role_rights`): a base type that grants it,
    unless the role's overrides disable it, or a custom role whose overrides enable it; an active enrollment
    confers it, an invited or completed one only a reading right; a staff enrollment in a course not deleted,
    a student's or observer's in a published or completed one only. Admins are the caller's to add. The two
    subqueries on role_overrides run once per statement, through its (permission, enabled, role_id) index."""
    names = sorted(n for n in {right, *PERMISSION_ALIASES} if PERMISSION_ALIASES.get(n, n) == right)

    def overridden(enabled: bool) -> ColumnElement[bool]:
        return Enrollment.role_id.in_(select(RoleOverride.role_id).where(
            RoleOverride.permission.in_(names), RoleOverride.enabled.is_(enabled)))

    granted: ColumnElement[bool] = Enrollment.type.in_(sorted(enrollment_types_with(right)))
    if right in COURSE_RIGHTS:
        granted = or_(granted, overridden(True))
    states = _ACTIVE_STATES | (_READ_ONLY_STATES if right in _READER else frozenset())
    staff_course = and_(Enrollment.type.in_(sorted(STAFF_TYPES)), course_state != "deleted")
    return and_(granted, ~overridden(False), Enrollment.workflow_state.in_(sorted(states)),
                or_(course_state.in_(_OPEN_TO_ALL), staff_course))


def role_rights(base_role_type: str, overrides: Iterable[tuple[str, bool]]) -> frozenset[str]:
    """The rights of a role of this base type whose explicit permissions are `overrides` (name, enabled):
    the base type's rights, plus each right a permission enables, less each one a permission disables (a
    right two permissions name, one enabling and one disabling it, is disabled). A course role gains no
    account right (`ADMIN_ONLY`); an account role's base is every right. Unknown names change nothing."""
    account_role = base_role_type == "AccountMembership"
    base = ALL_RIGHTS if account_role else ROLE_RIGHTS.get(base_role_type, frozenset())
    grantable = ALL_RIGHTS if account_role else COURSE_RIGHTS
    enabled: set[str] = set()
    disabled: set[str] = set()
    for name, on in overrides:
        (enabled if on else disabled).add(PERMISSION_ALIASES.get(name, name))
    return frozenset((base | (enabled & grantable)) - disabled)


def _custom_role_overrides(db: Session, role_ids: set[int]) -> dict[int, list[tuple[str, bool]]]:
    """Each custom role's explicit permissions (name, enabled), in one read; none when no role is custom."""
    if not role_ids:
        return {}
    found: dict[int, list[tuple[str, bool]]] = {role_id: [] for role_id in role_ids}
    stmt = select(RoleOverride.role_id, RoleOverride.permission, RoleOverride.enabled).where(
        RoleOverride.role_id.in_(sorted(role_ids)), RoleOverride.enabled.is_not(None))
    for role_id, name, enabled in db.execute(stmt):
        found[role_id].append((name, bool(enabled)))
    return found


def require(rights: CourseRights, right: str) -> None:
    if not rights.can(right):
        raise NotAllowed()


def require_any(rights: CourseRights, *names: str) -> None:
    if not any(rights.can(n) for n in names):
        raise NotAllowed()


# Role-permission names other course APIs ask about (Canvas's "Create a role" list and its course
# policy rights) that differ from ours, mapped onto the right that decides them.
PERMISSION_ALIASES: dict[str, str] = {
    "read_course_content": "read", "read_course_list": "read", "read_grades": "read",
    "update": "update_course", "manage": "update_course", "manage_course_visibility": "update_course",
    "delete": "delete_course", "manage_courses": "manage_account", "manage_account_settings": "manage_account",
    "import_sis": "manage_sis", "manage_sections_add": "manage_students", "manage_sections_edit": "manage_students",
    "manage_sections_delete": "manage_students", "manage_groups": "manage_students",
    "manage_admin_users": "update_course",
    "read_email_addresses": "manage_students", "send_messages_all": "manage_students",
    "view_group_pages": "manage_students", "manage_interaction_alerts": "manage_students",
    "manage_user_notes": "manage_grades", "select_final_grade": "manage_grades",
    "view_analytics": "view_all_grades", "manage_files_add": "manage_files", "manage_files_edit": "manage_files",
    "manage_files_delete": "manage_files", "manage_assignments_add": "manage_assignments",
    "manage_assignments_edit": "manage_assignments", "manage_assignments_delete": "manage_assignments",
    "manage_course_content_add": "manage_content", "manage_course_content_edit": "manage_content",
    "manage_course_content_delete": "manage_content", "manage_wiki_create": "manage_content",
    "manage_wiki_update": "manage_content", "manage_wiki_delete": "manage_content",
    "manage_outcomes": "manage_content", "manage_rubrics": "manage_content", "read_question_banks": "manage_content",
    "create_conferences": "manage_content", "create_collaborations": "post_to_forum",
}


def rights_status(rights: CourseRights, names: list[str]) -> dict[str, bool]:
    """Each asked-for right (ours or an alias) -> held or not; every right when none is named."""
    if not names:
        return {name: rights.can(name) for name in sorted(ALL_RIGHTS)}
    unknown = [n for n in names if n not in ALL_RIGHTS and n not in PERMISSION_ALIASES]
    if unknown:
        raise InvalidInput("permissions", f"unknown permissions: {', '.join(unknown)}")
    return {n: rights.can(PERMISSION_ALIASES.get(n, n)) for n in names}


def is_course_team(db: Session, user: User) -> bool:
    """Whether the user administers an account or holds an active staff enrollment (teacher, TA,
    designer) in a live course: who may use a course team's tools; students and observers may not."""
    if db.scalar(select(AccountUser.id).where(AccountUser.user_id == user.id).limit(1)) is not None:
        return True
    staff = select(Enrollment.id).join(Course, Course.id == Enrollment.course_id).where(
        Enrollment.user_id == user.id, Enrollment.type.in_(sorted(STAFF_TYPES)),
        Enrollment.workflow_state == "active", Course.workflow_state != "deleted")
    return db.scalar(staff.limit(1)) is not None
