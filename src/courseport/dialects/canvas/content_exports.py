"""Canvas Content Exports API routes: export a course as a Common Cartridge (a background job), list and
show exports (`core/packages/course_exports.py`); the finished export's attachment is the cartridge."""

from __future__ import annotations

from typing import Any

from litestar import Response
from sqlalchemy.orm import Session

from courseport.core.packages import course_exports
from courseport.dialects.canvas.files import render_file
from courseport.dialects.canvas.protocol import Call, get, get_writing, iso, post
from courseport.schema import Job

_STATES = {"queued": "created", "waiting": "created", "running": "exporting", "completed": "exported",
           "failed": "failed"}


def render_export(db: Session, job: Job, call: Call) -> dict[str, Any]:
    """Canvas's ContentExport; `attachment` once the cartridge is written."""
    body: dict[str, Any] = {
        "id": job.id, "created_at": iso(job.created_at), "export_type": job.payload.get("export_type"),
        "progress_url": f"{call.origin}/api/v1/progress/{job.id}", "user_id": job.user_id,
        "workflow_state": _STATES.get(job.state, job.state)}
    file = course_exports.exported_file(db, job)
    if file is not None:
        body["attachment"] = render_file(file, call.origin, call.services.secret)
    return body


@post("/courses/{course_id:str}/content_exports", status_code=200)
def create_export(call: Call, course_id: str) -> dict:
    with call.write() as (db, me):
        body = render_export(db, course_exports.queue_export(db, me, course_id, call.str("export_type")), call)
    call.services.jobs.notify()
    return body


@get("/courses/{course_id:str}/content_exports")
def list_exports(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = course_exports.list_exports(db, me, course_id, window)
        return call.paged([render_export(db, job, call) for job in page.items], window, page)


@get_writing("/courses/{course_id:str}/content_exports/{export_id:str}")  # a status read counts polls
def show_export(call: Call, course_id: str, export_id: str) -> dict:
    with call.read() as (db, me):
        return render_export(db, course_exports.export_job(db, me, course_id, export_id), call)


ROUTES = [create_export, list_exports, show_export]
