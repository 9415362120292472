"""Every rule one core package lends another, registered in one place when services are built.

A lower package owns a registry and calls what is in it; a higher one supplies the function. So that
no rule is switched on by importing a module (and none is missing because a module was not
imported), `wire()` registers them all; `build_services` calls it, for `serve` and `courseport worker`
alike. Registering is idempotent: building services twice changes nothing. tests/test_wiring.py
checks that each registry holds exactly what is listed here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from courseport.core.blueprints import blueprint_locks, blueprint_sync
from courseport.core.content import content, files
from courseport.core.copy import copying
from courseport.core.courses import (
    batch_updates,
    conversation_batches,
    courses,
    grading_standards,
    group_assignment,
    sis_imports,
)
from courseport.core.coursework import bulk_grades, gradebook_column_data, late_regrades, quiz_reports
from courseport.core.jobs import diagnostics, job_callbacks, jobs
from courseport.core.kit import column_limits
from courseport.core.packages import course_exports, offering_imports, package_imports

# Job kind -> the core function that runs it, in whichever process claims the job.
JOB_HANDLERS: dict[str, jobs.Handler] = {
    group_assignment.KIND: group_assignment.run_assignment,
    batch_updates.KIND: batch_updates.run_batch_update,
    conversation_batches.KIND: conversation_batches.run_batch_update,
    blueprint_sync.KIND: blueprint_sync.run_sync,
    bulk_grades.KIND: bulk_grades.run_bulk_grading,
    copying.KIND: copying.run_copy,
    gradebook_column_data.KIND: gradebook_column_data.run_bulk_update,
    course_exports.KIND: course_exports.run_export,
    diagnostics.SLEEP_KIND: diagnostics.run_sleep,
    job_callbacks.KIND: job_callbacks.deliver,
    offering_imports.KIND: offering_imports.run_import,
    package_imports.KIND: package_imports.run_package_import,
    quiz_reports.KIND: quiz_reports.run_report,
    sis_imports.KIND: sis_imports.run_import,
}


def wire() -> None:
    """Register every job handler, finish hook and check (idempotent)."""
    for kind, handler in JOB_HANDLERS.items():
        jobs.register_handler(kind, handler)
    jobs.on_finished(job_callbacks.queue_delivery)  # a finished job with a callback queues its delivery
    content.register_edit_check(blueprint_locks.refuse_locked_edits)
    content.register_change_hook(late_regrades.synced_change)  # a synced due date settles late work again
    files.register_change_check(blueprint_locks.refuse_locked_file_changes)
    courses.register_update_check(blueprint_sync.keep_blueprint_while_syncing)
    courses.register_update_check(grading_standards.check_course_standard)
    if not event.contains(Session, "before_flush", column_limits.check_lengths):  # text past its column: a 400
        event.listen(Session, "before_flush", column_limits.check_lengths)


def registered() -> dict[str, Any]:
    """What each registry holds, as "module.function" names (tests/test_wiring.py compares it)."""
    def name(fn: Callable[..., Any]) -> str:
        return f"{fn.__module__}.{fn.__qualname__}"

    return {"handlers": {kind: name(fn) for kind, fn in jobs.HANDLERS.items()},
            "finished": [name(hook) for hook in jobs.FINISHED_HOOKS],
            "queued": [name(hook) for hook in jobs.QUEUED_HOOKS],
            "edit": [name(check) for check in content.EDIT_CHECKS],
            "content_change": [name(hook) for hook in content.CHANGE_HOOKS],
            "change": [name(check) for check in files.CHANGE_CHECKS],
            "update": [name(check) for check in courses.UPDATE_CHECKS],
            "flush": [name(column_limits.check_lengths)] if event.contains(Session, "before_flush",
                                                                            column_limits.check_lengths) else []}
