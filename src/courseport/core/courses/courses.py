"""Courses: resolve by any id form, create, update, change state, delete, reset."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import String, bindparam, case, select, update
from sqlalchemy.orm import Session, object_session

from courseport.core.courses.course_changes import COURSE_FIELDS as COURSE_FIELDS
from courseport.core.courses.course_changes import CourseChanges as CourseChanges
from courseport.core.courses.course_codes import check_course_code
from courseport.core.identity import accounts, sis_stickiness, tenancy
from courseport.core.identity.permissions import ALL_RIGHTS, CourseRights, course_rights, require, rights_status
from courseport.core.kit import html  # a module reference, as html refers back to this module
from courseport.core.kit.changes import given
from courseport.core.kit.errors import FieldText, InvalidInput, NotAllowed, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.time_zones import to_iana
from courseport.row_reads import RowRead, entity_columns
from courseport.schema import Course, CourseSetting, Enrollment, Section, User
from courseport.schema.base import utcnow

LICENSES = ("private", "cc_by_nc_nd", "cc_by_nc_sa", "cc_by_nc", "cc_by_nd", "cc_by_sa", "cc_by", "public_domain")
DEFAULT_VIEWS = ("feed", "wiki", "modules", "syllabus", "assignments")
COURSE_FORMATS = ("on_campus", "online", "blended")
PASSBACK_SETTINGS = ("nightly_sync", "disabled", "")
EVENTS = ("claim", "offer", "conclude", "delete", "undelete")
# The right each workflow event needs; undelete is for account admins only.
EVENT_RIGHTS = {"claim": "change_course_state", "offer": "change_course_state",
                "conclude": "change_course_state", "delete": "delete_course", "undelete": "undelete_course"}
RESTRICTION_KEYS = ("content", "points", "due_dates", "availability_dates", "settings", "state")
RESTRICTED_OBJECT_TYPES = ("assignment", "attachment", "discussion_topic", "quiz", "wiki_page")

# Course attributes holding HTML: stored only as the one sanitiser (core/kit/html.py) leaves them.
HTML_FIELDS = ("syllabus_body", "public_description")
# The longest text each course attribute keeps: its column's length (name and course_code: Canvas's 255).
MAX_LENGTHS = {c.key: c.type.length for c in Course.__table__.columns if isinstance(c.type, String) and c.type.length}
_ADMIN_FIELDS = {"account_id", "term_id", "sis_course_id", "integration_id", "storage_quota_mb",
                 "blueprint", "template"}
# Identity, content and content-derived state stay with the course a reset replaces.
_NOT_CARRIED_BY_RESET = {"id", "uuid", "lti_context_id", "created_at", "updated_at", "workflow_state",
                         "syllabus_body", "default_view", "grading_standard_id", "storage_quota_used_bytes",
                         "image_id", "migration_limitation_dismissed"}
_ID_PREFIXES = {
    "sis_course_id:": Course.sis_course_id,
    "sis_integration_id:": Course.integration_id,
    "lti_context_id:": Course.lti_context_id,
    "uuid:": Course.uuid,
}
# Checks an update must pass before it is applied: check(db, course, changes) raises to refuse it
# (blueprint syncs register one, core/blueprints/blueprint_sync.py, so this module imports no blueprint code).
UPDATE_CHECKS: list[Callable[[Session, Course, CourseChanges], None]] = []
# Built once: nearly every course call resolves its course by id first.
_COURSE_BY_ID = select(Course).where(Course.id == bindparam("course_id"))
# The same lookups as read-only rows (see row_reads), for reads that change nothing.
# A SIS id (or integration id) two tenants may both hold: the caller's tenant's course first.
_CALLERS_FIRST = case((Course.root_account_id == bindparam("tenant"), 0), else_=1)
_COURSE_ROW_BY = {prefix: RowRead(select(*entity_columns(Course)).where(column == bindparam("value"))
                                  .order_by(_CALLERS_FIRST, Course.id).limit(1), "CourseRow")
                  for prefix, column in _ID_PREFIXES.items()}
_COURSE_ROW_BY_ID = RowRead.of(Course, Course.id == bindparam("value"))


def register_update_check(check: Callable[[Session, Course, CourseChanges], None]) -> None:
    """Add a check to UPDATE_CHECKS (courseport/wiring.py registers blueprint syncs' one when services are built)."""
    if check not in UPDATE_CHECKS:
        UPDATE_CHECKS.append(check)


def _lookup(ref: str | int) -> tuple[str, Any] | None:
    """The id form of a course reference and its value: ("", 12) or ("sis_course_id:", "X");
    None for a reference no course can have (not a prefix form, not a 64-bit id)."""
    ref = str(ref)
    for prefix in _ID_PREFIXES:
        if ref.startswith(prefix):
            return prefix, ref[len(prefix):]
    return ("", store_id(ref)) if is_id(ref) else None


def resolve_course(db: Session, ref: str | int, *, include_deleted: bool = False) -> Course:
    """A course by numeric id or by `sis_course_id:`, `sis_integration_id:`, `lti_context_id:`, `uuid:`."""
    found = _lookup(ref)
    course = None
    if found is not None:
        prefix, value = found
        course = (db.scalar(select(Course).where(_ID_PREFIXES[prefix] == value)
                            .order_by(tenancy.caller_first(db, Course.root_account_id), Course.id).limit(1)) if prefix
                  else db.scalar(_COURSE_BY_ID, {"course_id": value}))
    if course is None or (course.workflow_state == "deleted" and not include_deleted):
        raise NotFound("course")
    return course


def course_row(db: Session, ref: str | int, *, include_deleted: bool = False):  # noqa: ANN201 - a CourseRow
    """`resolve_course` as a read-only row of the course's columns: cheaper, for reads only."""
    found = _lookup(ref)
    course = None
    if found is not None:
        prefix, value = found
        course = (_COURSE_ROW_BY[prefix].first(db, value=value, tenant=tenancy.caller_tenant(db)) if prefix
                  else _COURSE_ROW_BY_ID.first(db, value=value))
    if course is None or (course.workflow_state == "deleted" and not include_deleted):
        raise NotFound("course")
    return course


def readable_course(db: Session, actor: User, ref: str | int, right: str = "read") -> tuple[Course, CourseRights]:
    """Resolve a course and check the actor holds `right` in it."""
    course = resolve_course(db, ref)
    rights = course_rights(db, actor, course)
    require(rights, right)
    return course, rights


def derive_course_code(name: str) -> str:
    words = name.split()
    if not words:
        return ""
    with_digit = next((w for w in words[1:] if re.search(r"\d", w)), None)
    return " ".join(w for w in (words[0], with_digit) if w)


def create_course(
    db: Session, actor: User, account_id: int, changes: CourseChanges, *, offer: bool = False,
    enroll_me: bool = False,
) -> Course:
    fields = given(changes)
    account = accounts.get_account(db, account_id)
    if not accounts.is_admin_of(db, actor.id, account.id):
        raise NotAllowed()
    root_id = account.root_account_id or account.id
    name = check_length("name", (fields.get("name") or "").strip()) or "Unnamed Course"
    course = Course(
        uuid=accounts.new_uuid(), lti_context_id=accounts.new_uuid(), account_id=account.id,
        root_account_id=root_id, enrollment_term_id=accounts.default_term(db, root_id).id,
        name=name, course_code=derive_course_code(name), workflow_state="unpublished",
    )
    db.add(course)
    _apply_fields(db, course, {k: v for k, v in fields.items() if k != "name"}, admin=True)
    if offer:
        course.workflow_state = "available"
    db.flush()
    section = default_section(db, course)
    if enroll_me:
        db.add(Enrollment(
            user_id=actor.id, course_id=course.id, course_section_id=section.id,
            root_account_id=root_id, type="TeacherEnrollment",
            role_id=accounts.BUILT_IN_ROLES["TeacherEnrollment"], workflow_state="active",
        ))
        db.flush()
    return course


def default_section(db: Session, course: Course) -> Section:
    section = db.scalar(select(Section).where(Section.course_id == course.id, Section.default_section.is_(True)))
    if section is None:
        section = Section(course_id=course.id, name=course.name, default_section=True)
        db.add(section)
        db.flush()
    return section


def update_course(
    db: Session, actor: User, ref: str | int, changes: CourseChanges, *, event: str | None = None,
    offer: bool = False,
) -> Course:
    fields = given(changes)
    if offer:
        event = event or "offer"
    if event is not None and event not in EVENTS:
        raise InvalidInput("event", f"event must be one of {', '.join(EVENTS)}")
    course = resolve_course(db, ref, include_deleted=event == "undelete")
    rights = _update_rights(db, actor, course, fields, event)
    for check in UPDATE_CHECKS:
        check(db, course, changes)
    before = sis_stickiness.watch("course", course)
    _apply_fields(db, course, fields, admin=rights.is_admin)
    if event:
        apply_event(course, event)
    course.updated_at = utcnow()
    db.flush()
    sis_stickiness.note(db, "course", course, before)
    return course


def _update_rights(db: Session, actor: User, course: Course, fields: dict[str, Any], event: str | None) -> CourseRights:
    """The actor's rights, checked against what the update asks for."""
    if course.workflow_state == "deleted":  # only undelete reaches a deleted course
        if not accounts.is_admin_of(db, actor.id, course.account_id):
            raise NotAllowed()
        return CourseRights(actor.id, course.id, True, rights=ALL_RIGHTS)
    rights = course_rights(db, actor, course)
    if event:
        require(rights, EVENT_RIGHTS[event])
    syllabus_only = set(fields) <= {"syllabus_body"}
    if (fields or not event) and not rights.can("update_course") and not (
            syllabus_only and rights.can("manage_content")):
        raise NotAllowed()  # content managers may edit the syllabus only
    if not rights.is_admin and (set(fields) & _ADMIN_FIELDS):
        raise NotAllowed()
    return rights


def apply_event(course: Course, event: str) -> None:
    """The workflow transitions a course event names."""
    if event not in EVENTS:
        raise InvalidInput("event", f"event must be one of {', '.join(EVENTS)}")
    if event == "undelete":
        if course.workflow_state != "deleted":
            raise InvalidInput("event", "only a deleted course can be undeleted")
        course.workflow_state = "unpublished"
        return
    if course.workflow_state == "deleted":
        raise NotFound("course")
    was = course.workflow_state
    course.workflow_state = {"claim": "unpublished", "offer": "available",
                             "conclude": "completed", "delete": "deleted"}[event]
    db = object_session(course)  # a course outside a session has no enrollments to invite
    if course.workflow_state == "available" and was != "available" and db is not None:
        send_held_invitations(db, course.id)
    if event == "delete" and course.sis_course_id:
        course.sis_course_id = None  # frees the SIS id, as deleted courses release theirs


def send_held_invitations(db: Session, course_id: int) -> None:
    """Publishing invites those an unpublished course held back (Canvas: creation_pending -> invited).
    Course events publish through apply_event; a blueprint's publish_after_initial_sync publishes in
    bulk and calls this itself."""
    db.execute(update(Enrollment).where(Enrollment.course_id == course_id,
                                        Enrollment.workflow_state == "creation_pending")
               .values(workflow_state="invited", updated_at=utcnow()))


def delete_or_conclude(db: Session, actor: User, ref: str | int, event: str | None) -> str:
    course = resolve_course(db, ref)
    if event not in ("delete", "conclude"):
        raise InvalidInput("event", 'Only "delete" and "conclude" events are allowed.')
    require(course_rights(db, actor, course), EVENT_RIGHTS[event])
    apply_event(course, event)
    course.updated_at = utcnow()
    db.flush()
    return event


def _apply_fields(db: Session, course: Course, fields: dict[str, Any], *, admin: bool) -> None:
    if fields.get("restrict_enrollments_to_course_dates") is False and course.restrict_enrollments_to_course_dates:
        # Canvas: lifting the restriction drops the end date, and the start date of an unpublished course.
        course.end_at = None
        if course.workflow_state == "unpublished":
            course.start_at = None
    for key, value in fields.items():
        if key not in COURSE_FIELDS:
            continue
        _check_value(key, value)
        if key == "term_id":
            course.enrollment_term_id = accounts.get_term(db, course.root_account_id, value).id
        elif key == "account_id":
            target = accounts.get_account(db, value)
            course.account_id, course.root_account_id = target.id, target.root_account_id or target.id
        elif key == "sis_course_id":
            _claim_sis_id(db, course, value or None)
        elif key == "course_code" and value is not None:
            course.course_code = check_course_code(db, course, value)
        elif key == "remove_image" and value:
            course.image_id = course.image_url = None
        elif key == "remove_banner_image" and value:
            course.banner_image_url = None
        elif key == "image_id":
            course.image_id, course.image_url = value, None
        elif key == "image_url":
            course.image_url, course.image_id = value, None
        elif key == "name" and value is not None:
            course.name = value.strip() or "Unnamed Course"
        elif key == "time_zone":
            course.time_zone = to_iana(value) if value else None
        elif key == "allow_student_wiki_edits":
            course.allow_student_wiki_edits = bool(value)
        elif key in HTML_FIELDS:
            setattr(course, key, None if value is None else html.sanitize_html(value, key))
        elif hasattr(Course, key) and key not in ("remove_image", "remove_banner_image"):
            setattr(course, key, value)
    if "image_id" in fields and "image_url" in fields and fields["image_id"] and fields["image_url"]:
        raise InvalidInput("image_url", FieldText("{image_url} and {image_id} cannot both be given"))
    if course.start_at and course.end_at and course.end_at < course.start_at:
        raise InvalidInput("end_at", FieldText("{end_at} must not be before {start_at}"))


def check_length(key: str, value: Any) -> Any:
    """`value` if it fits the course attribute `key`; InvalidInput naming the attribute otherwise."""
    limit = MAX_LENGTHS.get(key)
    if limit and isinstance(value, str) and len(value) > limit:
        raise InvalidInput(key, f"{key} may be at most {limit} characters long")
    return value


def _check_value(key: str, value: Any) -> None:
    check_length(key, value.strip() if key == "name" and isinstance(value, str) else value)
    allowed = {"license": LICENSES, "default_view": DEFAULT_VIEWS, "course_format": COURSE_FORMATS,
               "grade_passback_setting": PASSBACK_SETTINGS}.get(key)
    if allowed is not None and value is not None and value not in allowed:
        raise InvalidInput(key, f"{key} must be one of: {', '.join(repr(a) for a in allowed)}")
    if key == "storage_quota_mb" and (value is None or value < 0):  # the column holds a quota, always
        raise InvalidInput("storage_quota_mb", "storage_quota_mb must be a number of megabytes, not negative")
    if key in ("blueprint_restrictions", "blueprint_restrictions_by_object_type") and value:
        _check_restrictions(key, value)
    if key == "course_color" and value and not re.fullmatch(r"#?[0-9A-Fa-f]{6}|#?[0-9A-Fa-f]{3}", value):
        raise InvalidInput("course_color", "course_color must be a hex colour such as #aabbcc")


def _check_restrictions(key: str, value: dict[str, Any]) -> None:
    by_type = value if key == "blueprint_restrictions_by_object_type" else {"": value}
    unknown_types = set(by_type) - set(RESTRICTED_OBJECT_TYPES) - {""}
    if unknown_types:
        raise InvalidInput(key, f"{key} object types must be among {', '.join(RESTRICTED_OBJECT_TYPES)}")
    for restrictions in by_type.values():
        if not isinstance(restrictions, dict) or set(restrictions) - set(RESTRICTION_KEYS):
            raise InvalidInput(key, f"{key} may restrict only {', '.join(RESTRICTION_KEYS)}")


def _claim_sis_id(db: Session, course: Course, sis_id: str | None) -> None:
    if sis_id is not None:
        holder = db.scalar(select(Course.id).where(Course.sis_course_id == sis_id, Course.id != (course.id or -1),
                                                   Course.root_account_id == course.root_account_id))
        if holder is not None:
            raise InvalidInput("sis_course_id", f'sis_course_id "{sis_id}" is already in use')
    course.sis_course_id = sis_id


def reset_content(db: Session, actor: User, ref: str | int) -> Course:
    """Replace a course with an empty equivalent; sections, enrollments and settings move over."""
    old = resolve_course(db, ref)
    require(course_rights(db, actor, old), "reset_content")
    columns = [c.key for c in Course.__table__.columns if c.key not in _NOT_CARRIED_BY_RESET]
    new = Course(**{c: getattr(old, c) for c in columns})
    new.uuid, new.lti_context_id = accounts.new_uuid(), accounts.new_uuid()
    new.created_at = new.updated_at = utcnow()
    # The fresh course has no content, so it starts unpublished with a blank syllabus, as Canvas's does.
    new.workflow_state = "unpublished"
    old.sis_course_id = None
    old.workflow_state = "deleted"
    db.flush()
    db.add(new)
    db.flush()
    for table in (Section, Enrollment, CourseSetting):
        db.execute(update(table).where(table.course_id == old.id).values(course_id=new.id))
    db.flush()
    return new


def dismiss_migration_limitation(db: Session, actor: User, ref: str | int) -> None:
    course, _ = readable_course(db, actor, ref)
    course.migration_limitation_dismissed = True
    db.flush()


def course_permissions(db: Session, actor: User, ref: str | int, names: list[str]) -> dict[str, bool]:
    """Which of the named rights the actor holds in the course (a reader may ask)."""
    _, rights = readable_course(db, actor, ref)
    return rights_status(rights, names)
