"""The long-lived objects one running app holds: settings, engine, blob store, job runner, and the
periodic blob collector."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Engine

from courseport.blobs import BlobStore
from courseport.read_cache import ReadCache
from courseport.settings import Settings
from courseport.throttle import FailureThrottle

log = logging.getLogger("courseport.blobs")
GC_INTERVAL = 3600.0  # seconds between two collections of one serving process
GC_FIRST = 60.0  # the first collection after start: what a crash left goes soon after the restart


class JobRunnerLike(Protocol):
    """What the app asks of `courseport.worker.JobRunner`, without importing the worker here."""

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def notify(self) -> None: ...
    def run_pending(self) -> int: ...


class BlobCollector:
    """Runs `blob_lifecycle.collect` every `interval` seconds in a daemon thread. Each serving
    process has one; the store lets one collection run at a time, the others skip their turn."""

    def __init__(self, engine: Engine, blobs: BlobStore, interval: float = GC_INTERVAL, first: float = GC_FIRST):
        self.engine, self.blobs, self.interval, self.first = engine, blobs, interval, first
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="courseport-blob-gc", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _loop(self) -> None:
        from courseport.core.blob_lifecycle import collect  # the core loads after the services

        delay = self.first
        while not self._stop.wait(delay):
            delay = self.interval
            try:
                report = collect(self.engine, self.blobs)
                if report.blobs or report.temp_files:
                    log.info("collected %d blobs and %d temp files", report.blobs, report.temp_files)
            except Exception:  # noqa: BLE001 - the next round tries again
                log.exception("blob collection failed")


@dataclass
class Services:
    settings: Settings
    engine: Engine
    blobs: BlobStore
    jobs: JobRunnerLike  # courseport.worker.JobRunner; a Protocol keeps this module import-light
    secret: bytes
    read_cache: ReadCache
    throttle: FailureThrottle  # failed credential attempts per client address (throttle.py)
    collector: BlobCollector = field(init=False)

    def __post_init__(self) -> None:
        self.collector = BlobCollector(self.engine, self.blobs)

    def start(self) -> None:
        """What runs in the background of a serving process: job threads (in threads mode), the collector."""
        self.jobs.start()
        self.collector.start()

    def stop(self) -> None:
        self.collector.stop()
        self.jobs.stop()
