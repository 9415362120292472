"""Canvas Progress objects (batch course updates) and the batch update route that makes one."""

from __future__ import annotations

from typing import Any

from courseport.core.courses import batch_updates
from courseport.core.jobs import job_reads, job_timing, jobs
from courseport.core.kit.errors import spelled_as
from courseport.dialects.canvas.protocol import Call, get_writing, iso, put
from courseport.schema import Job

_STATES = {"queued": "queued", "waiting": "queued", "running": "running", "completed": "completed",
           "failed": "failed"}
_TAGS = {"course_copy": "content_migration"}  # Canvas tags a copy's progress as its migration


def render_progress(job: Job, origin: str) -> dict[str, Any]:
    return {
        "id": job.id, "context_id": job.context_id, "context_type": job.context_type, "user_id": job.user_id,
        "tag": _TAGS.get(job.kind, job.kind), "completion": round(job.progress, 1),
        "workflow_state": _STATES.get(job.state, job.state),
        "created_at": iso(job.created_at), "updated_at": iso(job.updated_at),
        "message": job.error if job.state == "failed" else job.message, "results": job.result,
        "url": f"{origin}/api/v1/progress/{job.id}",
    }


@put("/accounts/{account_id:int}/courses")
def batch_update_courses(call: Call, account_id: int) -> dict:
    with call.write() as (db, me), spelled_as({"course_ids": "course_ids[]"}):
        job = batch_updates.queue_batch_update(db, me, account_id, call.list("course_ids[]"), call.str("event"))
    call.services.jobs.notify()
    return render_progress(job, call.origin)


@get_writing("/progress/{progress_id:int}")  # a status read counts polls (job_timing)
def get_progress(call: Call, progress_id: int) -> dict:
    with call.read() as (db, me):
        job = jobs.get_job(db, progress_id)
        if job.user_id != me.id:
            job_reads.require_job_reader(db, me, job)
        job = job_timing.status_read(db, job)
    return render_progress(job, call.origin)


ROUTES = [batch_update_courses, get_progress]
