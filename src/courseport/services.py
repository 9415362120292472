"""The long-lived objects one running app or worker holds (settings, engine, blob store, job runner, the
periodic blob collector and missing deduction) and `build_services`, which makes them."""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass, field
from typing import Protocol, cast

from sqlalchemy import Engine, select

from courseport.blobs import BlobStore, open_blob_store
from courseport.core.identity.accounts import ensure_root
from courseport.db import make_engine, transaction
from courseport.file_modes import prepare_data_dir
from courseport.read_cache import ReadCache, StoreVersion
from courseport.schema import InstanceValue
from courseport.settings import Settings
from courseport.throttle import FailureThrottle
from courseport.wiring import wire

log = logging.getLogger("courseport.blobs")
GC_INTERVAL = 3600.0  # seconds between two collections of one serving process
GC_FIRST = 60.0  # the first collection after start: what a crash left goes soon after the restart
MISSING_INTERVAL = 900.0  # seconds between two rounds of the missing deduction (it looks a day back)


class JobRunnerLike(Protocol):
    """What the app asks of `courseport.worker.JobRunner`, without importing the worker here."""

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def notify(self) -> None: ...
    def run_pending(self) -> int: ...


class Periodic:
    """Runs `run_once` every `interval` seconds (the first time after `first`) in a daemon thread; a failed
    round is logged and the next one tries again."""

    name = "courseport-periodic"

    def __init__(self, interval: float, first: float):
        self.interval, self.first = interval, first
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def run_once(self) -> None:
        raise NotImplementedError

    def _loop(self) -> None:
        delay = self.first
        while not self._stop.wait(delay):
            delay = self.interval
            try:
                self.run_once()
            except Exception:  # noqa: BLE001 - the next round tries again
                log.exception("%s failed", self.name)


class BlobCollector(Periodic):
    """Runs `blob_lifecycle.collect` every `interval` seconds. Each serving process has one; the store lets
    one collection run at a time, the others skip their turn."""

    name = "courseport-blob-gc"

    def __init__(self, engine: Engine, blobs: BlobStore, interval: float = GC_INTERVAL, first: float = GC_FIRST):
        super().__init__(interval, first)
        self.engine, self.blobs = engine, blobs

    def run_once(self) -> None:
        from courseport.core.kit.blob_lifecycle import collect  # the core loads after the services

        report = collect(self.engine, self.blobs)
        if report.blobs or report.temp_files:
            log.info("collected %d blobs and %d temp files", report.blobs, report.temp_files)


class MissingDeductions(Periodic):
    """Canvas's missing policy applicator: every `interval` seconds, work that became missing since the last
    rounds takes its course's missing deduction (`missing_deductions.apply_missing`, one transaction). Every
    serving process runs it; a second process's round finds the rows graded (locked, in id order) and changes
    nothing."""

    name = "courseport-missing-deductions"

    def __init__(self, engine: Engine, interval: float = MISSING_INTERVAL, first: float = MISSING_INTERVAL):
        super().__init__(interval, first)
        self.engine = engine

    def run_once(self) -> None:
        from courseport.core.coursework.missing_deductions import apply_missing  # the core loads after

        with transaction(self.engine, write=True) as db:
            graded = apply_missing(db)
        if graded:
            log.info("the missing deduction settled %d submissions", graded)


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
    missing: MissingDeductions = field(init=False)

    def __post_init__(self) -> None:
        self.collector = BlobCollector(self.engine, self.blobs)
        self.missing = MissingDeductions(self.engine)

    def start(self) -> None:
        """What runs in the background of a serving process: job threads (in threads mode), the collector and
        the missing deduction's rounds."""
        self.jobs.start()
        self.collector.start()
        self.missing.start()

    def stop(self) -> None:
        self.missing.stop()
        self.collector.stop()
        self.jobs.stop()


def instance_secret(engine: Engine) -> bytes:
    """The signing secret shared by every process of this installation, made on first use."""
    with transaction(engine, write=True) as db:
        row = db.scalar(select(InstanceValue).where(InstanceValue.name == "secret"))
        if row is None:
            row = InstanceValue(name="secret", value=secrets.token_hex(32))
            db.add(row)
        return bytes.fromhex(row.value)


def build_services(settings: Settings) -> Services:
    """What `serve` and `courseport worker` hold alike; the web stack is not needed (nor imported) here.
    Every job handler, finish hook and check is registered here (`wiring.wire`), before any job runs."""
    from courseport.worker import JobRunner  # the worker takes the services: imported when built

    wire()
    prepare_data_dir(settings.data_dir)
    engine = make_engine(settings.effective_database_url)
    if engine.dialect.name == "postgresql":
        from courseport import distributed  # procrastinate loads only for PostgreSQL

        distributed.ensure_schema(engine)
        if settings.job_mode != "threads":  # in threads mode this process runs every job itself
            distributed.install()
    with transaction(engine, write=True) as db:
        ensure_root(db)
    blobs = open_blob_store(settings, engine)
    services = Services(settings=settings, engine=engine, blobs=blobs, secret=instance_secret(engine),
                        jobs=cast(JobRunnerLike, None),  # the runner takes the services: set just below
                        read_cache=ReadCache(StoreVersion(engine, enabled=settings.read_cache)),
                        throttle=FailureThrottle(settings.auth_failure_limit, settings.auth_failure_window))
    services.jobs = JobRunner(services)
    return services
