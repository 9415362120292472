"""Course import job routes (le unstable, and 1.5+): upload a course package into an offering as a
multipart `file` part, read the job's status; `callbackUrl` gets the job block when it ends.

The caller is authenticated and authorised (and `callbackUrl` checked) before any of the body is
read; the package is then streamed into the blob store by the one multipart receiver, so it may be
as large as `max_upload_bytes` (as on the SCORM face) and is never held whole.
"""

from __future__ import annotations

from typing import cast

import anyio
import litestar
from litestar import Request

from courseport.blobs import StoredBlob
from courseport.core.courses import course_offerings
from courseport.core.jobs.job_callbacks import Callback
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.outbound import OutboundPolicy, check_url
from courseport.core.packages import offering_imports
from courseport.dialects.d2l.job_json import IMPORT_STATES, render_import_job
from courseport.dialects.d2l.protocol import Call, bodyless_call, get_writing, route_id
from courseport.dialects.multipart_upload import ReceivedUpload, receive_upload
from courseport.schema import Job

BASE = "/api/le/{version:str}/import/{org_unit_id:str}/imports"
OPT = {"since": "1.5", "unstable": True}
TOO_LARGE = "The course package is too large (more than {max_bytes} bytes)."


@litestar.post(BASE, opt=OPT, status_code=200, request_max_body_size=None)
async def create_import_job(request: Request, version: str, org_unit_id: str) -> dict:
    call = bodyless_call(request)
    target_ou = route_id(org_unit_id, "target org unit")
    await anyio.to_thread.run_sync(_check, call, target_ou)
    writer = call.services.blobs.open_writer(call.services.settings.max_upload_bytes)
    upload = await receive_upload(request, writer, too_large=TOO_LARGE)
    if upload.stored is None:
        raise InvalidInput("file", "Send the course package as the multipart part named file.")
    token = await anyio.to_thread.run_sync(_queue, call, target_ou, upload)
    call.services.jobs.notify()
    return {"JobToken": token}


def _check(call: Call, target_ou: int) -> None:
    """Refuse (credentials, no such offering, no right, a bad callbackUrl) before the body is read."""
    with call.read() as (db, me):
        offering_imports.check_import(db, me, course_offerings.offering_course_id(db, target_ou))
    if url := call.query.get("callbackUrl"):
        check_url(url, "callbackUrl", OutboundPolicy(allow=call.services.settings.outbound_allow))


def _queue(call: Call, target_ou: int, upload: ReceivedUpload) -> str:
    url = call.query.get("callbackUrl")

    def callback(job: Job) -> Callback:
        return Callback(cast(str, url), render_import_job(job, target_ou), "Status", IMPORT_STATES,  # only with a url
                        call.services.settings.outbound_allow)

    with call.write() as (db, me):
        stored = cast(StoredBlob, upload.stored)  # create_import_job refused an upload without one
        target = course_offerings.offering_course_id(db, target_ou)
        job = offering_imports.queue_import(db, me, target, stored.sha256, upload.filename,
                                            callback if url else None)
        return str(job.id)


@get_writing(BASE + "/{job_token:str}", opt=OPT)
def get_import_job(call: Call, version: str, org_unit_id: str, job_token: str) -> dict:
    target_ou = route_id(org_unit_id, "target org unit")
    with call.read() as (db, me):
        target = course_offerings.offering_course_id(db, target_ou)
        return render_import_job(offering_imports.import_job(db, me, target, job_token), target_ou)


ROUTES = [create_import_job, get_import_job]
