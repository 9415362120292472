"""Course Service routes for courses and versions: list, get, delete, retitle, versions, zip."""

from __future__ import annotations

import re
from typing import Any, cast

from litestar import Response
from litestar.response import Stream

from courseport.core.packages import registrations, scorm_courses
from courseport.core.packages.scorm_courses import CourseFilters
from courseport.dialects.scorm_cloud.course_json import render_course
from courseport.dialects.scorm_cloud.fields import scorm_fields
from courseport.dialects.scorm_cloud.json_types import check_types, listing_state
from courseport.dialects.scorm_cloud.protocol import (
    Call,
    decode_more,
    delete,
    encode_more,
    get,
    get_writing,
    put,
    to_datetime,
)


def _listing(call: Call) -> dict[str, Any]:
    """The listing asked for: from the `more` token (which carries the filters) or the parameters."""
    if call.str("more"):
        return listing_state(decode_more(cast(str, call.str("more"))))  # given: checked just above
    filters = {"since": call.str("since"), "until": call.str("until"), "tags": call.csv("tags"),
               "datetime_filter": call.str("datetimeFilter") or "updated", "filter": call.str("filter"),
               "filter_by": call.str("filterBy") or "course_id", "order_by": call.str("orderBy") or "creation_date_asc"}
    call.datetime("since"), call.datetime("until")  # refuse a bad date now, not on the next page
    return {"filters": filters, "offset": 0, "metadata": call.bool("includeCourseMetadata"),
            "registrations": call.bool("includeRegistrationCount"), "total": call.bool("includeTotalCount")}


def _filters(state: dict[str, Any]) -> CourseFilters:
    f = dict(state.get("filters") or {})
    return CourseFilters(since=to_datetime(f.get("since"), "since"), until=to_datetime(f.get("until"), "until"),
                         datetime_filter=f.get("datetime_filter", "updated"), tags=tuple(f.get("tags") or ()),
                         filter=f.get("filter"), filter_by=f.get("filter_by", "course_id"),
                         order_by=f.get("order_by", "creation_date_asc"))


@get("/courses")
def list_courses(call: Call) -> Response:
    state = _listing(call)
    offset = int(state.get("offset") or 0)
    with scorm_fields(), call.read() as (db, me):
        page = scorm_courses.list_courses(db, me, _filters(state), offset, count=bool(state.get("total")))
        if state.get("registrations"):
            registrations.count_registrations(db, page.items)
    body: dict[str, Any] = {"courses": [render_course(v, metadata=bool(state.get("metadata")),
                                                      registrations=bool(state.get("registrations")))
                                        for v in page.items]}
    if page.has_more:
        body["more"] = encode_more({**state, "offset": offset + len(page.items), "total": False})
    headers = {"X-Total-Count": str(page.total)} if page.total is not None else {}
    return Response(body, headers=headers)


@get("/courses/{course_id:str}")
def get_course(call: Call, course_id: str) -> dict:
    with call.read() as (db, me):
        view = scorm_courses.get_course(db, me, course_id)
        registrations.count_registrations(db, [view])
    return render_course(view, metadata=call.bool("includeCourseMetadata"),
                         registrations=call.bool("includeRegistrationCount"))


@delete("/courses/{course_id:str}")
def delete_course(call: Call, course_id: str) -> None:
    with call.remove() as (db, me):
        scorm_courses.delete_course(db, me, course_id)


@put("/courses/{course_id:str}/title")
def set_course_title(call: Call, course_id: str) -> None:
    title = check_types(call.json("title"), {"title": str}).get("title")
    with call.write() as (db, me):
        scorm_courses.set_title(db, me, course_id, title)


@get("/courses/{course_id:str}/versions")
def list_versions(call: Call, course_id: str) -> dict:
    since, until = call.datetime("since"), call.datetime("until")
    with call.read() as (db, me):
        views = scorm_courses.list_versions(db, me, course_id, since, until)
    return {"courses": [render_course(v, metadata=call.bool("includeCourseMetadata"), per_version=True,
                                      registrations=call.bool("includeRegistrationCount")) for v in views]}


@get("/courses/{course_id:str}/versions/{version:int}")
def get_version(call: Call, course_id: str, version: int) -> dict:
    with call.read() as (db, me):
        view = scorm_courses.get_version(db, me, course_id, version)
    return render_course(view, metadata=call.bool("includeCourseMetadata"), per_version=True,
                         registrations=call.bool("includeRegistrationCount"))


@delete("/courses/{course_id:str}/versions/{version:int}")
def delete_version(call: Call, course_id: str, version: int) -> None:
    with call.remove() as (db, me):
        scorm_courses.delete_version(db, me, course_id, version)


def _zip(call: Call, course_id: str, version: int | None) -> Stream:
    with call.read() as (db, me):
        files = scorm_courses.package_files(db, me, course_id, version)
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", course_id) or "course"
    return Stream(scorm_courses.zip_chunks(call.services.blobs, files), media_type="application/zip",
                  headers={"Content-Type": "application/zip",
                           "Content-Disposition": f'attachment; filename="{name}.zip"'})


@get_writing("/courses/{course_id:str}/zip")
def get_course_zip(call: Call, course_id: str) -> Stream:
    return _zip(call, course_id, None)


@get_writing("/courses/{course_id:str}/versions/{version:int}/zip")
def get_version_zip(call: Call, course_id: str, version: int) -> Stream:
    return _zip(call, course_id, version)


ROUTES = [list_courses, get_course, delete_course, set_course_title, list_versions, get_version, delete_version,
          get_course_zip, get_version_zip]
