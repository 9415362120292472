"""Embedded job runner: worker threads inside the serving process claim and run jobs.

In `manual` job mode nothing runs until `run_pending` is called (tests, emulation).
"""

from __future__ import annotations

import logging
import os
import socket
import threading

from courseport.core import jobs
from courseport.core.job_kinds import load_handlers

log = logging.getLogger("courseport.worker")


class JobRunner:
    def __init__(self, services) -> None:  # noqa: ANN001
        self.services = services
        self._wake = threading.Condition()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        load_handlers()

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

    def notify(self) -> None:
        """Wake idle workers: a job was just committed."""
        with self._wake:
            self._wake.notify_all()

    def run_pending(self) -> int:
        return jobs.run_pending(self.services.engine, lease_seconds=self.settings.job_lease_seconds)

    def _loop(self, worker_id: str) -> None:
        while not self._stop.is_set():
            try:
                ctx = jobs.claim(self.services.engine, worker_id, self.settings.job_lease_seconds)
                if ctx is not None:
                    jobs.run(ctx, jobs.kind_of(self.services.engine, ctx.job_id))
                    continue
            except Exception:  # noqa: BLE001 - a worker thread must outlive a bad poll
                log.exception("job worker %s failed to claim or run", worker_id)
            with self._wake:
                self._wake.wait(timeout=1.0)
