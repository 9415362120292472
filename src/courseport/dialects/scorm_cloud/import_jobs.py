"""Course Service import jobs: upload (the body streamed into the blob store), fetch, noUpload
(fetch or media reference), and their status."""

from __future__ import annotations

import json
from typing import Any, cast

import anyio
import litestar
from litestar import Request

from courseport.blobs import StoredBlob
from courseport.core.jobs.job_callbacks import Callback
from courseport.core.kit.errors import InvalidInput
from courseport.core.packages import package_imports
from courseport.core.packages.package_imports import ImportOptions
from courseport.core.packages.packages import MediaDetails
from courseport.dialects.multipart_upload import ReceivedUpload, receive_upload
from courseport.dialects.scorm_cloud.course_json import render_import_job
from courseport.dialects.scorm_cloud.fields import scorm_fields
from courseport.dialects.scorm_cloud.json_types import check_types
from courseport.dialects.scorm_cloud.protocol import Call, bodyless_call, get_writing, post
from courseport.schema import Job

_MEDIA = {"title": str, "description": str, "contentLanguage": str, "estimatedDuration": int}
POSTBACK_STATES = {"completed": "COMPLETE", "failed": "ERROR"}
# The import result in the postback: body fields from the job's result keys.
POSTBACK_RESULT = {"importResult": {
    "webPathToCourse": "web_path", "parserWarnings": "warnings", "courseLanguages": "languages",
    "course": {"id": "course_id", "title": "title", "version": "version"}}}


def import_options(call: Call) -> ImportOptions:
    url, allow = call.str("postbackUrl"), call.services.settings.outbound_allow

    def postback(job: Job) -> Callback:
        return Callback(cast(str, url), {"jobId": str(job.id)}, "status", POSTBACK_STATES, allow, error_field="message",
                        result_shape=POSTBACK_RESULT)

    return ImportOptions(course_id=call.str("courseId") or "", postback_url=url, postback=postback, allow=allow,
                         may_create_new_version=call.bool("mayCreateNewVersion"), tags=tuple(call.csv("tags")))


def _media(node: Any, field: str) -> MediaDetails:
    """MediaFileMetadataSchema (or the upload's contentMetadata) as core's media details."""
    if node is None:
        return MediaDetails()
    if not isinstance(node, dict):
        raise InvalidInput(field, f"{field} must be an object")
    check_types(node, _MEDIA, f"{field}.")
    return MediaDetails(title=node.get("title"), description=node.get("description"),
                        language=node.get("contentLanguage"), duration_seconds=node.get("estimatedDuration"))


def _request(body: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """An import request's url and contentType, checked as strings (a wrong type is a 400 naming it)."""
    return check_types(body, {"url": str, "contentType": str, "mediaFileMetadata": dict}, prefix)


def _queued(call: Call, job_id: int) -> dict:
    call.services.jobs.notify()
    return {"result": str(job_id)}


@post("/courses/importJobs")
def create_fetch_import(call: Call) -> dict:
    request, options = _request(call.json("importRequest")), import_options(call)
    with scorm_fields(), call.write() as (db, me):
        job = package_imports.queue_fetch(db, me, options, request.get("url"), request.get("contentType"),
                                          _media(request.get("mediaFileMetadata"), "mediaFileMetadata"))
    return _queued(call, job.id)


@post("/courses/importJobs/noUpload")
def create_no_upload_import(call: Call) -> dict:
    request, options = call.json("importRequest"), import_options(call)
    fetch, reference = request.get("fetchRequest"), request.get("mediaFileReferenceRequest")
    if request.get("connectorReferenceRequest"):
        raise InvalidInput("connectorReferenceRequest", "content connectors are not supported")
    if not isinstance(fetch or reference, dict):
        raise InvalidInput("importRequest", "importRequest needs a fetchRequest or a mediaFileReferenceRequest")
    queue = package_imports.queue_fetch if fetch else package_imports.queue_reference
    spec = _request(cast(dict[str, Any], fetch or reference),  # a dict: checked above
                    "fetchRequest." if fetch else "mediaFileReferenceRequest.")
    with scorm_fields(), call.write() as (db, me):
        job = queue(db, me, options, spec.get("url"), spec.get("contentType"),
                    _media(spec.get("mediaFileMetadata"), "mediaFileMetadata"))
    return _queued(call, job.id)


@litestar.post("/courses/importJobs/upload", status_code=200, request_max_body_size=None)
async def create_upload_import(request: Request) -> dict:
    call = bodyless_call(request)
    options = import_options(call)
    await anyio.to_thread.run_sync(_check_upload, call, options)
    settings = call.services.settings
    upload = await receive_upload(request, call.services.blobs.open_writer(settings.max_upload_bytes))
    if upload.stored is None:
        raise InvalidInput("file", "file is required")
    return await anyio.to_thread.run_sync(_queue_upload, call, options, upload)  # refused: the collector's


def _check_upload(call: Call, options: ImportOptions) -> None:
    """Refuse (credentials, scope, courseId, 409) before the package is received."""
    with scorm_fields(), call.read(scopes=("write", "write:course")) as (db, me):
        package_imports.check_import(db, me, options)


def _queue_upload(call: Call, options: ImportOptions, upload: ReceivedUpload) -> dict:
    media = _content_metadata(upload.fields.get("contentMetadata"))
    content_type = call.headers.get("uploadedcontenttype") or upload.content_type
    with scorm_fields(), call.write() as (db, me):
        stored = cast(StoredBlob, upload.stored)  # create_upload_import refused an upload without one
        job = package_imports.queue_upload(db, me, options, stored, upload.filename, content_type, media)
    return _queued(call, job.id)


def _content_metadata(text: str | None) -> MediaDetails:
    if not text:
        return MediaDetails()
    try:
        return _media(json.loads(text), "contentMetadata")
    except ValueError:
        raise InvalidInput("contentMetadata", "contentMetadata must be a JSON object") from None


@get_writing("/courses/importJobs/{job_id:str}")  # a status read counts polls (job timing): it may write
def get_import_job(call: Call, job_id: str) -> dict:
    with call.read() as (db, me):
        outcome = package_imports.import_status(db, me, job_id)
        return render_import_job(outcome, call.origin)


ROUTES = [create_fetch_import, create_no_upload_import, create_upload_import, get_import_job]
