"""Quiz reports: a classic quiz's student or item analysis written as a CSV file by a background job.

The report is the job (its id is the report's, its progress the report's progress), as course exports are
(`packages/course_exports.py`): the payload names the quiz, the report type and whether every attempt counts
(`includes_all_versions`). The job computes the quiz's statistics (`quiz_statistics.py`, as the requester:
their right is checked again when it runs), lays them out (`quiz_report_csv.py`), streams the bytes to the
blob store and, in one transaction that checks the job is still its own, records them as a file of the
requester (no course folder: the report's file URL carries its verifier).

Asking again for a report of a type (and versions) answers the newest one still current: queued or running,
or done with its file alive and as many attempts at the quiz finished (previews aside) as when it was asked
for (the count is kept in its payload). Removing a report
aborts it while it runs, or deletes its file once done; the report stays, fileless, and the next request for
its type makes a new one. Graders (manage_grades) ask for, read and remove reports; others are refused.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courseport.core.content import files
from courseport.core.coursework import quiz_statistics
from courseport.core.coursework.quiz_report_csv import REPORT_TYPES, report_csv
from courseport.core.coursework.quiz_submissions import FINISHED_STATES, quiz_in
from courseport.core.identity.permissions import require
from courseport.core.jobs import job_aborts, job_timing, jobs
from courseport.core.kit.errors import Conflict, InvalidInput, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.db import transaction
from courseport.schema import ContentItem, File, Job, QuizAttempt, QuizSubmission, User

KIND = "quiz_report"
CONTEXT = "Quiz"
_RUNNING = ("queued", "waiting", "running")


def _graded_quiz(db: Session, actor: User, course_ref: str | int, quiz_id: str) -> ContentItem:
    _, rights, quiz = quiz_in(db, actor, course_ref, quiz_id)
    require(rights, "manage_grades")
    return quiz


def _reports(db: Session, quiz: ContentItem) -> list[Job]:
    """The quiz's reports, newest first."""
    return list(db.scalars(select(Job).where(Job.kind == KIND, Job.context_type == CONTEXT,
                                             Job.context_id == quiz.id).order_by(Job.id.desc())))


def queue_report(db: Session, actor: User, course_ref: str | int, quiz_id: str, report_type: str | None,
                 all_versions: bool) -> Job:
    """The current report of the type, or a new one queued."""
    quiz = _graded_quiz(db, actor, course_ref, quiz_id)
    if report_type not in REPORT_TYPES:
        raise InvalidInput("report_type", f"report_type must be one of {', '.join(REPORT_TYPES)}")
    finished = _finished_count(db, quiz)
    for job in _reports(db, quiz):
        if (job.payload.get("report_type"), bool(job.payload.get("includes_all_versions"))) != (
                report_type, all_versions):
            continue
        if job.state in _RUNNING or (report_file(db, job) is not None and job.payload.get("finished") == finished):
            return job
        break
    payload = {"course_id": quiz.course_id, "quiz_id": quiz.id, "report_type": report_type,
               "includes_all_versions": all_versions, "user_id": actor.id, "anonymous": _anonymous(quiz),
               "finished": finished}
    return jobs.enqueue(db, KIND, payload, user_id=actor.id, context_type=CONTEXT, context_id=quiz.id)


def _finished_count(db: Session, quiz: ContentItem) -> int:
    """How many attempts at the quiz are finished (previews aside): a report asked for before one more
    finished is no longer current."""
    return db.scalar(select(func.count()).select_from(QuizAttempt).join(
        QuizSubmission, QuizSubmission.id == QuizAttempt.submission_id).where(
        QuizSubmission.quiz_id == quiz.id, QuizSubmission.preview.is_(False),
        QuizAttempt.workflow_state.in_(FINISHED_STATES))) or 0


def _anonymous(quiz: ContentItem) -> bool:
    data = quiz.data or {}
    return bool(data.get("anonymous_submissions")) and data.get("quiz_type") in ("survey", "graded_survey")


def list_reports(db: Session, actor: User, course_ref: str | int, quiz_id: str) -> list[Job]:
    """The newest report of each type (and versions) asked for, newest first."""
    seen: set[tuple[Any, bool]] = set()
    found = []
    for job in _reports(db, _graded_quiz(db, actor, course_ref, quiz_id)):
        key = (job.payload.get("report_type"), bool(job.payload.get("includes_all_versions")))
        if key not in seen:
            seen.add(key)
            found.append(job)
    return found


def get_report(db: Session, actor: User, course_ref: str | int, quiz_id: str, report_id: str) -> Job:
    quiz = _graded_quiz(db, actor, course_ref, quiz_id)
    job = db.get(Job, store_id(report_id)) if is_id(report_id) else None
    if job is None or job.kind != KIND or job.context_type != CONTEXT or job.context_id != quiz.id:
        raise NotFound("quiz report")
    return job_timing.status_read(db, job)


def remove_report(db: Session, actor: User, course_ref: str | int, quiz_id: str, report_id: str) -> None:
    """Abort a report being made, or delete a made one's file."""
    job = get_report(db, actor, course_ref, quiz_id, report_id)
    if job_aborts.abort(db, job):
        return
    file = report_file(db, job)
    if file is None:
        raise Conflict("the report is neither being generated nor generated")
    files.delete_all(db, [file])
    db.flush()


def report_file(db: Session, job: Job) -> File | None:
    """The CSV a finished report wrote, while its file lives."""
    file_id = (job.result or {}).get("file_id") if job.state == "completed" else None
    file = db.get(File, file_id) if file_id else None
    return file if file is not None and file.workflow_state != "deleted" else None


def run_report(ctx: jobs.JobContext) -> dict[str, Any]:
    payload = ctx.payload
    ctx.progress(10.0, "computing", force=True)
    with transaction(ctx.engine, write=False) as db:
        owner = db.get_one(User, payload["user_id"])
        stats = quiz_statistics.quiz_statistics(db, owner, payload["course_id"], str(payload["quiz_id"]),
                                                all_versions=bool(payload.get("includes_all_versions")))
        takers = {c.user_id for c in stats.counted}
        users = {u.id: u for u in db.scalars(select(User).where(User.id.in_(takers)))} if takers else {}
        body = report_csv(payload["report_type"], stats, users)
        label = payload["report_type"].replace("_", " ").title()
        name = f"{stats.quiz.title or 'Quiz'} {label} Report.csv"
    stored = ctx.services.blobs.put_stream(iter([body]))
    ctx.progress(90.0, "storing", force=True)
    with transaction(ctx.engine, write=True) as db:
        owner = db.get_one(User, payload["user_id"])
        file = files.own_file(db, owner, name, "text/csv", stored, folder_path=files.QUIZ_REPORTS)
        ctx.confirm_held(db)
        file_id = file.id
    return {"file_id": file_id}
