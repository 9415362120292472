"""Job runners: worker threads inside the serving process, and the `courseport worker` process.

In `threads` job mode the serving process claims and runs jobs itself; in `manual` mode nothing
runs until `run_pending` is called (tests, emulation); in `external` mode `courseport worker`
processes run them: procrastinate workers on PostgreSQL (distributed.py), or on SQLite these same
threads in a process of their own on the same machine.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading

from sqlalchemy import make_url

from courseport import logs, metrics
from courseport.core.jobs import jobs
from courseport.settings import Settings

log = logging.getLogger("courseport.worker")


class JobRunner:
    def __init__(self, services) -> None:  # noqa: ANN001
        self.services = services
        self._wake = threading.Condition()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        observe_jobs()

    @property
    def settings(self):  # noqa: ANN201
        return self.services.settings

    def start(self) -> None:
        if self.settings.job_mode != "threads" or self._threads:
            return
        self._stop.clear()
        for n in range(self.settings.job_threads):
            worker_id = f"{socket.gethostname()}:{os.getpid()}:{n}"
            t = threading.Thread(target=self._loop, args=(worker_id,), name=f"courseport-job-{n}", daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self) -> None:
        self._stop.set()
        self.notify()
        for t in self._threads:
            t.join(timeout=5)
        self._threads.clear()

    def run_forever(self) -> None:
        """Run the worker threads in the foreground until SIGINT or SIGTERM."""
        stopping = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopping.set())
        self.start()
        log.info("running jobs with %d threads", len(self._threads))
        while not stopping.wait(1.0):
            pass
        self.stop()

    def notify(self) -> None:
        """Wake idle workers: a job was just committed."""
        with self._wake:
            self._wake.notify_all()

    def run_pending(self) -> int:
        return jobs.run_pending(self.services.engine, lease_seconds=self.settings.job_lease_seconds,
                                services=self.services)

    def _loop(self, worker_id: str) -> None:
        while not self._stop.is_set():
            try:
                ctx = jobs.claim(self.services.engine, worker_id, self.settings.job_lease_seconds)
                if ctx is not None:
                    ctx.services = self.services
                    jobs.run(ctx, jobs.kind_of(self.services.engine, ctx.job_id))
                    continue
            except Exception:  # noqa: BLE001 - a worker thread must outlive a bad poll
                log.exception("job worker %s failed to claim or run", worker_id)
            with self._wake:
                self._wake.wait(timeout=1.0)


def observe_jobs() -> None:
    """Every job this process runs gets its log line and its metrics (any job mode, procrastinate too)."""
    jobs.on_run(logs.log_job)
    jobs.on_run(metrics.observe_job)


def run_worker_process(settings: Settings) -> None:
    """`courseport worker`: a procrastinate worker on PostgreSQL, the embedded threads on SQLite.

    Either way its jobs run with the services `serve` builds from the same settings (the data
    folder's blob store above all). `settings.job_threads` is the number of jobs run at once,
    `job_lease_seconds` their lease.
    """
    from courseport.services import build_services  # the same services `serve` holds, without the web stack

    if settings.database_url and make_url(settings.database_url).get_backend_name() == "postgresql":
        from courseport import distributed

        services = build_services(settings.with_changes(job_mode="external"))
        log.info("running jobs from %s with data folder %s", services.engine.url.render_as_string(),
                 settings.data_dir)
        distributed.run_worker(services, concurrency=settings.job_threads, lease_seconds=settings.job_lease_seconds)
        return
    log.info("running jobs with data folder %s", settings.data_dir)
    JobRunner(build_services(settings.with_changes(job_mode="threads"))).run_forever()
