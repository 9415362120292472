"""Batch course updates: one event applied to many courses of an account, as a background job."""

from __future__ import annotations

from sqlalchemy.orm import Session

from courseport.core.courses.courses import apply_event, resolve_course
from courseport.core.identity import accounts
from courseport.core.jobs import job_batches, jobs
from courseport.core.kit.errors import InvalidInput, NotAllowed
from courseport.schema import Job, User

KIND = "batch_update_courses"
BATCH_EVENTS = ("offer", "conclude", "delete", "undelete")
MAX_COURSES = 500


def queue_batch_update(db: Session, actor: User, account_id: int, course_ids: list[str], event: str | None) -> Job:
    account = accounts.get_account(db, account_id)
    if not accounts.is_admin_of(db, actor.id, account.id):
        raise NotAllowed()
    if not event:
        raise InvalidInput("event", "event is required")
    if event not in BATCH_EVENTS:
        raise InvalidInput("event", f"event must be one of {', '.join(BATCH_EVENTS)}")
    if not course_ids:
        raise InvalidInput("course_ids", "course_ids is required")
    if len(course_ids) > MAX_COURSES:
        raise InvalidInput("course_ids", f"course_ids may name at most {MAX_COURSES} courses")
    return jobs.enqueue(db, KIND, {"account_id": account.id, "course_ids": list(course_ids), "event": event},
                        user_id=actor.id, context_type="Account", context_id=account.id)


def run_batch_update(ctx: jobs.JobContext) -> dict:
    account_id, event = ctx.payload["account_id"], ctx.payload["event"]

    def apply(db: Session, ref: str) -> int:
        course = resolve_course(db, ref, include_deleted=True)
        if account_id not in accounts.ancestor_ids(db, course.account_id):
            raise InvalidInput("course_ids", f"course {ref} is not in account {account_id}")
        apply_event(course, event)
        return course.id

    updated, failed = job_batches.apply_each(ctx, ctx.payload["course_ids"], apply)
    return {"updated_course_ids": updated, "failed_course_ids": list(failed), "errors": failed}
