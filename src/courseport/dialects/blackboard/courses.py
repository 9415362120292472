"""Learn Courses API routes (v3, and the v1/v2 paths of the same operations): list, create, get,
update, delete. Courses are addressed by `_N_1`, `courseId:`, `externalId:` or `uuid:`.
"""

from __future__ import annotations

from litestar import Response

from courseport.core.courses import course_records
from courseport.core.courses.course_records import RecordFilters
from courseport.core.kit.errors import InvalidInput, spelled_as
from courseport.dialects.blackboard import entitlements as entitled
from courseport.dialects.blackboard.course_fields import (
    AVAILABILITY,
    CREATE_TYPES,
    NAMES,
    SORTABLE,
    SYSTEM_DATA_SOURCE,
    UPDATE_TYPES,
    record_changes,
    record_ref,
)
from courseport.dialects.blackboard.course_json import render_course
from courseport.dialects.blackboard.protocol import (
    COMPARES,
    Call,
    delete,
    get,
    on_versions,
    patch,
    post,
    primary_number,
)


def record_filters(call: Call) -> RecordFilters:
    term = call.str("termId")
    term_id = primary_number(term) if term else None
    if term and term_id is None:
        raise InvalidInput("termId", f"termId must be a primary id such as _1_1, got {term!r}")
    for name in ("createdCompare", "modifiedCompare"):
        if call.str(name) and call.str(name) not in COMPARES:
            raise InvalidInput(name, f"{name} must be one of {', '.join(COMPARES)}")
    source, available = call.str("dataSourceId"), call.str("availability.available")
    return RecordFilters(
        course_code=call.str("courseId"), name=call.str("name"), description=call.str("description"),
        external_id=call.str("externalId"), data_source_id=source, unclaimed_too=source == SYSTEM_DATA_SOURCE,
        term_id=term_id, availability=AVAILABILITY.get(available, available) if available else None,
        allow_guests=call.bool("allowGuests"),
        organization=call.bool("organization"), created=call.datetime("created"),
        created_before=call.str("createdCompare") == "lessThan", modified=call.datetime("modified"),
        modified_before=call.str("modifiedCompare") == "lessThan", sort=call.order(SORTABLE),
    )


def list_courses(call: Call) -> dict:
    window, filters = call.window(), record_filters(call)
    with call.read() as (db, me), spelled_as(NAMES):
        page = course_records.list_records(db, me, filters, window)
    return call.paged([render_course(c, call.origin) for c in page.items], window, page)


def create_course(call: Call) -> dict:
    fields = call.body_fields(CREATE_TYPES)
    with call.write(*entitled.COURSE_CREATE) as (db, me), spelled_as(NAMES):
        course = course_records.create_record(db, me, record_changes(fields, create=True))
    return call.pick(render_course(course, call.origin))


def get_course(call: Call, course_id: str) -> dict:
    with call.read() as (db, me):
        course = course_records.readable_record(db, me, *record_ref(course_id))
    return call.pick(render_course(course, call.origin))


def update_course(call: Call, course_id: str) -> dict:
    fields = call.body_fields(UPDATE_TYPES)
    with call.write(*entitled.COURSE_MODIFY) as (db, me), spelled_as(NAMES):
        course = course_records.resolve_record(db, *record_ref(course_id), me)  # an unknown course before bad fields
        course = course_records.update_record(db, me, course, record_changes(fields, create=False))
    return call.pick(render_course(course, call.origin))


def delete_course(call: Call, course_id: str) -> Response:
    with call.write(*entitled.COURSE_DELETE) as (db, me):
        course_records.delete_record(db, me, *record_ref(course_id))
    # v3 registers the deletion as a task (202); the older versions answered 204.
    return Response(b"", status_code=202 if call.path.startswith("/learn/api/public/v3/") else 204)


ROUTES = [
    *on_versions(get, "/courses", list_courses), *on_versions(post, "/courses", create_course, status_code=201),
    *on_versions(get, "/courses/{course_id:str}", get_course),
    *on_versions(patch, "/courses/{course_id:str}", update_course),
    *on_versions(delete, "/courses/{course_id:str}", delete_course, status_code=202),
]
