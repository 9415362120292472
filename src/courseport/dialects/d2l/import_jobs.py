"""Course import job routes (le unstable, and 1.5+): upload a course package into an offering as a
multipart `file` part, read the job's status; `callbackUrl` gets the job block when it ends.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Response
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from courseport.blobs import TooLarge
from courseport.core import offering_imports
from courseport.core.errors import InvalidInput
from courseport.core.job_callbacks import Callback
from courseport.core.outbound import check_url
from courseport.dialects.d2l.job_json import IMPORT_STATES, render_import_job
from courseport.dialects.d2l.protocol import Call, get, post, route_id
from courseport.schema import Job

BASE = "/api/le/{version:str}/import/{org_unit_id:str}/imports"
OPT = {"since": "1.5", "unstable": True}
_CHUNK = 1024 * 1024


def _stored(call: Call, upload: UploadFile) -> str:
    """The uploaded package streamed into the blob store; its sha256."""
    def chunks():  # noqa: ANN202
        while chunk := upload.file.read(_CHUNK):
            yield chunk
    try:
        return call.services.blobs.put_stream(chunks(), call.services.settings.max_upload_bytes).sha256
    except TooLarge:
        raise InvalidInput("file", "The course package is too large.") from None


@post(BASE, opt=OPT, status_code=200)
def create_import_job(call: Call, version: str, org_unit_id: str,
                      data: Annotated[dict, Body(media_type=RequestEncodingType.MULTI_PART)]) -> dict:
    target_id = route_id(org_unit_id, "target org unit")
    upload = data.get("file")
    if not isinstance(upload, UploadFile):
        raise InvalidInput("file", "Send the course package as the multipart part named file.")
    url = call.query.get("callbackUrl")

    def callback(job: Job) -> Callback:
        return Callback(url, render_import_job(job), "Status", IMPORT_STATES, call.services.settings.outbound_allow)

    sha = _stored(call, upload)
    with call.write() as (db, me):
        job = offering_imports.queue_import(db, me, target_id, sha, upload.filename,
                                            callback if url and check_url(url, "callbackUrl") else None)
        token = str(job.id)
    call.services.jobs.notify()
    return {"JobToken": token}


@get(BASE + "/{job_token:str}", opt=OPT)
def get_import_job(call: Call, version: str, org_unit_id: str, job_token: str) -> dict:
    target_id = route_id(org_unit_id, "target org unit")
    with call.read() as (db, me):
        return render_import_job(offering_imports.import_job(db, me, target_id, job_token))


ROUTES = [create_import_job, get_import_job]
