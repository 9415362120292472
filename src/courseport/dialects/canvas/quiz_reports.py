"""Canvas Quiz Reports API routes: a classic quiz's student or item analysis as a CSV made by a background
job (`core/coursework/quiz_reports.py`); the report's `file` is the CSV, its `progress` the job."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from courseport.core.coursework import quiz_reports
from courseport.core.kit.errors import spelled_as
from courseport.dialects.canvas.files import render_file
from courseport.dialects.canvas.progress import render_progress
from courseport.dialects.canvas.protocol import Call, delete, get, get_writing, iso, post
from courseport.schema import Job

_REPORTS = "/courses/{course_id:str}/quizzes/{quiz_id:str}/reports"
_NAMES = {"report_type": "quiz_report[report_type]"}


def render_report(db: Session, job: Job, call: Call) -> dict[str, Any]:
    """Canvas's QuizReport; `file` (once made) and `progress` when include[] asks for them."""
    payload, wanted = job.payload, set(call.list("include[]"))
    report_type = payload.get("report_type") or ""
    course_id = payload.get("course_id")
    body: dict[str, Any] = {
        "id": job.id, "quiz_id": job.context_id, "report_type": report_type,
        "readable_type": report_type.replace("_", " ").title(),
        "includes_all_versions": bool(payload.get("includes_all_versions")),
        "anonymous": bool(payload.get("anonymous")), "generatable": True,
        "created_at": iso(job.created_at), "updated_at": iso(job.updated_at),
        "url": f"{call.origin}/api/v1/courses/{course_id}/quizzes/{job.context_id}/reports/{job.id}",
        "progress_url": f"{call.origin}/api/v1/progress/{job.id}"}
    file = quiz_reports.report_file(db, job)
    if "file" in wanted and file is not None:
        body["file"] = render_file(file, call.origin, call.services.secret)
    if "progress" in wanted:
        body["progress"] = render_progress(job, call.origin)
    return body


@post(_REPORTS, status_code=200)
def create_report(call: Call, course_id: str, quiz_id: str) -> dict:
    all_versions = bool(call.bool("quiz_report[includes_all_versions]", False))
    with call.write() as (db, me), spelled_as(_NAMES):
        job = quiz_reports.queue_report(db, me, course_id, quiz_id, call.str("quiz_report[report_type]"),
                                        all_versions)
        body = render_report(db, job, call)
    call.services.jobs.notify()
    return body


@get(_REPORTS)
def list_reports(call: Call, course_id: str, quiz_id: str) -> list:
    with call.read() as (db, me):
        return [render_report(db, job, call) for job in quiz_reports.list_reports(db, me, course_id, quiz_id)]


@get_writing(_REPORTS + "/{report_id:str}")  # a status read counts polls
def show_report(call: Call, course_id: str, quiz_id: str, report_id: str) -> dict:
    with call.read() as (db, me):
        return render_report(db, quiz_reports.get_report(db, me, course_id, quiz_id, report_id), call)


@delete(_REPORTS + "/{report_id:str}", status_code=204)
def remove_report(call: Call, course_id: str, quiz_id: str, report_id: str) -> None:
    with call.write() as (db, me):
        quiz_reports.remove_report(db, me, course_id, quiz_id, report_id)


ROUTES = [create_report, list_reports, show_report, remove_report]
