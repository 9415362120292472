"""Course copy job routes (le 1.5+): queue a copy into an offering, read the job's status.

When the request names a CallbackUrl, a CopyJobComplete block is posted there once the copy ends.
"""

from __future__ import annotations

from litestar import Response

from courseport.core.copy import offering_copies
from courseport.core.jobs.job_callbacks import Callback
from courseport.core.kit.outbound import OutboundPolicy, check_url
from courseport.dialects.d2l.job_json import COPY_STATES, copy_status, render_copy_complete
from courseport.dialects.d2l.protocol import (
    D2LID,
    OPTIONAL_STRING,
    OPTIONAL_STRINGS,
    Call,
    block_fields,
    get,
    post,
    route_id,
)
from courseport.schema import Job

BASE = "/api/le/{version:str}/import/{org_unit_id:str}/copy"
SINCE = {"since": "1.5"}
SPEC = {"SourceOrgUnitId": (D2LID, True), "Components": (OPTIONAL_STRINGS, False),
        "CallbackUrl": (OPTIONAL_STRING, False)}


def _callback(call: Call, url: str):  # noqa: ANN202
    def build(job: Job) -> Callback:
        return Callback(url, render_copy_complete(job), "Status", COPY_STATES,
                        call.services.settings.outbound_allow)
    return build


@post(BASE, opt=SINCE, status_code=202)
def create_copy_job(call: Call, version: str, org_unit_id: str) -> Response:
    target_id = route_id(org_unit_id, "target org unit")
    f = block_fields(call.block(), SPEC)
    policy = OutboundPolicy(allow=call.services.settings.outbound_allow)
    callback = _callback(call, check_url(f["CallbackUrl"], "CallbackUrl", policy)) if f["CallbackUrl"] else None
    with call.write() as (db, me):
        job = offering_copies.queue_offering_copy(db, me, target_id, f["SourceOrgUnitId"], f["Components"], callback)
        token = str(job.id)
    call.services.jobs.notify()
    return Response({"JobToken": token}, status_code=202)


@get(BASE + "/{job_token:str}", opt=SINCE)
def get_copy_job(call: Call, version: str, org_unit_id: str, job_token: str) -> dict:
    target_id = route_id(org_unit_id, "target org unit")
    with call.read() as (db, me):
        return {"Status": copy_status(offering_copies.copy_job(db, me, target_id, job_token))}


ROUTES = [create_copy_job, get_copy_job]
