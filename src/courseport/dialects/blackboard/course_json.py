"""The Learn Course object (CourseV2 of the swagger); fields with no value are left out, as Learn does."""

from __future__ import annotations

from typing import Any

from courseport.core.courses import course_records
from courseport.dialects.blackboard.course_fields import (
    AVAILABILITY,
    DURATION_TYPES,
    ENROLLMENT_TYPES,
    SYSTEM_DATA_SOURCE,
    ULTRA_STATUSES,
    wire_value,
)
from courseport.dialects.blackboard.protocol import iso, learn_id
from courseport.schema import Course


def render_course(course: Course, origin: str) -> dict[str, Any]:
    page = f"{origin}/courses/{course.id}"
    body = {
        "id": learn_id(course.id), "uuid": course.uuid, "externalId": course.external_id or course.course_code,
        "dataSourceId": course.data_source_id or SYSTEM_DATA_SOURCE, "courseId": course.course_code,
        "name": course.name, "description": course.public_description, "created": iso(course.created_at),
        "modified": iso(course.updated_at), "organization": course.organization,
        "ultraStatus": wire_value(ULTRA_STATUSES, course.course_view), "allowGuests": course.allow_guests,
        "allowObservers": course.allow_observers, "closedComplete": course.workflow_state == "completed",
        "termId": learn_id(course.enrollment_term_id),
        "availability": {"available": wire_value(AVAILABILITY, course_records.availability_of(course)),
                         "duration": _duration(course)},
        "enrollment": _enrollment(course),
        "locale": _dropped_nulls({"id": course.locale, "force": course_records.locale_force(course)}),
        "hasChildren": False, "externalAccessUrl": page,
        "guestAccessUrl": page if course.allow_guests else None,
        "copyHistory": [{"uuid": u} for u in course_records.copy_history_of(course)] or None,
    }
    return _dropped_nulls(body)


def _duration(course: Course) -> dict[str, Any]:
    duration = course_records.duration_of(course)
    return _dropped_nulls({"type": wire_value(DURATION_TYPES, duration.kind), "start": iso(duration.start),
                           "end": iso(duration.end), "daysOfUse": duration.days})


def _enrollment(course: Course) -> dict[str, Any]:
    options = course_records.enrollment_of(course)
    return _dropped_nulls({"type": wire_value(ENROLLMENT_TYPES, options.kind), "start": options.start,
                           "end": options.end, "accessCode": options.access_code})


def _dropped_nulls(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if v is not None}
