"""Copy jobs into an offering (D2L's face): queue a copy of a source course into a target with the
one copy engine, and find such a job again by its token. The caller says what to copy as a
selection (core/copy/components.py). A source that does not exist is NotFound("source course"),
apart from a target that does not exist (NotFound("course")): faces answer them differently.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from courseport.core.copy import copying
from courseport.core.courses import courses
from courseport.core.identity.permissions import require
from courseport.core.jobs import job_callbacks, job_timing
from courseport.core.jobs.job_callbacks import Callback
from courseport.core.kit.errors import NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.schema import Course, Job, User


def _target(db: Session, actor: User, target_id: int) -> Course:
    target = courses.resolve_course(db, target_id)  # NotFound: no such target (404)
    require(courses.course_rights(db, actor, target), "manage_content")
    return target


def queue_offering_copy(db: Session, actor: User, target_id: int, source_id: int, selection: frozenset[str],
                        callback: Callable[[Job], Callback] | None = None) -> Job:
    """The copy job of `selection` (components.selection()); with `callback`, its completion callback too."""
    target = _target(db, actor, target_id)
    try:
        courses.resolve_course(db, source_id)
    except NotFound:
        raise NotFound("source course") from None
    job = copying.queue_copy(db, actor, source_id, target.id, selection)
    if callback is not None:
        job_callbacks.attach(db, job, callback(job))
    return job


def copy_job(db: Session, actor: User, target_id: int, token: str) -> Job:
    """The copy job into `target_id` with this token."""
    target = _target(db, actor, target_id)
    job = db.get(Job, store_id(token)) if is_id(token) else None
    if job is None or job.kind != copying.KIND or job.context_type != "Course" or job.context_id != target.id:
        raise NotFound("copy job", "No such copy job.")
    return job_timing.status_read(db, job)
