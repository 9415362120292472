"""Copy records as a course sees them: the copy jobs into a course, one by one or a page at a time,
their source, the items they could not copy, and copies held until content is chosen.

A copy is a `jobs` row of kind "course_copy" whose context is the target course; its payload says
what to copy and its result what was copied. A copy created to wait for a selection has the job
state "waiting" (no worker claims it) until `choose_content` queues it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.copy import copying
from courseport.core.courses.courses import readable_course
from courseport.core.jobs import job_timing, jobs
from courseport.core.kit.errors import Conflict, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Course, Job, User
from courseport.schema.base import utcnow

WAITING = "waiting"
MANAGE = "manage_content"


@dataclass(frozen=True)
class CopyRecord:
    job: Job
    course_id: int
    source: Course | None  # None once the source course is gone

    @property
    def issues(self) -> list[dict[str, Any]]:
        """What the copy could not do: each skipped item, or the failure itself."""
        skipped = list((self.job.result or {}).get("skipped") or [])
        if self.job.state == "failed":
            skipped.append({"type": "error", "id": None, "title": None, "reason": self.job.error or "the copy failed"})
        return skipped


def _copies(course_id: int):  # noqa: ANN202
    return select(Job).where(Job.kind == copying.KIND, Job.context_type == "Course", Job.context_id == course_id)


def _record(db: Session, job: Job, sources: dict[int, Course] | None = None) -> CopyRecord:
    source_id: Any = (job.payload or {}).get("source_course_id")  # a JSON value, an id once validated
    source = (sources or {}).get(source_id) if sources is not None else db.get(Course, source_id)
    return CopyRecord(job, cast(int, job.context_id), source)  # a copy's context is always its target course


def migration_context(db: Session, actor: User, course_ref: str | int) -> Course:
    """The course whose copies the actor may manage."""
    return readable_course(db, actor, course_ref, MANAGE)[0]


def list_copies(db: Session, actor: User, course_ref: str | int, window: Window) -> Slice[CopyRecord]:
    """The copies into a course, newest first."""
    course, _ = readable_course(db, actor, course_ref, MANAGE)
    page = fetch_window(db, _copies(course.id).order_by(Job.id.desc()), window)
    ids = {(job.payload or {}).get("source_course_id") for job in page.items}
    sources = {c.id: c for c in db.scalars(select(Course).where(Course.id.in_([i for i in ids if i])))}
    return Slice([_record(db, job_timing.status_read(db, job, count=False), sources) for job in page.items],
                 page.has_more, page.total)


def get_copy(db: Session, actor: User, course_ref: str | int, copy_id: int | str, *, poll: bool = False) -> CopyRecord:
    """The copy; `poll`: a client reading its status (shown and counted as job timing says)."""
    course, _ = readable_course(db, actor, course_ref, MANAGE)
    job = db.scalar(_copies(course.id).where(Job.id == store_id(copy_id))) if is_id(copy_id) else None
    if job is None:
        raise NotFound("content migration")
    if poll:
        job = job_timing.status_read(db, job)
    return _record(db, job)


def hold_for_selection(db: Session, job: Job) -> Job:
    """Keep a just-queued copy from running until its content is chosen (a worker handed it skips it)."""
    job.state = WAITING
    db.flush()
    return job


def _requeue(db: Session, job: Job) -> None:
    job.state, job.updated_at = "queued", utcnow()
    db.flush()
    for hook in getattr(jobs, "QUEUED_HOOKS", ()):
        hook(db, job)


def choose_content(db: Session, actor: User, course_ref: str | int, copy_id: int | str,
                   selection: frozenset[str], picked: dict[str, list[int]] | None) -> CopyRecord:
    """Set what a waiting copy takes and queue it."""
    record = get_copy(db, actor, course_ref, copy_id)
    if record.job.state != WAITING:
        raise Conflict("this content migration is not waiting for a selection")
    payload = dict(record.job.payload)
    payload["selection"] = sorted(selection)
    payload["picked"] = {k: sorted({int(i) for i in v}) for k, v in picked.items()} if picked is not None else None
    record.job.payload = payload
    _requeue(db, record.job)
    return record
