"""Canvas JSON for courses and the small objects they embed (term, enrollments, teachers)."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from operator import attrgetter, itemgetter
from typing import Any

import msgspec

from courseport.core.courses.grading_periods import current_period
from courseport.core.coursework.grades import Scores
from courseport.core.identity.permissions import ALL_RIGHTS
from courseport.core.views.course_view_extras import CourseView
from courseport.dialects.canvas.module_json import render_course_progress
from courseport.dialects.canvas.protocol import iso
from courseport.schema import Account, Enrollment, GradingPeriod, Term, User

# Canvas include[] names that load something extra; the rest only toggle fields.
INCLUDE_WANTS = {
    "term": "term", "account": "account", "teachers": "teachers", "total_students": "total_students",
    "favorites": "favorites", "sections": "sections", "permissions": "permissions",
    "storage_quota_used_mb": "storage_quota_used_mb", "observed_users": "observed_users",
    "concluded": "concluded", "needs_grading_count": "needs_grading_count", "total_scores": "total_scores",
    "course_progress": "course_progress", "grading_periods": "grading_periods",
    "current_grading_period_scores": "current_period_scores",
}


def wants_for(includes: list[str]) -> frozenset[str]:
    return frozenset(INCLUDE_WANTS[i] for i in includes if i in INCLUDE_WANTS)


@cache  # a handful of types, named on every enrollment of every course listed
def enrollment_type_name(etype: str) -> str:
    base = etype.removesuffix("Enrollment")
    return "".join("_" + c.lower() if c.isupper() else c for c in base).lstrip("_")


# The Course object's keys in Canvas's order, each read from the course attribute of its name by one
# C getter; the values worked out (the name, dates, calendar, enrollments, constants) replace theirs
# at their index (_course_values), those of keys no column has read `id` first. Named once, here: the
# columns a course list reads (COURSE_FIELDS) and the listed struct's fields follow from them.
_COURSE_KEYS = (
    "id", "name", "account_id", "uuid", "start_at", "grading_standard_id", "is_public", "created_at", "course_code",
    "default_view", "root_account_id", "enrollment_term_id", "license", "grade_passback_setting", "end_at",
    "public_syllabus", "public_syllabus_to_auth", "storage_quota_mb", "is_public_to_auth_users", "homeroom_course",
    "course_color", "friendly_name", "apply_assignment_group_weights", "calendar", "time_zone", "blueprint",
    "template", "enrollments", "hide_final_grades", "workflow_state", "restrict_enrollments_to_course_dates",
    "locale", "course_format", "open_enrollment", "self_enrollment", "allow_student_forum_attachments",
    "allow_wiki_comments", "allow_student_assignment_edits", "grading_periods", "access_restricted_by_date",
    "lti_context_id",
)
_COMPUTED_KEYS = ("calendar", "enrollments", "grading_periods", "access_restricted_by_date")
_SOURCES = tuple("id" if key in _COMPUTED_KEYS else key for key in _COURSE_KEYS)
_COURSE_VALUES = attrgetter(*_SOURCES)
# Per type of read-only course row (row_reads: a named tuple per statement), the same values by position:
# an itemgetter costs half what the attrgetter does, ~0.8 µs a course.
_ROW_VALUES: weakref.WeakKeyDictionary[type, Callable[[Any], tuple[Any, ...]]] = weakref.WeakKeyDictionary()
_NAME, _START_AT, _CREATED_AT, _END_AT, _CALENDAR, _TIME_ZONE, _ENROLLMENTS, _GRADING_PERIODS, _ACCESS_RESTRICTED = (
    _COURSE_KEYS.index(key) for key in ("name", "start_at", "created_at", "end_at", "calendar", "time_zone",
                                        "enrollments", "grading_periods", "access_restricted_by_date"))
_DATES = (_START_AT, _CREATED_AT, _END_AT)
# The keys that may follow, in the order _course_values adds them (include[] values add theirs after).
_OPTIONAL_KEYS = ("sis_course_id", "integration_id", "sis_import_id", "original_name", "blueprint_restrictions",
                  "blueprint_restrictions_by_object_type")
# A listed course's JSON as a msgspec struct: fields left UNSET are not encoded. No cycles: no GC tracking.
ListedCourse = msgspec.defstruct("ListedCourse", [(key, Any, msgspec.UNSET) for key in _COURSE_KEYS + _OPTIONAL_KEYS],
                                 gc=False)
ListedEnrollment = msgspec.defstruct("ListedEnrollment", [(key, Any, msgspec.UNSET) for key in (
    "type", "role", "role_id", "user_id", "enrollment_state", "limit_privileges_to_course_section",
    "associated_user_id")], gc=False)


# The course columns render_course reads, and those include[] values add: a course list reads only these.
COURSE_FIELDS = frozenset({
    *(key for key in _COURSE_KEYS + _OPTIONAL_KEYS if key not in _COMPUTED_KEYS and key != "original_name"),
    "use_blueprint_restrictions_by_object_type"})
INCLUDE_FIELDS = {"syllabus_body": ("syllabus_body",), "public_description": ("public_description",),
                  "course_image": ("image_url", "image_id"), "banner_image": ("banner_image_url",),
                  "post_manually": ("post_manually",)}


def course_fields(includes: list[str]) -> frozenset[str]:
    """The course columns a Canvas course response with these include[] values reads."""
    return _fields_for(frozenset(i for i in includes if i in INCLUDE_FIELDS))


@cache  # a few sets of includes
def _fields_for(includes: frozenset[str]) -> frozenset[str]:
    return COURSE_FIELDS.union(*(INCLUDE_FIELDS[i] for i in includes))


def _iso(value: datetime | None) -> str | None:
    """protocol.iso of a course date: a UTC datetime (as every read gives) formatted by hand, as
    isoformat of an aware datetime costs twice as much (it formats the offset, which is then cut)."""
    if value is not None and value.tzinfo is UTC and type(value) is datetime:
        return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (  # noqa: UP031 - a format string costs less here
            value.year, value.month, value.day, value.hour, value.minute, value.second)
    return iso(value)


def _listed_date(value: datetime | None) -> datetime | str | None:
    """A date of a listed course as msgspec encodes it: a whole-second UTC datetime stays one (msgspec
    writes iso()'s text for it, in C), any other is iso()'s text."""
    if value is None or (value.microsecond == 0 and value.tzinfo is UTC and type(value) is datetime):
        return value
    return _iso(value)


def render_course(view: CourseView, includes: set[str], origin: str) -> dict[str, Any]:
    values, extra = _course_values(view, origin, listed=False)
    body = dict(zip(_COURSE_KEYS, values, strict=True))
    if extra:
        body.update(extra)
    if includes:
        _add_includes(body, view, includes, origin)
    return body


def render_listed_course(view: CourseView, origin: str) -> msgspec.Struct:
    """render_course without include[], as msgspec encodes it: the same JSON, made in C (a dict of ~45
    keys per course cost more than the rest of rendering a course list)."""
    values, extra = _course_values(view, origin, listed=True)
    return ListedCourse(*values, **extra)


def _course_values(view: CourseView, origin: str, *, listed: bool) -> tuple[list[Any], dict[str, Any]]:
    """The values of _COURSE_KEYS, and the keys that follow them when the course and viewer call for
    them; `listed`: dates and enrollments as render_listed_course has msgspec encode them."""
    c = view.course
    date, enrollment = (_listed_date, _listed_enrollment) if listed else (_iso, render_course_enrollment)
    values = list(_values_getter(type(c))(c))
    values[_NAME] = view.nickname or c.name
    for at in _DATES:  # a date the course has, as `date` gives it (most courses have no start or end)
        if values[at] is not None:
            values[at] = date(values[at])
    values[_CALENDAR] = {"ics": f"{origin}/feeds/calendars/course_{c.uuid}.ics"}
    values[_TIME_ZONE] = c.time_zone or "UTC"
    values[_ENROLLMENTS] = [enrollment(e) for e in view.enrollments]
    values[_GRADING_PERIODS], values[_ACCESS_RESTRICTED] = None, False
    extra: dict[str, Any] = {}
    if view.sees_sis:
        extra["sis_course_id"], extra["integration_id"] = c.sis_course_id, c.integration_id
    if view.manages_sis:
        extra["sis_import_id"] = c.sis_import_id
    if view.nickname:
        extra["original_name"] = c.name
    if c.blueprint:
        extra["blueprint_restrictions"] = c.blueprint_restrictions or {"content": True}
        if c.use_blueprint_restrictions_by_object_type:
            extra["blueprint_restrictions_by_object_type"] = c.blueprint_restrictions_by_object_type or {}
    return values, extra


def _values_getter(kind: type) -> Callable[[Any], tuple[Any, ...]]:
    getter = _ROW_VALUES.get(kind)
    if getter is None:
        fields: tuple[str, ...] = getattr(kind, "_fields", ())
        by_position = set(_SOURCES) <= set(fields)
        getter = _ROW_VALUES[kind] = itemgetter(*map(fields.index, _SOURCES)) if by_position else _COURSE_VALUES
    return getter


def _add_includes(body: dict[str, Any], view: CourseView, includes: set[str], origin: str) -> None:
    c = view.course
    if "syllabus_body" in includes:
        body["syllabus_body"] = c.syllabus_body
    if "public_description" in includes:
        body["public_description"] = c.public_description
    if "term" in includes:
        body["term"] = render_term(view.term) if view.term else None
    if "account" in includes and view.account:
        body["account"] = render_account(view.account)
    if "teachers" in includes:
        if view.teachers is None:
            body["teacher_count"] = view.teacher_count
        else:
            body["teachers"] = [render_user_display(u, origin, c.id) for u in view.teachers]
    if "total_students" in includes:
        body["total_students"] = view.total_students
    if "favorites" in includes:
        body["is_favorite"] = bool(view.is_favorite)
    if "sections" in includes and view.sections is not None:
        body["sections"] = [{"id": s.id, "name": s.name, "start_at": iso(s.start_at), "end_at": iso(s.end_at),
                             "enrollment_role": e.type} for s, e in view.sections]
    if "permissions" in includes and view.rights is not None:
        body["permissions"] = {name: view.rights.can(name) for name in sorted(ALL_RIGHTS)}
    if "storage_quota_used_mb" in includes:
        body["storage_quota_used_mb"] = view.storage_used_mb or 0
    if "concluded" in includes:
        body["concluded"] = view.concluded
    if "passback_status" in includes:
        body["passback_status"] = None
    if "course_image" in includes:
        body["image_download_url"] = c.image_url or (f"{origin}/files/{c.image_id}/download" if c.image_id else None)
    if "banner_image" in includes:
        body["banner_image_download_url"] = c.banner_image_url
    if "post_manually" in includes:
        body["post_manually"] = c.post_manually
    if "tabs" in includes:
        body["tabs"] = render_tabs(c.id, origin)
    if "observed_users" in includes and view.observed is not None:
        body["enrollments"].extend(render_course_enrollment(e) for e, _ in view.observed)
    if "course_progress" in includes:
        body["course_progress"] = render_course_progress(view.course_progress, c.id, origin)
    if "needs_grading_count" in includes and view.needs_grading_count is not None:
        body["needs_grading_count"] = view.needs_grading_count
    if "grading_periods" in includes:
        body["grading_periods"] = [
            {"id": p.id, "title": p.title, "start_date": iso(p.start_date), "end_date": iso(p.end_date),
             "workflow_state": "active"} for p in view.grading_periods] if view.grading_periods else None
    if "total_scores" in includes and view.scores is not None:
        by_period = view.period_scores if "current_grading_period_scores" in includes else None
        _add_scores(body, view.scores, view.grading_periods if by_period is not None else None, by_period or {})


def _add_scores(body: dict[str, Any], scores: dict[int, Scores], periods: list[GradingPeriod] | None,
                by_period: dict[int, Scores]) -> None:
    """Student enrollments gain their course totals; with period scores (`periods` given), whether the course has
    grading periods, the one it is in now and their scores in it (`by_period`, per user id; in none: the totals,
    as Canvas gives them then)."""
    period_scores, current = periods is not None, current_period(periods or [])
    if period_scores:
        body["has_grading_periods"] = bool(periods)
    for enrollment in body["enrollments"]:
        found = scores.get(enrollment["user_id"])
        if found is None or enrollment["type"] not in ("student", "student_view"):
            continue
        totals = {"computed_current_score": found.current_score, "computed_final_score": found.final_score,
                  "computed_current_grade": found.current_grade, "computed_final_grade": found.final_grade}
        enrollment.update(totals)
        if period_scores:
            enrollment.update(
                multiple_grading_periods_enabled=bool(periods), has_grading_periods=bool(periods),
                totals_for_all_grading_periods_option=True,
                current_grading_period_title=current.title if current else None,
                current_grading_period_id=current.id if current else None,
                **_period_values(by_period.get(enrollment["user_id"], found)))


def _period_values(found: Scores) -> dict[str, Any]:
    return {"current_period_computed_current_score": found.current_score,
            "current_period_computed_final_score": found.final_score,
            "current_period_computed_current_grade": found.current_grade,
            "current_period_computed_final_grade": found.final_grade}


def render_course_enrollment(e: Enrollment) -> dict[str, Any]:
    body = {"type": enrollment_type_name(e.type), "role": e.type, "role_id": e.role_id, "user_id": e.user_id,
            "enrollment_state": e.workflow_state,
            "limit_privileges_to_course_section": e.limit_privileges_to_course_section}
    if e.associated_user_id:
        body["associated_user_id"] = e.associated_user_id
    return body


def _listed_enrollment(e: Enrollment) -> msgspec.Struct:
    """render_course_enrollment as a msgspec struct (the same JSON)."""
    return ListedEnrollment(enrollment_type_name(e.type), e.type, e.role_id, e.user_id, e.workflow_state,
                            e.limit_privileges_to_course_section, e.associated_user_id or msgspec.UNSET)


def render_term(t: Term) -> dict[str, Any]:
    return {"id": t.id, "name": t.name, "start_at": iso(t.start_at), "end_at": iso(t.end_at),
            "created_at": iso(t.created_at), "workflow_state": t.workflow_state, "grading_period_group_id": None,
            "sis_term_id": t.sis_term_id}


def render_account(a: Account) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "uuid": a.uuid, "parent_account_id": a.parent_account_id,
            "root_account_id": a.root_account_id, "workflow_state": a.workflow_state,
            "default_time_zone": a.default_time_zone, "sis_account_id": a.sis_account_id,
            "integration_id": None, "sis_import_id": a.sis_import_id, "lti_guid": a.uuid,
            "default_storage_quota_mb": 500, "default_user_storage_quota_mb": 50,
            "default_group_storage_quota_mb": 50}


def render_user_display(u: User, origin: str, course_id: int | None = None) -> dict[str, Any]:
    html = f"{origin}/courses/{course_id}/users/{u.id}" if course_id else f"{origin}/users/{u.id}"
    return {"id": u.id, "anonymous_id": format(u.id, "x"), "display_name": u.short_name,
            "avatar_image_url": u.avatar_url or f"{origin}/images/messages/avatar-50.png",
            "html_url": html, "pronouns": u.pronouns}


_TABS = [("home", "Home"), ("announcements", "Announcements"), ("assignments", "Assignments"),
         ("discussions", "Discussions"), ("grades", "Grades"), ("people", "People"), ("pages", "Pages"),
         ("files", "Files"), ("syllabus", "Syllabus"), ("modules", "Modules"), ("settings", "Settings")]


def render_tabs(course_id: int, origin: str) -> list[dict[str, Any]]:
    out = []
    for position, (tab_id, label) in enumerate(_TABS, start=1):
        path = f"/courses/{course_id}" + ("" if tab_id == "home" else f"/{tab_id}")
        out.append({"id": tab_id, "html_url": path, "full_url": origin + path, "position": position,
                    "visibility": "public", "label": label, "type": "internal"})
    return out
