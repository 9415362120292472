"""Export a course as an IMS Common Cartridge: a button on the course page queues the export job, whose
page offers the cartridge for download once it is written (`core/packages/course_exports.py`)."""

from __future__ import annotations

from litestar import Request, Response, post
from litestar.response import Redirect
from sqlalchemy.orm import Session

from courseport.core.content import files
from courseport.core.packages import course_exports
from courseport.schema import Job
from courseport.web.console.session import checked_form, in_thread, services_of, signed_in


@post("/console/courses/{course_id:int}/export")
async def start_export(request: Request, course_id: int) -> Response:
    await checked_form(request)
    job_id = await in_thread(_queue, request, course_id)
    services_of(request).jobs.notify()
    return Redirect(f"/console/jobs/{job_id}", status_code=303)


def _queue(request: Request, course_id: int) -> int:
    with signed_in(request, write=True) as (db, me):
        return course_exports.queue_export(db, me, course_id, "common_cartridge").id


def download_link(db: Session, request: Request, job: Job) -> str | None:
    """Where a finished export's cartridge downloads from (its URL carries the file's verifier)."""
    if job.kind != course_exports.KIND:
        return None
    file = course_exports.exported_file(db, job)
    if file is None:
        return None
    verifier = files.file_verifier(services_of(request).secret, file)
    return f"/api/v1/files/{file.id}/download?download_frd=1&verifier={verifier}"


ROUTES = [start_export]
