"""Prometheus metrics: request latency by face and route template, job runs and durations by kind and
outcome (observed where they happen), and job counts by kind and state with the queue depth (read from
the `jobs` table when scraped, so they hold for every process of the installation, workers on other
machines included).

`courseport serve` with several server processes puts them in prometheus-client's multiprocess mode:
PROMETHEUS_MULTIPROC_DIR (DATA_DIR/metrics, emptied on start) is set before uvicorn starts them, so each
writes its samples there and any of them answers /metrics for all. `courseport worker --metrics-port P`
serves its own job metrics on P. With a metrics token (Settings.metrics_token) both ask for it as a bearer
token (Prometheus's `authorization` scrape setting).

No `*_created` samples: Prometheus's text format ignores them, and they were a third of the lines a scrape
made and of its time (650 route templates x 3 statuses in one process: 0.36 -> 0.15 s).
"""

from __future__ import annotations

import hmac
import os
import shutil
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    make_wsgi_app,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import Engine, func, select

from courseport.core.jobs import jobs
from courseport.db import transaction
from courseport.schema import Job

disable_created_metrics()
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST
REQUEST_SECONDS = Histogram("courseport_request_duration_seconds", "Time to answer a request.",
                            ["face", "route", "method"])
REQUESTS = Counter("courseport_requests", "Requests answered, by status.", ["face", "route", "method", "status"])
JOB_SECONDS = Histogram("courseport_job_duration_seconds", "Time one run of a job took.", ["kind", "outcome"],
                        buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, float("inf")))
JOB_RUNS = Counter("courseport_job_runs", "Runs of jobs in this process, by how they ended.", ["kind", "outcome"])


_CHILDREN: dict[tuple, tuple] = {}  # labels() takes a lock and checks its arguments: a dict hit does not


def observe_request(face: str, route: str, method: str, status: int, seconds: float) -> None:
    key = (face, route, method, status)
    if (children := _CHILDREN.get(key)) is None:
        children = _CHILDREN[key] = (REQUEST_SECONDS.labels(face, route, method),
                                     REQUESTS.labels(face, route, method, str(status)))
    children[0].observe(seconds)
    children[1].inc()


def observe_job(outcome: jobs.Outcome, seconds: float) -> None:
    JOB_SECONDS.labels(outcome.kind, outcome.state).observe(seconds)
    JOB_RUNS.labels(outcome.kind, outcome.state).inc()


def job_table(engine: Engine) -> list[GaugeMetricFamily]:
    """Jobs by kind and state, and the queue depth, as the database holds them now."""
    counts = GaugeMetricFamily("courseport_jobs", "Jobs stored, by kind and state.", labels=["kind", "state"])
    depth = GaugeMetricFamily("courseport_job_queue_depth", "Jobs waiting to run, by kind.", labels=["kind"])
    with transaction(engine, write=False) as db:
        rows = db.execute(select(Job.kind, Job.state, func.count()).group_by(Job.kind, Job.state)).all()
    for kind, state, n in rows:
        counts.add_metric([kind, state], n)
        if state == "queued":
            depth.add_metric([kind], n)
    return [counts, depth]


class _Table:
    def __init__(self, engine: Engine):
        self.engine = engine

    def collect(self) -> list[GaugeMetricFamily]:
        return job_table(self.engine)


def exposition(engine: Engine) -> bytes:
    """The text /metrics answers: this process's (or every server process's) samples and the job table."""
    if os.environ.get(MULTIPROCESS_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        samples = generate_latest(registry)
    else:
        samples = generate_latest(REGISTRY)
    table = CollectorRegistry(auto_describe=False)
    table.register(_Table(engine))
    return samples + generate_latest(table)


def prepare_multiprocess_metrics(data_dir: Path, processes: int) -> None:
    """Before uvicorn starts several server processes: a fresh folder for their samples (the old ones
    belong to processes that are gone). One process keeps its samples in memory."""
    if processes < 2 or os.environ.get(MULTIPROCESS_ENV):
        return
    folder = data_dir / "metrics"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700, parents=True)
    os.environ[MULTIPROCESS_ENV] = str(folder)


def authorized(header: str | None, token: str | None) -> bool:
    """Whether an Authorization header opens /metrics: any, without a token; else `Bearer <token>`
    (compared in constant time)."""
    if not token:
        return True
    return hmac.compare_digest((header or "").encode(), f"Bearer {token}".encode())


def serve_metrics(port: int, token: str | None = None) -> None:
    """`courseport worker --metrics-port`: /metrics of this process on its own port (a daemon thread), behind
    the metrics token when there is one."""
    server = make_server("", port, _bearer_only(make_wsgi_app(), token), _ThreadingServer, _QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()


def _bearer_only(app: Callable, token: str | None) -> Callable:
    def guarded(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if authorized(environ.get("HTTP_AUTHORIZATION"), token):
            return app(environ, start_response)
        start_response("401 Unauthorized", [("Content-Type", "text/plain"), ("WWW-Authenticate", "Bearer")])
        return [b"a metrics token is required\n"]
    return guarded


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Scrapes are not logged (a line every few seconds per scraper)."""
