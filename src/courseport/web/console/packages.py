"""Packages: upload a SCORM, cmi5 or xAPI package (with a progress bar), watch its import job, and read a
packaged course's versions, configuration (where each value comes from), tags, files and statements,
and open its preview in the player."""

from __future__ import annotations

from typing import cast

from litestar import Request, Response, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.response import Redirect

from courseport.blobs import StoredBlob
from courseport.core.kit.errors import InvalidInput
from courseport.core.packages import package_imports, package_settings, previews, scorm_courses, statements
from courseport.core.packages.scorm_courses import CourseFilters
from courseport.dialects.multipart_upload import ReceivedUpload, receive_upload
from courseport.web.console.registrations import registrations_of
from courseport.web.console.session import (
    CSRF_REFUSED,
    checked_form,
    csrf_matches,
    in_thread,
    render,
    services_of,
    signed_in,
)

CSRF_HEADER = "x-csrf-token"
PREVIEW_SECONDS = 300  # the longest a preview link lasts (previews.EXPIRY_RANGE)


@get("/console/packages", sync_to_thread=True)
def package_list(request: Request) -> Response:
    with signed_in(request) as (db, me):
        found = scorm_courses.list_courses(db, me, CourseFilters(order_by="creation_date_desc"), 0, count=True)
        return render(request, "packages.html", me=me, title="Packages", packages=found)


@post("/console/packages", request_max_body_size=None)
async def upload_package(request: Request) -> Response:
    """The upload streams to the blob store, so its CSRF token comes in a header (console.js sends the
    form's token there) and is checked before the package is read."""
    if not csrf_matches(request, request.headers.get(CSRF_HEADER)):
        raise PermissionDeniedException(CSRF_REFUSED)
    settings = services_of(request).settings
    upload = await receive_upload(request, services_of(request).blobs.open_writer(settings.max_upload_bytes))
    job_id = await in_thread(_queue_import, request, upload)
    return Redirect(f"/console/jobs/{job_id}", status_code=303)


def _queue_import(request: Request, upload: ReceivedUpload) -> int:
    if upload.stored is None:
        raise InvalidInput("file", "Choose a package file to upload.")
    options = package_imports.ImportOptions(course_id=(upload.fields.get("course_id") or "").strip(),
                                            may_create_new_version=upload.fields.get("new_version") == "yes")
    with signed_in(request, write=True) as (db, me):
        return package_imports.queue_upload(db, me, options, cast(StoredBlob, upload.stored), upload.filename,
                                            upload.content_type).id


@get("/console/packages/{course_id:str}", sync_to_thread=True)
def package_page(request: Request, course_id: str) -> Response:
    with signed_in(request) as (db, me):
        view = scorm_courses.get_course(db, me, course_id)
        found, _ = statements.list_statements(db, me, course_id, None, statements.StatementFilter())
        return render(request, "package.html", me=me, title=view.version.title, view=view,
                      versions=scorm_courses.list_versions(db, me, course_id),
                      configuration=package_settings.get_configuration(db, me, course_id),
                      files=scorm_courses.package_files(db, me, course_id), statements=found,
                      **registrations_of(db, me, request, course_id))


@post("/console/packages/{course_id:str}/preview")
async def open_preview(request: Request, course_id: str) -> Response:
    await checked_form(request)
    token = await in_thread(_preview_token, request, course_id)
    return Redirect(f"/preview/{token}", status_code=303)


def _preview_token(request: Request, course_id: str) -> str:
    with signed_in(request) as (db, me):
        launch = previews.LaunchRequest(expiry=PREVIEW_SECONDS, redirect_on_exit_url="message")
        return previews.preview_link(db, me, services_of(request).secret, course_id, None, launch)


ROUTES = [package_list, upload_package, package_page, open_preview]
