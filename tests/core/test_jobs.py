"""The job system on a real database: compare-and-set claims, leases, attempts, failures, progress."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from courseport.core.jobs import jobs
from courseport.core.kit.errors import InvalidInput
from courseport.schema import Job
from courseport.schema.base import utcnow

KIND = "test_job"


@pytest.fixture
def engine(world):
    return world.engine


@pytest.fixture
def handler(monkeypatch):
    """Register a test handler; `calls` records each run and `behaviour` decides what it does."""
    state = {"calls": [], "behaviour": lambda ctx: {"ok": ctx.attempt}}

    def run(ctx: jobs.JobContext):
        state["calls"].append(ctx.attempt)
        return state["behaviour"](ctx)

    monkeypatch.setitem(jobs.HANDLERS, KIND, run)
    return state


def _enqueue(engine, **kw) -> int:
    with jobs.transaction(engine, write=True) as db:
        return jobs.enqueue(db, KIND, {"n": 1}, **kw).id


def _job(engine, job_id) -> Job:
    with jobs.transaction(engine, write=False) as db:
        return jobs.get_job(db, job_id)


def _expire_lease(engine, job_id) -> None:
    """Simulate a dead worker: its lease ran out while the job was still running."""
    with jobs.transaction(engine, write=True) as db:
        db.execute(update(Job).where(Job.id == job_id).values(lease_until=utcnow() - timedelta(seconds=5)))


def test_only_one_of_many_concurrent_claims_wins(engine):
    job_id = _enqueue(engine)
    barrier = threading.Barrier(6)
    won: list[jobs.JobContext] = []

    def claimer(n: int) -> None:
        barrier.wait()
        ctx = jobs.claim(engine, f"w{n}", 60)
        if ctx is not None:
            won.append(ctx)

    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [c.job_id for c in won] == [job_id]
    job = _job(engine, job_id)
    assert (job.state, job.worker_id, job.attempts) == ("running", won[0].worker_id, 1)
    assert jobs.claim(engine, "late", 60) is None  # a live lease keeps the job


def test_expired_lease_is_claimed_again_and_attempts_count(engine, handler):
    job_id = _enqueue(engine)
    first = jobs.claim(engine, "dead", 60)
    _expire_lease(engine, job_id)
    second = jobs.claim(engine, "alive", 60)
    assert (second.job_id, second.attempt) == (job_id, 2)
    with pytest.raises(jobs.JobLost):
        first.progress(50, force=True)  # the dead worker's lease is gone
    jobs.run(second, KIND)
    job = _job(engine, job_id)
    assert (job.state, job.attempts, job.result, job.progress) == ("completed", 2, {"ok": 2}, 100.0)


def test_attempts_used_up_fail_with_a_clear_error_and_the_queue_goes_on(engine, handler):
    stuck = _enqueue(engine, max_attempts=2)
    for worker in ("w1", "w2"):
        assert jobs.claim(engine, worker, 60).job_id == stuck
        _expire_lease(engine, stuck)
    waiting = _enqueue(engine)
    assert jobs.run_pending(engine) == 1  # the stuck job is failed, the next one still runs
    job = _job(engine, stuck)
    assert (job.state, job.attempts) == ("failed", 2)
    assert job.error == jobs.STOPPED_ERROR
    assert _job(engine, waiting).state == "completed"
    assert handler["calls"] == [1]


def test_domain_error_fails_at_once(engine, handler):
    def refuse(ctx):
        raise InvalidInput("course_ids[]", "no such course")

    handler["behaviour"] = refuse
    job_id = _enqueue(engine)
    assert jobs.run_pending(engine) == 1
    job = _job(engine, job_id)
    assert (job.state, job.error, job.message, job.attempts) == ("failed", "no such course", "no such course", 1)
    assert handler["calls"] == [1]


INTERNALS = ("/srv/", "Error", "Traceback", "SELECT", "psycopg", ".py")


def _internal_failure(ctx):
    """An unexpected exception whose text carries a path, SQL and a driver exception name."""
    raise OperationalError("SELECT blob_sha256 FROM files WHERE id = %(id)s", {"id": 1},
                           OSError("/srv/courseport/data/blobs/ab/cd: psycopg.errors.DiskFull"))


def test_unexpected_error_is_retried_until_attempts_run_out_and_shown_as_a_sentence(engine, handler, caplog):
    handler["behaviour"] = _internal_failure
    job_id = _enqueue(engine, max_attempts=3)
    jobs.run_pending(engine)
    job = _job(engine, job_id)
    sentence = f"The job failed because of an internal error; see the server log (job {job_id})."
    assert (job.state, job.attempts, job.error, job.message) == ("failed", 3, sentence, sentence)
    assert handler["calls"] == [1, 2, 3]
    logged = [r for r in caplog.records if r.name == "courseport.jobs" and r.exc_info]
    assert len(logged) == 3 and "/srv/courseport/data/blobs/ab/cd" in caplog.text  # the details go to the log


@pytest.mark.parametrize(("failure", "sentence"), [
    (RecursionError("maximum recursion depth exceeded while calling a Python object"),
     "The job's input is nested too deeply to be processed."),
    (ValueError("invalid literal for int() with base 10: '/srv/x'"),
     "The job's input could not be processed; see the server log (job {id})."),
])
def test_an_input_the_handler_cannot_parse_fails_at_once_without_internals(engine, handler, failure, sentence):
    def parse(ctx):
        raise failure

    handler["behaviour"] = parse
    job_id = _enqueue(engine, max_attempts=3)
    assert jobs.run_pending(engine) == 1
    job = _job(engine, job_id)
    assert (job.state, job.attempts, job.error) == ("failed", 1, sentence.format(id=job_id))
    assert handler["calls"] == [1]


def test_a_failed_job_shows_a_sentence_on_the_canvas_progress_endpoint(world, engine, handler):
    handler["behaviour"] = _internal_failure
    job_id = _enqueue(engine, max_attempts=1, user_id=world.admin.id)
    jobs.run_pending(engine)
    with world.client(world.admin_token) as c:
        answer = c.get(f"/api/v1/progress/{job_id}")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["workflow_state"], body["message"]) == (
        "failed", f"The job failed because of an internal error; see the server log (job {job_id}).")
    assert not [word for word in INTERNALS if word in answer.text]


def test_progress_writes_at_most_every_half_second_unless_forced(engine, handler, monkeypatch):
    clock = {"now": 1000.0}
    monkeypatch.setattr(jobs.time, "monotonic", lambda: clock["now"])
    job_id = _enqueue(engine)
    ctx = jobs.claim(engine, "w", 60)

    def progress_after(seconds: float, percent: float, **kw) -> float:
        clock["now"] += seconds
        ctx.progress(percent, **kw)
        return _job(engine, job_id).progress

    assert progress_after(0, 10) == 10
    assert progress_after(0.2, 20) == 10  # too soon: not written
    assert progress_after(0.2, 30) == 10
    assert progress_after(0.2, 40) == 40  # 0.6 s since the last write
    assert progress_after(0.1, 50, force=True) == 50
    assert progress_after(0, 150, force=True) == 100  # clamped
    with jobs.transaction(engine, write=False) as db:
        assert jobs.get_job(db, job_id).lease_until > utcnow()


def test_a_job_written_in_a_rolled_back_transaction_does_not_exist(engine, handler):
    with pytest.raises(RuntimeError):
        with jobs.transaction(engine, write=True) as db:
            jobs.enqueue(db, KIND, {})
            raise RuntimeError("request failed")
    assert jobs.run_pending(engine) == 0
    assert handler["calls"] == []


def _claim_expired(engine, job_id: int, worker: str = "dead") -> jobs.JobContext:
    """Claim the job as `worker`, then let its lease run out, as if the worker was killed."""
    ctx = jobs.claim_job(engine, job_id, worker, 60)
    _expire_lease(engine, job_id)
    return ctx


def test_claim_job_takes_only_the_given_job_and_only_when_runnable(engine, handler):
    older, wanted = _enqueue(engine), _enqueue(engine)
    ctx = jobs.claim_job(engine, wanted, "w1", 60)
    assert (ctx.job_id, ctx.attempt, ctx.payload) == (wanted, 1, {"n": 1})
    assert jobs.claim_job(engine, wanted, "w2", 60) is None  # held under a live lease
    assert _job(engine, older).state == "queued"  # the older job was not touched
    jobs.run(ctx, KIND)
    assert jobs.claim_job(engine, wanted, "w2", 60) is None  # finished
    assert jobs.claim_job(engine, 999_999, "w2", 60) is None  # no such job
    assert (_job(engine, wanted).state, _job(engine, wanted).attempts) == ("completed", 1)


def test_claim_job_retakes_an_expired_lease_and_fails_a_job_out_of_attempts(engine, handler):
    job_id = _enqueue(engine, max_attempts=2)
    _claim_expired(engine, job_id)
    again = jobs.claim_job(engine, job_id, "w2", 60)
    assert (again.attempt, _job(engine, job_id).worker_id) == (2, "w2")
    _expire_lease(engine, job_id)
    assert jobs.claim_job(engine, job_id, "w3", 60) is None
    job = _job(engine, job_id)
    assert (job.state, job.attempts, job.error) == ("failed", 2, jobs.STOPPED_ERROR)
    assert handler["calls"] == []


@pytest.fixture
def queued_hook(monkeypatch):
    """Record each call of the `on_queued` hooks: the job id and whether its row was visible in `db`."""
    seen: list[tuple[int, str]] = []

    def hook(db, job):
        seen.append((job.id, db.get(Job, job.id).state))

    monkeypatch.setattr(jobs, "QUEUED_HOOKS", [])
    jobs.on_queued(hook)
    jobs.on_queued(hook)  # registering twice runs it once
    return seen


def test_on_queued_hooks_run_inside_the_enqueueing_transaction(engine, queued_hook):
    job_id = _enqueue(engine)
    assert queued_hook == [(job_id, "queued")]

    def refuse(db, job):
        raise RuntimeError("queue unavailable")

    jobs.on_queued(refuse)
    with pytest.raises(RuntimeError, match="queue unavailable"):
        _enqueue(engine)
    with jobs.transaction(engine, write=False) as db:
        assert [j.id for j in db.query(Job).all()] == [job_id]  # the failed hook took its row with it


def test_a_retried_job_goes_through_the_hooks_again(engine, handler, queued_hook):
    handler["behaviour"] = lambda ctx: 1 / 0 if ctx.attempt == 1 else {"ok": ctx.attempt}
    job_id = _enqueue(engine)
    assert jobs.run_pending(engine) == 2
    assert queued_hook == [(job_id, "queued"), (job_id, "queued")]
    job = _job(engine, job_id)
    assert (job.state, job.attempts, job.result) == ("completed", 2, {"ok": 2})


def test_requeue_stalled_requeues_expired_leases_and_fails_jobs_out_of_attempts(engine, handler, queued_hook):
    stalled, spent, alive = _enqueue(engine), _enqueue(engine, max_attempts=1), _enqueue(engine)
    _claim_expired(engine, stalled), _claim_expired(engine, spent)
    jobs.claim_job(engine, alive, "alive", 60)
    queued_hook.clear()
    assert jobs.requeue_stalled(engine) == [stalled]
    assert queued_hook == [(stalled, "queued")]
    rows = {i: _job(engine, i) for i in (stalled, spent, alive)}
    assert (rows[stalled].state, rows[stalled].worker_id, rows[stalled].lease_until, rows[stalled].attempts) == (
        "queued", None, None, 1)
    assert (rows[spent].state, rows[spent].error) == ("failed", jobs.STOPPED_ERROR)
    assert (rows[alive].state, rows[alive].worker_id) == ("running", "alive")
    assert jobs.requeue_stalled(engine) == []
    assert jobs.claim_job(engine, stalled, "w", 60).attempt == 2


def test_confirm_held_rolls_back_the_work_of_a_worker_that_lost_its_job(engine, handler):
    job_id = _enqueue(engine)
    stale = _claim_expired(engine, job_id, "slow")
    jobs.claim(engine, "fresh", 60)
    with pytest.raises(jobs.JobLost):
        with jobs.transaction(engine, write=True) as db:
            jobs.enqueue(db, "side_effect", {})  # stands for the handler's result rows
            stale.confirm_held(db)
    with jobs.transaction(engine, write=False) as db:
        assert [j.kind for j in db.query(Job).all()] == [KIND]
    assert _job(engine, job_id).worker_id == "fresh"


def test_diagnostic_sleep_reports_progress_and_writes_its_marker_once_at_the_end(engine):
    from courseport.core.jobs import diagnostics  # its handler is registered by the services `engine` comes from

    with jobs.transaction(engine, write=True) as db:
        job_id = diagnostics.queue_sleep(db, 0, steps=3, marker=f"unit-{utcnow().timestamp()}").id
        marker = jobs.get_job(db, job_id).payload["marker"]
    assert jobs.run_pending(engine, worker_id="unit") == 1
    job = _job(engine, job_id)
    expected = {"steps": 3, "attempt": 1, "worker_id": "unit"}
    assert (job.state, job.progress, job.message, job.result) == ("completed", 100.0, "step 3 of 3", expected)
    with jobs.transaction(engine, write=False) as db:
        assert diagnostics.read_marker(db, marker) == {**expected, "job_id": job_id, "runs": 1}


@pytest.mark.parametrize(("args", "field", "message"), [
    ((-1,), "seconds", "seconds must be between 0 and 3600"),
    ((1, 0), "steps", "steps must be between 1 and 10000"),
    ((1, 1, "x" * 49), "marker", "marker must be 1 to 48 characters"),
])
def test_diagnostic_sleep_checks_its_input(engine, args, field, message):
    from courseport.core.jobs import diagnostics

    with pytest.raises(InvalidInput) as err:
        with jobs.transaction(engine, write=True) as db:
            diagnostics.queue_sleep(db, *args[:2], marker=args[2] if len(args) > 2 else None)
    assert (err.value.field, err.value.message) == (field, message)


def test_a_manifest_nested_5000_deep_fails_at_once_with_a_sentence_on_the_scorm_face(world):
    """Parsing cannot succeed on a retry: one attempt, and the import job's status names no internals."""
    from tests import package_builders as pb
    from tests.scorm_app import ScormApp

    items = '<item identifier="i" identifierref="r">' * 5000 + "</item>" * 5000
    manifest = ('<?xml version="1.0"?><manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2">'
                f'<organizations default="o"><organization identifier="o"><title>t</title>{items}</organization>'
                '</organizations><resources><resource identifier="r" type="webcontent" href="index.html"/>'
                '</resources></manifest>')
    scorm = ScormApp(world)
    answer = scorm.upload(pb.with_manifest(manifest), "deep")
    assert answer.status_code == 200, answer.text
    world.run_jobs()
    status = scorm.http.get(f"/courses/importJobs/{answer.json()['result']}")
    assert status.status_code == 200
    assert status.json()["status"] == "ERROR" and status.json()["message"]
    assert not [word for word in INTERNALS if word in status.text], status.text
    job = scorm.last_job()
    assert (job.state, job.attempts) == ("failed", 1)
