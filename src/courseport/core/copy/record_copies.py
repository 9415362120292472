"""Copies of course records (Learn's course copy): into an existing record or a new one under a new
course code, and the copy jobs a record's reader may follow. Here, not in core/courses, because it
drives the copy engine, which sits above courses.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy.orm import Session

from courseport.core.copy import copying
from courseport.core.courses import course_records
from courseport.core.jobs import job_reads, job_timing
from courseport.core.kit.errors import FieldText, InvalidInput, NotFound
from courseport.schema import Job, User

RecordRef = tuple[str, str | int]  # (kind, value) as course_records.resolve_record takes it


def queue_record_copy(db: Session, actor: User, source: RecordRef, target: RecordRef | None,
                      new_course_code: str | None, selection: frozenset[str]) -> Job:
    """Queue a copy of a record into an existing one (`target`) or into a new one named `new_course_code`."""
    course = course_records.readable_record(db, actor, *source)
    if (target is None) == (new_course_code is None):
        raise InvalidInput("target", FieldText(
            "{target} needs either a {course_code} (a new course) or an id, not both"))
    if target is not None:
        into = course_records.resolve_record(db, *target, actor)
    else:
        into = course_records.create_copy_record(db, actor, course, cast(str, new_course_code))  # one is given
    return copying.queue_copy(db, actor, course.id, into.id, selection)


def copy_task(db: Session, actor: User, record: RecordRef, job_id: int) -> Job:
    """A copy job of this record (as source or target) that the actor may read."""
    course = course_records.resolve_record(db, *record, actor)
    job = db.get(Job, job_id)
    payload = (job.payload or {}) if job is not None else {}
    if job is None or job.kind != copying.KIND or course.id not in (
            payload.get("source_course_id"), payload.get("target_course_id")):
        raise NotFound("task", "Task not found")
    if job.user_id != actor.id:
        job_reads.require_job_reader(db, actor, job)
    return job_timing.status_read(db, job)
