"""SIS rows of courses, sections and enrollments, each applied through the core function the Canvas face's
own endpoint uses (courses.create_course/update_course, sections, enrollments.enroll/end_enrollment): an
SIS id not seen before creates, a known one updates, and enrolling the same user, section and role again
updates that one enrollment, so applying the same row again leaves the same state. Courses and
enrollments carry the import's id (`sis_import_id`), as Canvas shows it.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from courseport.core.courses import courses, enrollments, sections
from courseport.core.courses.course_changes import CourseChanges
from courseport.core.courses.enrollments import EnrollmentRequest
from courseport.core.courses.sections import SectionChanges
from courseport.core.courses.sis_apply_identity import Target, sis_account, sis_term, sis_user
from courseport.core.courses.sis_rows import RowProblem, date, required, status
from courseport.core.identity import roles, sis_stickiness
from courseport.core.kit.changes import UNSET
from courseport.core.kit.errors import NotFound
from courseport.schema import Course, Enrollment, Section

ROLE_TYPES = {"student": "StudentEnrollment", "teacher": "TeacherEnrollment", "ta": "TaEnrollment",
              "observer": "ObserverEnrollment", "designer": "DesignerEnrollment"}
_ENDED = {"conclude": "completed", "delete": "deleted", "inactivate": "inactive"}
_OUTCOME = {"conclude": "concluded", "delete": "deleted", "inactivate": "deactivated"}
_COURSE_EVENTS = {"published": "offer", "completed": "conclude", "deleted": "delete"}
_COURSE_CHANGE = {"enrollment_term_id": "term_id"}  # a sticky course field -> the change that sets it


def sis_course(t: Target, sis_id: str) -> Course | None:
    return t.db.scalar(select(Course).where(Course.sis_course_id == sis_id, Course.root_account_id == t.root.id,
                                            Course.workflow_state != "deleted"))


def _course_changes(t: Target, row: dict[str, str], what: str) -> CourseChanges:
    account_id: int | None = None
    if ref := row.get("account_id"):
        if (account := sis_account(t, ref)) is None:
            raise RowProblem("account_id", f"Account not found \"{ref}\" for {what}")
        account_id = account.id
    term_ref = row.get("term_id")
    if term_ref and sis_term(t, term_ref) is None:
        raise RowProblem("term_id", f"Term not found \"{term_ref}\" for {what}")
    return CourseChanges(name=required(row, "long_name", what), course_code=required(row, "short_name", what),
                         start_at=date(row, "start_date", what), end_at=date(row, "end_date", what),
                         term_id=f"sis_term_id:{term_ref}" if term_ref else UNSET,
                         account_id=account_id if account_id is not None else UNSET)


def apply_course(t: Target, row: dict[str, str]) -> str:
    sis_id = required(row, "course_id", "course")
    what = f"course {sis_id}"
    state = status(row, ("active", "deleted", "completed", "published"), what)
    course = sis_course(t, sis_id)
    if state == "deleted":
        if course is None:
            return "skipped"
        courses.update_course(t.db, t.actor, str(course.id), CourseChanges(), event="delete")
        return "deleted"
    changes = _course_changes(t, row, what)
    event = _COURSE_EVENTS.get(state)
    if course is None:
        account_id = changes.account_id if isinstance(changes.account_id, int) else t.root.id
        course = courses.create_course(t.db, t.actor, account_id, replace(changes, sis_course_id=sis_id,
                                                                          account_id=UNSET))
        if event is not None:
            courses.update_course(t.db, t.actor, str(course.id), CourseChanges(), event=event)
        course.sis_import_id = t.import_id
        return "created"
    held = sis_stickiness.held(t.db, "course", course.id)
    changes = replace(changes, **{_COURSE_CHANGE.get(name, name): UNSET for name in held})
    if state == "active" and course.workflow_state == "completed":
        event = "claim"  # active again: unpublished, as Canvas's SIS import makes a concluded course
    if event == "offer" and course.workflow_state == "available":
        event = None
    courses.update_course(t.db, t.actor, str(course.id), changes, event=event)
    course.sis_import_id = t.import_id
    return "concluded" if state == "completed" else "updated"


def sis_section(t: Target, sis_id: str) -> Section | None:
    return t.db.scalar(select(Section).join(Course, Course.id == Section.course_id).where(
        Section.sis_section_id == sis_id, Course.root_account_id == t.root.id, Section.workflow_state != "deleted",
        Course.workflow_state != "deleted"))


def apply_section(t: Target, row: dict[str, str]) -> str:
    sis_id = required(row, "section_id", "section")
    what = f"section {sis_id}"
    state = status(row, ("active", "deleted"), what)
    section = sis_section(t, sis_id)
    if state == "deleted":
        if section is None:
            return "skipped"
        sections.delete_section(t.db, t.actor, str(section.id))
        return "deleted"
    course_ref = required(row, "course_id", what)
    course = sis_course(t, course_ref)
    if course is None:
        raise RowProblem("course_id", f"Section {sis_id} references course {course_ref} which doesn't exist")
    changes = SectionChanges({"name", "start_at", "end_at", "sis_section_id"}, name=required(row, "name", what),
                             start_at=date(row, "start_date", what), end_at=date(row, "end_date", what),
                             sis_section_id=sis_id)
    if section is None:
        sections.create_section(t.db, t.actor, str(course.id), changes).sis_import_id = t.import_id
        return "created"
    if section.course_id != course.id:
        raise RowProblem("course_id", f"Section {sis_id} belongs to another course; moving sections between "
                                      "courses is not supported by this import")
    changes.given -= {"sis_section_id", *sis_stickiness.held(t.db, "section", section.id)}
    sections.update_section(t.db, t.actor, str(section.id), changes).sis_import_id = t.import_id
    return "updated"


def apply_xlist(t: Target, row: dict[str, str]) -> str:
    """Cross-list a section into a course (made from the section's own course when its SIS id is new, as
    Canvas does); `deleted` returns it to its own course."""
    course_ref, section_ref = required(row, "xlist_course_id", "cross-listing"), required(row, "section_id",
                                                                                           "cross-listing")
    what = f"cross-listing (Course ID: {course_ref}, Section ID: {section_ref})"
    state = status(row, ("active", "deleted"), what)
    section = sis_section(t, section_ref)
    if section is None:
        raise RowProblem("section_id", f"A cross-listing referenced a non-existent section {section_ref}")
    course = sis_course(t, course_ref)
    if state == "deleted":
        if course is None or section.nonxlist_course_id is None or section.course_id != course.id:
            return "skipped"
        sections.uncrosslist_section(t.db, t.actor, str(section.id))
        return "deleted"
    if course is None:
        home = courses.resolve_course(t.db, section.course_id)
        course = courses.create_course(t.db, t.actor, home.account_id, CourseChanges(
            name=home.name, course_code=home.course_code, term_id=home.enrollment_term_id, sis_course_id=course_ref))
        course.sis_import_id = t.import_id
    if section.course_id == course.id:
        return "skipped"
    sections.crosslist_section(t.db, t.actor, str(section.id), str(course.id))
    return "created"


def _role(t: Target, course: Course, name: str, what: str) -> EnrollmentRequest:
    if name.lower() in ROLE_TYPES:
        return EnrollmentRequest(type=ROLE_TYPES[name.lower()])
    try:
        return EnrollmentRequest(role_id=roles.role_for(t.db, course.account_id, name).id)
    except NotFound:
        raise RowProblem("role", f"Improper role \"{name}\" for {what}") from None


def apply_enrollment(t: Target, row: dict[str, str]) -> str:
    user_ref, role_name = required(row, "user_id", "enrollment"), required(row, "role", "enrollment")
    course_ref, section_ref = row.get("course_id", ""), row.get("section_id", "")
    what = f"enrollment (User ID: {user_ref}, Course ID: {course_ref}, Section ID: {section_ref}, Role: {role_name})"
    state = status(row, ("active", "deleted", "completed", "inactive"), what)
    course, section = _place(t, course_ref, section_ref, what)
    user = sis_user(t, user_ref)
    if user is None:
        raise RowProblem("user_id", f"User not found for {what}")
    req = _role(t, course, role_name, what)
    req.user_ref, req.state = str(user.id), "inactive" if state == "inactive" else "active"
    if observed := row.get("associated_user_id"):
        if (student := sis_user(t, observed)) is None:
            raise RowProblem("associated_user_id", f"Associated user not found for {what}")
        req.associated_user_ref = str(student.id)
    existing = _existing(t, course, section, user.id, req)
    if existing is None or (state == "active" and existing.workflow_state != "inactive"):
        if state == "deleted":
            return "skipped"
        outcome = "created" if existing is None else "updated"
        existing = enrollments.enroll(t.db, t.actor, str(course.id), str(section.id) if section else None, req)
    elif state == "active":
        enrollments.reactivate(t.db, t.actor, str(course.id), str(existing.id))
        outcome = "restored"
    else:
        outcome = "updated"
    task = {"completed": "conclude", "deleted": "delete", "inactive": "inactivate"}.get(state)
    if task is not None and existing.workflow_state != _ENDED[task]:
        enrollments.end_enrollment(t.db, t.actor, str(course.id), str(existing.id), task)
        outcome = _OUTCOME[task]
    existing.sis_import_id = t.import_id
    return outcome


def _place(t: Target, course_ref: str, section_ref: str, what: str) -> tuple[Course, Section | None]:
    """The course and section an enrollment row names (by either or both, which must agree)."""
    section = sis_section(t, section_ref) if section_ref else None
    course = sis_course(t, course_ref) if course_ref else None
    if section_ref and section is None:
        raise RowProblem("section_id", f"Section not found for {what}")
    if course_ref and course is None:
        raise RowProblem("course_id", f"Course not found for {what}")
    if section is None and course is None:
        raise RowProblem("course_id", f"No course_id or section_id given for {what}")
    course = course or courses.resolve_course(t.db, section.course_id)  # type: ignore[union-attr]
    if section is not None and section.course_id != course.id:
        raise RowProblem("section_id", f"Section does not belong to the course for {what}")
    return course, section


def _existing(t: Target, course: Course, section: Section | None, user_id: int, req: EnrollmentRequest
              ) -> Enrollment | None:
    """The user's enrollment in that section (the course's default one) and role that a row names, if any
    is not deleted: the one `enroll` would update."""
    home = section or courses.default_section(t.db, course)
    role_id = req.role_id or roles.role_for(t.db, course.account_id, req.type or "StudentEnrollment").id
    return t.db.scalar(select(Enrollment).where(
        Enrollment.user_id == user_id, Enrollment.course_section_id == home.id, Enrollment.role_id == role_id,
        Enrollment.associated_user_id.is_not_distinct_from(_observed(req)), Enrollment.workflow_state != "deleted")
        .order_by(Enrollment.id).limit(1))


def _observed(req: EnrollmentRequest) -> int | None:
    return int(req.associated_user_ref) if req.associated_user_ref else None
