"""Aborting jobs: a queued or running job ended as `cancelled` at a client's request (Canvas's SIS import
abort). The claim row is handed back too, so a worker still running the job loses it: its next progress
report or result transaction (`JobContext.progress`, `confirm_held`) raises JobLost and commits nothing.
What it committed before stays; handlers that may be aborted keep each committed step whole.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from courseport.core.jobs import jobs
from courseport.schema import Job, JobClaim
from courseport.schema.base import utcnow

ABORTABLE = ("queued", "running")


def abort(db: Session, job: Job) -> bool:
    """End a queued or running job as cancelled (in `db`'s transaction); False if it had ended already."""
    db.refresh(job, with_for_update=True)
    if job.state not in ABORTABLE:
        return False
    now = utcnow()
    job.state, job.finished_at, job.updated_at, job.lease_until, job.worker_id = "cancelled", now, now, None, None
    job.message = job.error = "aborted"
    db.execute(update(JobClaim).where(JobClaim.job_id == job.id).values(worker_id=None))
    db.flush()
    for hook in jobs.FINISHED_HOOKS:
        hook(db, job)
    return True
