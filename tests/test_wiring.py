"""Every registry holds exactly its rules once services are built: in a serving app (`create_app`) and
in a fresh `courseport worker` process. The expected sets are written out here, not read from
`courseport.wiring`, so a registration dropped there (or a rule switched on anywhere else) fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from courseport import migrate
from courseport.app import create_app
from courseport.core.content import content, files
from courseport.core.courses import courses
from courseport.core.jobs import jobs
from courseport.db import make_engine
from courseport.file_modes import prepare_data_dir
from courseport.services import build_services
from courseport.settings import Settings
from courseport.wiring import registered

HANDLERS = {
    "assign_unassigned_members": "courseport.core.courses.group_assignment.run_assignment",
    "batch_update_courses": "courseport.core.courses.batch_updates.run_batch_update",
    "conversation_batch_update": "courseport.core.courses.conversation_batches.run_batch_update",
    "blueprint_sync": "courseport.core.blueprints.blueprint_sync.run_sync",
    "content_export": "courseport.core.packages.course_exports.run_export",
    "quiz_report": "courseport.core.coursework.quiz_reports.run_report",
    "submissions_update": "courseport.core.coursework.bulk_grades.run_bulk_grading",
    "course_copy": "courseport.core.copy.copying.run_copy",
    "custom_columns_submissions_update":
        "courseport.core.coursework.gradebook_column_data.run_bulk_update",
    "course_import": "courseport.core.packages.offering_imports.run_import",
    "diagnostic_sleep": "courseport.core.jobs.diagnostics.run_sleep",
    "job_callback": "courseport.core.jobs.job_callbacks.deliver",
    "package_import": "courseport.core.packages.package_imports.run_package_import",
    "sis_import": "courseport.core.courses.sis_imports.run_import",
}
FINISHED_HOOKS = ["courseport.core.jobs.job_callbacks.queue_delivery"]
EDIT_CHECKS = ["courseport.core.blueprints.blueprint_locks.refuse_locked_edits"]
CONTENT_CHANGE_HOOKS = ["courseport.core.coursework.late_regrades.synced_change"]
CHANGE_CHECKS = ["courseport.core.blueprints.blueprint_locks.refuse_locked_file_changes"]
UPDATE_CHECKS = ["courseport.core.blueprints.blueprint_sync.keep_blueprint_while_syncing",
                 "courseport.core.courses.grading_standards.check_course_standard"]
FLUSH_CHECKS = ["courseport.core.kit.column_limits.check_lengths"]
DEFER = "courseport.distributed.defer_in_transaction"  # PostgreSQL, unless this process runs every job itself

REPORT = "import json\nfrom courseport.wiring import registered\nprint(json.dumps(registered()))\n"


def expected(queued: list[str]) -> dict:
    return {"handlers": HANDLERS, "finished": FINISHED_HOOKS, "queued": queued, "edit": EDIT_CHECKS,
            "content_change": CONTENT_CHANGE_HOOKS, "change": CHANGE_CHECKS, "update": UPDATE_CHECKS,
            "flush": FLUSH_CHECKS}


def migrated_data_dir(folder: Path) -> Path:
    """A data folder with a migrated SQLite store, as `courseport db upgrade` leaves it."""
    prepare_data_dir(folder)
    engine = make_engine(Settings(data_dir=folder).effective_database_url)
    migrate.upgrade(engine)
    engine.dispose()
    return folder


def in_a_worker_process(data_dir: Path, then: str) -> str:
    """Run `then` in a fresh Python process after it built its services as `courseport worker` does
    (`worker.run_worker_process`, on SQLite, with the runner's loop left out); its output."""
    probe = ("from pathlib import Path\n"
             "from courseport import worker\n"
             "from courseport.settings import Settings\n"
             "worker.JobRunner.run_forever = lambda self: None  # built, not run\n"
             f"worker.run_worker_process(Settings(data_dir=Path({str(data_dir)!r}), job_threads=1))\n"
             f"{then}")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_after_create_app_every_registry_holds_exactly_its_rules(settings, services, monkeypatch):
    for module, name, empty in ((jobs, "HANDLERS", {}), (jobs, "FINISHED_HOOKS", []), (jobs, "QUEUED_HOOKS", []),
                                (content, "EDIT_CHECKS", []), (content, "CHANGE_HOOKS", []),
                                (files, "CHANGE_CHECKS", []), (courses, "UPDATE_CHECKS", [])):
        monkeypatch.setattr(module, name, empty)
    app = create_app(settings)
    queued = [DEFER] if app.state.services.engine.dialect.name == "postgresql" else []
    try:
        assert registered() == expected(queued)
        again = build_services(settings)  # building twice, as tests do, registers nothing twice
        again.engine.dispose()
        assert registered() == expected(queued)
    finally:
        app.state.services.engine.dispose()


def test_a_worker_process_holds_every_rule(tmp_path):
    report = in_a_worker_process(migrated_data_dir(tmp_path / "data"), REPORT)
    assert json.loads(report.splitlines()[-1]) == expected([])


def test_a_second_handler_for_one_kind_is_refused(services):
    with pytest.raises(ValueError, match="course_copy"):
        jobs.register_handler("course_copy", lambda ctx: None)
    assert registered()["handlers"]["course_copy"] == HANDLERS["course_copy"]
