"""Learn's course vocabulary, once: wire names <-> core record fields, enums <-> core values, the
built-in data source, sort keys, id forms, and the table errors are spelled through.

Everything a Learn course body may say is in FIELDS (dotted wire name -> core field, type); the
route flattens the body, `record_changes` checks each field in body order (known, enum, Learn's
documented length) and builds the core change object. Core errors name core words; routes spell
them back as Learn does with `spelled_as(NAMES)`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from courseport.core.courses import courses
from courseport.core.courses.course_records import RecordChanges
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.blackboard.protocol import id_ref, primary_number

# Learn wire name -> (core field of RecordChanges, wire type); updates take all but CREATE_ONLY.
FIELDS: dict[str, tuple[str, type]] = {
    "courseId": ("course_code", str), "organization": ("organization", bool), "ultraStatus": ("course_view", str),
    "externalId": ("external_id", str), "dataSourceId": ("data_source_id", str), "name": ("name", str),
    "description": ("public_description", str), "allowGuests": ("allow_guests", bool),
    "allowObservers": ("allow_observers", bool), "closedComplete": ("concluded", bool), "termId": ("term_id", str),
    "availability.available": ("availability", str), "availability.duration.type": ("duration_kind", str),
    "availability.duration.start": ("duration_start", datetime),
    "availability.duration.end": ("duration_end", datetime),
    "availability.duration.daysOfUse": ("duration_days", int), "enrollment.type": ("enrollment_kind", str),
    "enrollment.start": ("enrollment_start", datetime), "enrollment.end": ("enrollment_end", datetime),
    "enrollment.accessCode": ("access_code", str), "locale.id": ("locale", str), "locale.force": ("locale_force", bool),
}
CREATE_ONLY = ("courseId", "organization", "ultraStatus")
CREATE_TYPES = {name: kind for name, (_, kind) in FIELDS.items()}
UPDATE_TYPES = {name: kind for name, kind in CREATE_TYPES.items() if name not in CREATE_ONLY}
# Learn enum value -> core value, per wire field.
AVAILABILITY = {"Yes": "open", "No": "closed", "Disabled": "disabled", "Term": "by_term"}
DURATION_TYPES = {"Continuous": "continuous", "DateRange": "date_range", "FixedNumDays": "fixed_days",
                  "UseTerm": "use_term"}
ENROLLMENT_TYPES = {"InstructorLed": "instructor_led", "SelfEnrollment": "self_enrolled",
                    "EmailEnrollment": "email_enrolled"}
ULTRA_STATUSES = {"Undecided": "undecided", "Classic": "classic", "Ultra": "ultra", "Ultrapreview": "ultra_preview"}
ENUMS = {"availability.available": AVAILABILITY, "availability.duration.type": DURATION_TYPES,
         "enrollment.type": ENROLLMENT_TYPES, "ultraStatus": ULTRA_STATUSES}
# Learn's documented limits, but name: Learn allows 333, the store keeps a course name's 255.
MAX_LENGTHS = {"courseId": 100, "name": courses.MAX_LENGTHS["name"], "externalId": 256, "dataSourceId": 64,
               "enrollment.accessCode": 50, "locale.id": 16}
# The built-in data source ("SYSTEM") of records no integration claimed (core: no data source).
SYSTEM_DATA_SOURCE = "_2_1"
SYSTEM_SOURCE_KEY = "externalId:SYSTEM"  # the same data source by its external id
SORTABLE = {"courseId": "course_code", "name": "name", "externalId": "external_id", "created": "created",
            "modified": "modified"}
# id_ref kinds -> core record address kinds.
_REF_KINDS = {"id": "id", "courseId": "course_code", "externalId": "external_id", "uuid": "uuid"}
# Core word -> Learn's: every field and enum value above, and the copy target.
NAMES = {core: wire for wire, (core, _) in FIELDS.items()} | {
    core: wire for table in (AVAILABILITY, DURATION_TYPES, ENROLLMENT_TYPES, ULTRA_STATUSES)
    for wire, core in table.items()
} | {"target": "targetCourse"}


def wire_value(table: dict[str, str], core: str) -> str:
    """The Learn enum value for a core value."""
    return next(wire for wire, value in table.items() if value == core)


def record_ref(text: str) -> tuple[str, str | int]:
    """A course path id (`_N_1`, `courseId:x`, `externalId:x`, `uuid:x`) as a core record address."""
    kind, value = id_ref(text)
    return _REF_KINDS[kind], value


def record_changes(fields: dict[str, Any], *, create: bool) -> RecordChanges:
    """The core change object for a flattened Learn body; each field checked in body order."""
    allowed = CREATE_TYPES if create else UPDATE_TYPES
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in allowed:
            raise InvalidInput(name, f"{name} is not a field that may be set")
        if name in ENUMS and value is not None:
            value = enum_value(name, value)
        if name == "termId" and value is not None:
            value = _term_value(value)
        limit = MAX_LENGTHS.get(name)
        if limit and isinstance(value, str) and len(value) > limit:
            raise InvalidInput(name, f"{name} may be at most {limit} characters long")
        changes[FIELDS[name][0]] = value
    made = RecordChanges(**changes)
    if create and "allowGuests" not in fields:  # Classic courses let guests in unless told otherwise
        made = replace(made, allow_guests=fields.get("ultraStatus") == "Classic")
    return made


def term_ref(text: str) -> str | None:
    """A term id form (`_N_1`, `externalId:x`) as a core term reference; None for any other text."""
    number = primary_number(text)
    if number is not None:
        return str(number)
    kind, colon, value = text.partition(":")
    return f"sis_term_id:{value}" if colon and kind == "externalId" and value else None


def _term_value(value: Any) -> str:
    ref = term_ref(value) if isinstance(value, str) else None
    if ref is None:
        raise InvalidInput("termId", f"termId {value!r} names no term")
    return ref


def enum_value(name: str, value: str) -> str:
    """The core value of a Learn enum field's wire value; InvalidInput naming the field otherwise."""
    table = ENUMS[name]
    if value not in table:
        raise InvalidInput(name, f"{name} must be one of {', '.join(table)}, got {value!r}")
    return table[value]
