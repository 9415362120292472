"""Course settings (the Canvas settings object): one catalogue of names, types and defaults.

A setting lives either in a Course column (so course JSON and settings agree) or as a row of
`course_settings` holding {"v": value}; an absent row means the default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.courses.grading_standards import check_standard_id
from courseport.core.kit.errors import InvalidInput
from courseport.schema import Course, CourseSetting, User
from courseport.schema.base import utcnow

INHERIT = "inherit"
DEFAULT_DUE_TIME = "23:59:59"
_DUE_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d")


@dataclass(frozen=True)
class SettingSpec:
    kind: type  # bool, int or str: the type a dialect coerces wire values to
    default: Any = None
    column: str | None = None  # the Course column holding it; None: a course_settings row
    nullable: bool = False


SETTINGS: dict[str, SettingSpec] = {
    "allow_final_grade_override": SettingSpec(bool, False),
    "allow_student_discussion_topics": SettingSpec(bool, True),
    "allow_student_forum_attachments": SettingSpec(bool, False, "allow_student_forum_attachments"),
    "allow_student_discussion_editing": SettingSpec(bool, True),
    "allow_student_discussion_reporting": SettingSpec(bool, True),
    "allow_student_anonymous_discussion_topics": SettingSpec(bool, False),
    "filter_speed_grader_by_student_group": SettingSpec(bool, False),
    # Derived from grading_standard_id, as in Canvas: enabling without an id selects scheme 0 (the default).
    "grading_standard_enabled": SettingSpec(bool, False),
    "grading_standard_id": SettingSpec(int, None, "grading_standard_id", nullable=True),
    "allow_student_organized_groups": SettingSpec(bool, True),
    "hide_final_grades": SettingSpec(bool, False, "hide_final_grades"),
    "hide_distribution_graphs": SettingSpec(bool, False),
    "hide_sections_on_course_users_page": SettingSpec(bool, False),
    "lock_all_announcements": SettingSpec(bool, False),
    "usage_rights_required": SettingSpec(bool, False),
    "restrict_student_past_view": SettingSpec(bool, False),
    "restrict_student_future_view": SettingSpec(bool, False),
    "restrict_quantitative_data": SettingSpec(bool, False),
    "show_announcements_on_home_page": SettingSpec(bool, False),
    "home_page_announcement_limit": SettingSpec(int, 5),
    "syllabus_course_summary": SettingSpec(bool, True, "syllabus_course_summary"),
    "homeroom_course": SettingSpec(bool, False, "homeroom_course"),
    "default_due_time": SettingSpec(str, DEFAULT_DUE_TIME),
    "conditional_release": SettingSpec(bool, False, "conditional_release"),
}
_DERIVED = "grading_standard_enabled"


def get_course_settings(db: Session, actor: User, course_ref: str | int) -> dict[str, Any]:
    course, _ = readable_course(db, actor, course_ref)
    return settings_of(db, course)


def update_course_settings(db: Session, actor: User, course_ref: str | int, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply the known settings in `changes` (unknown names are ignored) and return them all."""
    course, _ = readable_course(db, actor, course_ref, "update_course")
    known = {name: changes[name] for name in SETTINGS if name in changes}
    for name, value in known.items():
        _check(name, value)
    if "grading_standard_id" in known:
        check_standard_id(db, course, known["grading_standard_id"])
    # Enabling first lets an explicit grading_standard_id in the same call win.
    for name in sorted(known, key=lambda n: n != _DERIVED):
        _store(db, course, name, known[name])
    course.updated_at = utcnow()
    db.flush()
    return settings_of(db, course)


def settings_of(db: Session, course: Course) -> dict[str, Any]:
    rows: dict[str, Any] = dict(db.execute(
        select(CourseSetting.name, CourseSetting.value).where(CourseSetting.course_id == course.id)).all())
    out: dict[str, Any] = {}
    for name, spec in SETTINGS.items():
        if name == _DERIVED:
            out[name] = course.grading_standard_id is not None
        elif spec.column:
            out[name] = getattr(course, spec.column)
        else:
            out[name] = rows[name]["v"] if name in rows else spec.default
    return out


def _check(name: str, value: Any) -> None:
    spec = SETTINGS[name]
    if value is None:
        if not spec.nullable:
            raise InvalidInput(name, f"{name} must not be empty")
        return
    if spec.kind is bool and not isinstance(value, bool):
        raise InvalidInput(name, f"{name} must be a boolean (true or false)")
    if spec.kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidInput(name, f"{name} must be an integer")
    if spec.kind is int and value < 0:
        raise InvalidInput(name, f"{name} must be an integer of 0 or more")
    if name == "default_due_time" and value != INHERIT and not _DUE_TIME.fullmatch(str(value)):
        raise InvalidInput(name, 'default_due_time must be a time in 24-hour HH:MM:SS format, or "inherit"')


def _store(db: Session, course: Course, name: str, value: Any) -> None:
    spec = SETTINGS[name]
    if name == _DERIVED:
        course.grading_standard_id = (course.grading_standard_id or 0) if value else None
    elif spec.column:
        setattr(course, spec.column, value)
    elif value == spec.default or (name == "default_due_time" and value == INHERIT):
        row = db.get(CourseSetting, (course.id, name))
        if row is not None:
            db.delete(row)
    else:
        row = db.get(CourseSetting, (course.id, name))
        if row is None:
            db.add(CourseSetting(course_id=course.id, name=name, value={"v": value}))
        else:
            row.value = {"v": value}
