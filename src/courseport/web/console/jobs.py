"""The jobs pages: every job the user may read (kind, state, progress, attempts, timings, error), by
state, and one job whose state is polled until it finishes."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from courseport.core.jobs import job_reads
from courseport.schema import Job
from courseport.web.console import exports
from courseport.web.console.session import page_link, render, signed_in, window_of

KINDS = {"course_copy": "Course copy", "blueprint_sync": "Blueprint sync", "package_import": "Package import",
         "course_import": "Course package import", "batch_update_courses": "Batch course update",
         "job_callback": "Outcome callback", "diagnostic_sleep": "Diagnostic", "content_export": "Course export",
         "submissions_update": "Bulk grading", "assign_unassigned_members": "Group assignment",
         "sis_import": "SIS import", "custom_columns_submissions_update": "Gradebook column update"}


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind.replace("_", " ").capitalize())


def in_words(job: Job) -> str:
    """What happened to the job, as a sentence."""
    if job.state == "failed":
        tries = "attempt" if job.attempts == 1 else "attempts"
        return f"Failed after {job.attempts} {tries}: {job.error or 'no reason was recorded.'}"
    if job.state == "completed":
        return "Completed."
    if job.state == "running":
        return f"Running (attempt {job.attempts} of {job.max_attempts}){': ' + job.message if job.message else '.'}"
    retry = f" It will be tried again after: {job.error}" if job.error else ""
    return f"Waiting for a worker.{retry}"


HELPERS: dict[str, Any] = {"kind_label": kind_label, "in_words": in_words}


@get("/console/jobs", sync_to_thread=True)
def job_list(request: Request) -> Response:
    window, state = window_of(request), request.query_params.get("state")
    with signed_in(request) as (db, me):
        found = job_reads.list_jobs(db, me, state or None, window)
        live = any(job.state in ("queued", "running") for job in found.items)
        return render(request, "jobs.html", me=me, title="Jobs", jobs=found, live=live, state=state or "",
                      states=job_reads.STATES, page_number=window.offset // window.limit + 1,
                      link=lambda n: page_link(request, n), part="jobs_part.html", **HELPERS)


@get("/console/jobs/{job_id:int}", sync_to_thread=True)
def job_page(request: Request, job_id: int) -> Response:
    with signed_in(request) as (db, me):
        job = job_reads.readable_job(db, me, job_id)
        return render(request, "job.html", me=me, title=f"Job {job.id}", job=job, part="job_part.html",
                      download=exports.download_link(db, request, job), **HELPERS)


ROUTES = [job_list, job_page]
