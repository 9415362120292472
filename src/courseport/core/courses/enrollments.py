"""Enrollments written through the course APIs: enroll a user in a course or section (observers with the
student they observe), conclude, delete or deactivate an enrollment, reactivate it, and the invitee's
accept or reject.

Who may add whom follows Canvas's defaults: adding students and observers needs the course's
`manage_students` right (teachers, TAs, admins); adding teachers, TAs and designers needs
`manage_admin_users` (teachers and admins). Removing an enrollment needs the right that would add it.
A user whose enrollments are all limited to their sections enrolls only into those sections.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses import group_memberships, observer_links
from courseport.core.courses.courses import default_section, resolve_course
from courseport.core.courses.sections import resolve_section
from courseport.core.identity import accounts, roles, users
from courseport.core.identity.permissions import PERMISSION_ALIASES, STAFF_TYPES, CourseRights, course_rights
from courseport.core.kit.errors import DomainError, FieldText, InvalidInput, NotAllowed, NotFound
from courseport.core.kit.ids import store_id
from courseport.schema import Course, Enrollment, Section, User
from courseport.schema.base import utcnow

COURSE_TYPES = ("StudentEnrollment", "TeacherEnrollment", "TaEnrollment", "DesignerEnrollment", "ObserverEnrollment")
CREATE_STATES = ("active", "invited", "inactive")
TASKS = {"conclude": "completed", "delete": "deleted", "inactivate": "inactive", "deactivate": "inactive"}
_ADMIN_USERS_RIGHT = PERMISSION_ALIASES["manage_admin_users"]
_STUDENTS_RIGHT = "manage_students"
HELD_STATE = "creation_pending"
_LIVE_STATES = ("active", "invited", "creation_pending", "completed", "inactive")


@dataclass
class EnrollmentRequest:
    """Every `enrollment[...]` field of a create, in core words; None means not given."""

    user_ref: str | None = None
    type: str | None = None
    role_id: int | None = None
    state: str | None = None  # active, invited (the default) or inactive
    section_ref: str | None = None
    limit_privileges_to_course_section: bool = False
    notify: bool = False  # no mail is sent from here: accepted, nothing to do
    self_enrolled: bool = False
    associated_user_ref: str | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None


def add_right(etype: str) -> str:
    """The course right needed to add (or remove) an enrollment of this type."""
    return _ADMIN_USERS_RIGHT if etype in STAFF_TYPES else _STUDENTS_RIGHT


def course_role(db: Session, course: Course, role_id: int | None, etype: str | None) -> tuple[str, int]:
    """(type, role id) for a create: a role given wins and fixes the type; else the type's built-in role.
    The role is looked up as every enrollment and membership looks it up (`roles.role_for`)."""
    if role_id is not None:
        try:
            role = roles.role_for(db, course.account_id, role_id)
        except NotFound:
            raise InvalidInput("role_id", "Invalid role") from None
        if role.base_role_type not in COURSE_TYPES:
            raise InvalidInput("role_id", "Invalid role")
        if role.workflow_state != "active":
            raise InvalidInput("role_id", "Cannot create an enrollment with this role because it is inactive.")
        if etype and etype != role.base_role_type:
            raise InvalidInput("type", "The specified type must match the base type for the role")
        return role.base_role_type, role.id
    etype = etype or "StudentEnrollment"
    if etype not in COURSE_TYPES:
        raise InvalidInput("type", "Invalid type")
    return etype, accounts.BUILT_IN_ROLES[etype]


def enroll(db: Session, actor: User, course_ref: str | None, section_ref: str | None,
           req: EnrollmentRequest) -> Enrollment:
    """Enroll `req.user_ref` in the course (its default section unless one is named) or in the section."""
    section = resolve_section(db, section_ref) if section_ref is not None else None
    course = resolve_course(db, section.course_id if section else str(course_ref))
    rights = course_rights(db, actor, course)
    if not (rights.can(_STUDENTS_RIGHT) or rights.can(_ADMIN_USERS_RIGHT)):
        raise NotAllowed()
    if not req.user_ref:
        raise InvalidInput("user_id", "Can't create an enrollment without a user. "
                                      "Include enrollment[user_id] to create an enrollment")
    etype, role_id = course_role(db, course, req.role_id, req.type)
    if course.workflow_state == "completed":
        raise DomainError("Can't add an enrollment to a concluded course.")
    if not rights.can(add_right(etype)):
        raise NotAllowed()
    state = req.state or "invited"
    if state not in CREATE_STATES:
        raise InvalidInput("enrollment_state", f"enrollment_state must be one of {', '.join(CREATE_STATES)}")
    if section is None and req.section_ref:
        section = resolve_section(db, req.section_ref)
        if section.course_id != course.id:
            raise NotFound("section")
    section = section or default_section(db, course)
    _require_section_reach(db, actor, rights, section)
    user = users.resolve_user(db, req.user_ref, actor)
    observed = _observed_student(db, course, actor, etype, req.associated_user_ref)
    return _write(db, course, section, user, etype, role_id, held_until_published(course, etype, state), observed, req)


def held_until_published(course: Course, etype: str, state: str) -> str:
    """Canvas holds a student's or observer's invitation to an unpublished course as `creation_pending`
    (not sent, not answerable) until the course is published (`courses.apply_event` sends them); staff
    are invited at once, and a state given as active or inactive is kept."""
    if state == "invited" and etype not in STAFF_TYPES and course.workflow_state != "available":
        return HELD_STATE
    return state


def _observed_student(db: Session, course: Course, actor: User, etype: str, ref: str | None) -> int | None:
    """The observed user's id: only observers name one, and it must be a student of the course."""
    if ref is None:
        return None
    if etype != "ObserverEnrollment":
        raise InvalidInput("associated_user_id", "associated_user_id is only for observer enrollments")
    student = users.resolve_user(db, ref, actor)
    enrolled = db.scalar(select(Enrollment.id).where(
        Enrollment.user_id == student.id, Enrollment.course_id == course.id, Enrollment.type == "StudentEnrollment",
        Enrollment.workflow_state.in_(_LIVE_STATES)).limit(1))
    if enrolled is None:
        raise InvalidInput("associated_user_id", "associated user must be a student of the course")
    return student.id


