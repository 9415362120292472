"""Canvas course copy (the older API): start a copy from a source course, and its status."""

from __future__ import annotations

from typing import cast

from courseport.core.copy import content_migrations, copying
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.content_migration_json import render_course_copy
from courseport.dialects.canvas.copy_components import canvas_copy_fields, course_copy_selection
from courseport.dialects.canvas.protocol import Call, get_writing, post


@post("/courses/{course_id:str}/course_copy", status_code=200)
def copy_course(call: Call, course_id: str) -> dict:
    source = call.str("source_course")
    if not source:
        raise InvalidInput("source_course", "source_course is required")
    selection = course_copy_selection(call.list("only[]"), call.list("except[]"))
    with canvas_copy_fields(), call.write() as (db, me):
        job = copying.queue_copy(db, me, source, course_id, selection)
    call.services.jobs.notify()
    return render_course_copy(job, cast(int, job.context_id))  # queue_copy sets the target course


@get_writing("/courses/{course_id:str}/course_copy/{copy_id:int}")  # counts polls (job_timing)
def copy_status(call: Call, course_id: str, copy_id: int) -> dict:
    with call.read() as (db, me):
        record = content_migrations.get_copy(db, me, course_id, copy_id, poll=True)
    return render_course_copy(record.job, record.course_id)


ROUTES = [copy_course, copy_status]
