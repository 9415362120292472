"""A large course copy through `courseport worker` processes on PostgreSQL (`serve --job-mode external`).

The copy runs in one REPEATABLE READ transaction while its progress reports commit beside it; its
fence (`confirm_held`) must not touch anything those reports change, or PostgreSQL refuses the
copy's commit (a serialization failure) every time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select, text, update

from courseport.core.jobs import jobs
from courseport.db import transaction
from courseport.schema import ContentItem, Job
from courseport.schema.base import utcnow
from tests.core.test_copying import build_source
from tests.test_worker import job_row, registered_workers, requires_pg, wait_for, workers  # noqa: F401

PAGES, GROUPS, ASSIGNMENTS, MODULES, MODULE_ITEMS = 4000, 10, 2000, 200, 3790  # 10,000 items in all


def _insert(db, rows: list[dict]) -> list[int]:
    """Insert content items at once; their ids in order."""
    table = ContentItem.__table__
    before = db.scalar(select(func.coalesce(func.max(table.c.id), 0)))
    db.execute(insert(table), rows)
    return list(db.scalars(select(table.c.id).where(table.c.id > before).order_by(table.c.id)))


def build_large_course(world, course_id: int) -> int:
    """Bulk-insert pages, graded assignments in groups, modules and module items; returns the item count."""
    now = utcnow()

    def rows(typ: str, n: int, **fields) -> list[dict]:
        return [{"course_id": course_id, "type": typ, "position": i + 1, "title": f"{typ} {i}",
                 "workflow_state": "published", "data": {}, "local_edits": {}, "field_hashes": {},
                 "created_at": now, "updated_at": now, "parent_id": None, "ref_id": None,
                 **{k: (v(i) if callable(v) else v) for k, v in fields.items()}} for i in range(n)]

    with transaction(world.engine, write=True) as db:
        pages = _insert(db, rows("page", PAGES, slug=lambda i: f"page-{i}", body="<p>Reading.</p>"))
        groups = _insert(db, rows("assignment_group", GROUPS))
        assignments = _insert(db, rows("assignment", ASSIGNMENTS, parent_id=lambda i: groups[i % GROUPS],
                                       points=10.0))
        modules = _insert(db, rows("module", MODULES, workflow_state="active",
                                   data={"prerequisite_module_ids": []}))
        targets = pages + assignments
        _insert(db, rows("module_item", MODULE_ITEMS, workflow_state="active",
                         parent_id=lambda i: modules[i % MODULES], ref_id=lambda i: targets[i % len(targets)]))
        return db.scalar(select(func.count()).select_from(ContentItem).where(ContentItem.course_id == course_id))


def items_of(world, course_id: int) -> int:
    with transaction(world.engine, write=False) as db:
        return db.scalar(select(func.count()).select_from(ContentItem).where(ContentItem.course_id == course_id))


@pytest.fixture
def large_course(world, workers) -> Iterator:
    """A 10,000-item course; its items and their copies are truncated after the test, since the
    store's reset deletes row by row and checks references unindexed (minutes for 20,000 items)."""
    source = world.course("Large source")
    assert build_large_course(world, source.id) == 10_000
    yield source
    with world.engine.begin() as conn:
        conn.execute(text("TRUNCATE content_items CASCADE"))


@requires_pg
def test_a_ten_thousand_item_copy_completes_through_two_worker_processes(world, workers, large_course):
    source, target = large_course, world.course("Copy target")
    for _ in range(2):
        workers.start(concurrency=2, lease_seconds=30)
    wait_for(lambda: registered_workers(world.engine) == 2, 60, "both workers to register")
    with world.client(world.admin_token) as c:
        queued = c.post(f"/api/v1/courses/{target.id}/course_copy", data={"source_course": str(source.id)})
        assert queued.status_code == 200, queued.text
        job_id = queued.json()["id"]
        wait_for(lambda: job_row(world.engine, job_id).state in ("completed", "failed"), 240,
                 "the copy to finish")
        status = c.get(f"/api/v1/courses/{target.id}/course_copy/{job_id}").json()
        progress = c.get(f"/api/v1/progress/{job_id}").json()
    job = job_row(world.engine, job_id)
    assert (job.state, job.error, job.attempts) == ("completed", None, 1)
    assert status["workflow_state"] == "completed"
    assert (progress["workflow_state"], progress["completion"]) == ("completed", 100.0)
    assert items_of(world, target.id) == 10_000


@pytest.fixture
def small_copy(world):
    """A small source course and a copy of it queued into another course (not run: manual job mode)."""
    source, target = world.course("Source"), world.course("Target")
    build_source(world, source)
    with world.client(world.admin_token) as c:
        queued = c.post(f"/api/v1/courses/{target.id}/course_copy", data={"source_course": str(source.id)})
    assert queued.status_code == 200, queued.text
    return source, target, queued.json()["id"]


def _report_every_step(ctx: jobs.JobContext, also=None) -> None:  # noqa: ANN001
    """Make the copy write every progress step it reaches (not one per half second), then run `also`."""
    report = ctx.progress

    def every_step(percent: float, message: str | None = None, **_) -> None:
        report(percent, message, force=True)
        if also is not None:
            also(percent)

    ctx.progress = every_step  # the copy handler passes ctx.progress as its step callback


@requires_pg
def test_a_copy_commits_although_its_progress_was_written_during_it_and_pollers_see_it(world, small_copy):
    source, target, job_id = small_copy
    ctx = jobs.claim(world.engine, "w", 60)
    seen: list[tuple[str, float, str]] = []

    def poll(percent: float) -> None:  # a client polling while the copy's transaction is still open
        if percent > 0:
            with world.client(world.admin_token) as c:
                body = c.get(f"/api/v1/progress/{job_id}").json()
            seen.append((body["workflow_state"], body["completion"], body["message"]))

    _report_every_step(ctx, poll)
    jobs.run(ctx, jobs.kind_of(world.engine, job_id))
    job = job_row(world.engine, job_id)
    assert (job.state, job.error, job.attempts, job.progress) == ("completed", None, 1, 100.0)
    assert seen == [("running", 25.0, "files copied"), ("running", 60.0, "content copied"),
                    ("running", 90.0, "references rewritten")]
    assert items_of(world, target.id) == items_of(world, source.id) - 1  # all but the deleted page


@requires_pg
def test_a_copy_whose_job_was_taken_over_during_it_commits_nothing(world, small_copy):
    _, target, job_id = small_copy
    stale = jobs.claim(world.engine, "stalled", 60)
    taken: list[jobs.JobContext] = []

    def take_over(percent: float) -> None:  # the stale worker's lease runs out and another worker claims
        if percent == 90.0:  # after its last progress report: only the fence can notice
            with transaction(world.engine, write=True) as db:
                db.execute(update(Job).where(Job.id == job_id).values(lease_until=utcnow() - timedelta(seconds=5)))
            taken.append(jobs.claim_job(world.engine, job_id, "rescuer", 60))

    stale.progress(0, force=True)
    _report_every_step(stale, take_over)
    with pytest.raises(jobs.JobLost):
        jobs.HANDLERS["course_copy"](stale)
    assert items_of(world, target.id) == 0
    job = job_row(world.engine, job_id)
    assert (job.state, job.worker_id, job.attempts, taken[0].attempt) == ("running", "rescuer", 2, 2)