def _require_section_reach(db: Session, actor: User, rights: CourseRights, section: Section) -> None:
    """Users whose every enrollment is limited to its section enroll only into those sections."""
    if rights.is_admin:
        return
    rows = db.execute(select(Enrollment.course_section_id, Enrollment.limit_privileges_to_course_section).where(
        Enrollment.user_id == actor.id, Enrollment.course_id == section.course_id,
        Enrollment.workflow_state == "active")).all()
    if rows and all(limited for _, limited in rows) and section.id not in {s for s, _ in rows}:
        raise NotAllowed()


def _write(db: Session, course: Course, section: Section, user: User, etype: str, role_id: int, state: str,
           observed: int | None, req: EnrollmentRequest) -> Enrollment:
    """The same user, section, role and observee again updates that enrollment (Canvas's rule)."""
    enrollment = db.scalar(select(Enrollment).where(
        Enrollment.user_id == user.id, Enrollment.course_section_id == section.id, Enrollment.role_id == role_id,
        Enrollment.type == etype, Enrollment.associated_user_id.is_not_distinct_from(observed)
    ).order_by(Enrollment.id).limit(1))
    if enrollment is None:
        enrollment = Enrollment(user_id=user.id, course_id=course.id, course_section_id=section.id,
                                root_account_id=course.root_account_id, type=etype, role_id=role_id,
                                associated_user_id=observed)
        db.add(enrollment)
    if enrollment.workflow_state != "active" or state not in ("invited", HELD_STATE):
        enrollment.workflow_state = state  # an accepted enrollment is not invited again
    enrollment.limit_privileges_to_course_section = req.limit_privileges_to_course_section
    enrollment.start_at, enrollment.end_at = req.start_at, req.end_at
    enrollment.updated_at = utcnow()
    db.flush()
    observer_links.mirror(db, enrollment)
    return enrollment


def course_enrollment(db: Session, course_ref: str, enrollment_ref: str) -> tuple[Course, Enrollment]:
    """An enrollment of a live course by id (deleted ones too: a delete answers the deleted row)."""
    course = resolve_course(db, course_ref)
    enrollment_id = store_id(enrollment_ref)
    enrollment = None if enrollment_id is None else db.scalar(select(Enrollment).where(
        Enrollment.id == enrollment_id, Enrollment.course_id == course.id))
    if enrollment is None:
        raise NotFound("enrollment")
    return course, enrollment


def end_enrollment(db: Session, actor: User, course_ref: str, enrollment_ref: str, task: str | None) -> Enrollment:
    """Conclude (the default), delete, or deactivate an enrollment."""
    task = task or "conclude"
    if task not in TASKS:
        raise InvalidInput("task", f"task must be one of {', '.join(TASKS)}")
    course, enrollment = _changeable(db, actor, course_ref, enrollment_ref)
    if enrollment.workflow_state == "deleted":
        raise NotFound("enrollment")
    enrollment.workflow_state = TASKS[task]
    enrollment.updated_at = utcnow()
    if task == "conclude":
        enrollment.end_at = enrollment.end_at or utcnow()
    db.flush()
    observer_links.mirror(db, enrollment)
    if task == "delete":
        group_memberships.leave_course_groups(db, course.id, enrollment.user_id)
    return enrollment


def reactivate(db: Session, actor: User, course_ref: str, enrollment_ref: str) -> Enrollment:
    """An inactive enrollment made active again; any other state is refused."""
    _, enrollment = _changeable(db, actor, course_ref, enrollment_ref)
    if enrollment.workflow_state != "inactive":
        raise DomainError("enrollment not inactive")
    enrollment.workflow_state, enrollment.updated_at = "active", utcnow()
    db.flush()
    observer_links.mirror(db, enrollment)
    return enrollment


def _changeable(db: Session, actor: User, course_ref: str, enrollment_ref: str) -> tuple[Course, Enrollment]:
    course, enrollment = course_enrollment(db, course_ref, enrollment_ref)
    rights = course_rights(db, actor, course)
    if not rights.can(add_right(enrollment.type)):
        raise NotAllowed()
    section = db.get(Section, enrollment.course_section_id)
    if section is not None:
        _require_section_reach(db, actor, rights, section)
    return course, enrollment


def answer_invitation(db: Session, actor: User, course_ref: str, enrollment_ref: str, *, accept: bool) -> None:
    """The invitee accepts (invited -> active) or rejects (invited -> rejected) their invitation; one held
    back by an unpublished course (creation_pending) was not sent yet, so it cannot be answered."""
    _, enrollment = course_enrollment(db, course_ref, enrollment_ref)
    if enrollment.user_id != actor.id:
        raise NotAllowed()
    if accept and enrollment.workflow_state == "active":
        return
    if enrollment.workflow_state != "invited":
        raise DomainError(f"failed to {'accept' if accept else 'reject'} enrollment")
    enrollment.workflow_state = "active" if accept else "rejected"
    enrollment.updated_at = utcnow()
    db.flush()
    observer_links.mirror(db, enrollment)


def removable(rights: CourseRights, enrollment: Enrollment) -> bool:
    """Whether the viewer may conclude or delete this enrollment (Canvas's `can_be_removed`)."""
    return rights.is_admin or (rights.can(add_right(enrollment.type)) and enrollment.user_id != rights.user_id)


def change_type(db: Session, actor: User, course_ref: str, enrollment_ref: str, etype: str) -> Enrollment:
    """An enrollment given another built-in base type (faces whose memberships carry one role, such as
    Learn's, change it in place); the actor needs the right that adds the old type and the new one."""
    if etype not in COURSE_TYPES:
        raise InvalidInput("type", "Invalid type")
    course, enrollment = _changeable(db, actor, course_ref, enrollment_ref)
    if not course_rights(db, actor, course).can(add_right(etype)):
        raise NotAllowed()
    enrollment.type, enrollment.role_id = etype, accounts.BUILT_IN_ROLES[etype]
    enrollment.updated_at = utcnow()
    db.flush()
    return enrollment


def enroll_in_one_role(db: Session, actor: User, course_ref: str, req: EnrollmentRequest, *,
                       admins_only: bool = False) -> Enrollment:
    """Enroll keeping one role per user and course (faces whose enrollments are one role in an org unit,
    such as Valence's): the user's other live enrollments in that section are deleted, and those in the
    sections they joined take the new role. `admins_only` lets only the course's root account admins do
    it (Valence's rule for users without the admin role)."""
    if admins_only:
        _require_root_admin(db, actor, course_ref)
    made = enroll(db, actor, course_ref, None, req)
    for other in _live_enrollments(db, made.course_id, made.user_id):
        if other.id == made.id:
            continue
        if other.course_section_id != made.course_section_id:  # a section they joined: kept, in the new role
            other.type, other.role_id, other.updated_at = made.type, made.role_id, utcnow()
        else:
            end_enrollment(db, actor, str(made.course_id), str(other.id), "delete")
    db.flush()
    return made


def add_to_section(db: Session, actor: User, section_ref: str, user_ref: str, *, admins_only: bool = False
                   ) -> Enrollment:
    """Enroll a user of the section's course in the section too, in the role they hold in the course (faces
    whose sections are memberships within a course, such as Valence's); again, the same enrollment."""
    section = resolve_section(db, section_ref)
    if admins_only:
        _require_root_admin(db, actor, str(section.course_id))
    user = users.resolve_user(db, user_ref, actor)
    held = _live_enrollments(db, section.course_id, user.id)
    if not held:
        raise InvalidInput("user_id", FieldText("{user_id} must name a user enrolled in the course before a "
                                                "section of it"))
    req = EnrollmentRequest(user_ref=str(user.id), role_id=held[0].role_id, state="active")
    return enroll(db, actor, None, str(section.id), req)


def unenroll(db: Session, actor: User, course_ref: str, user_ref: str, *, admins_only: bool = False) -> Enrollment:
    """Delete every live enrollment of the user in the course; the first of them (by id) is answered."""
    if admins_only:
        _require_root_admin(db, actor, course_ref)
    course = resolve_course(db, course_ref)
    user = users.resolve_user(db, user_ref, actor)
    found = _live_enrollments(db, course.id, user.id)
    if not found:
        raise NotFound("enrollment")
    for enrollment in found:
        end_enrollment(db, actor, str(course.id), str(enrollment.id), "delete")
    return found[0]


def _live_enrollments(db: Session, course_id: int, user_id: int) -> list[Enrollment]:
    return list(db.scalars(select(Enrollment).where(
        Enrollment.course_id == course_id, Enrollment.user_id == user_id,
        Enrollment.workflow_state.in_(_LIVE_STATES)).order_by(Enrollment.id)))


def _require_root_admin(db: Session, actor: User, course_ref: str) -> None:
    course = resolve_course(db, course_ref)
    if not accounts.is_admin_of(db, actor.id, course.root_account_id):
        raise NotAllowed()
