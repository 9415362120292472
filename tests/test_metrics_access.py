"""Who may read /metrics: anyone, or with a metrics token only the bearer of it, on a server's port and on a
worker's --metrics-port alike; and what a scrape leaves out."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from courseport import metrics
from courseport.app import create_app
from courseport.services import build_services

TOKEN = "s3cret-scrape-token"


@pytest.fixture
def guarded_app(services):
    """An app of its own whose settings carry a metrics token (its lifespan stops its own services only)."""
    own = build_services(services.settings.with_changes(metrics_token=TOKEN))
    with TestClient(create_app(own.settings, own)) as client:
        yield client
    own.engine.dispose()


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", ""])
def test_a_server_refuses_metrics_without_its_token(guarded_app, header):
    page = guarded_app.get("/metrics", headers={"Authorization": header} if header is not None else {})
    assert page.status_code == 401
    assert page.headers["www-authenticate"] == "Bearer"
    assert page.text == "a metrics token is required\n"
    assert "courseport_requests" not in page.text


def test_a_server_answers_metrics_to_its_token(guarded_app):
    guarded_app.get("/_courseport/health")
    page = guarded_app.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/plain")
    names = {family.name for family in text_string_to_metric_families(page.text)}
    assert {"courseport_requests", "courseport_request_duration_seconds", "courseport_jobs"} <= names


def test_without_a_token_metrics_are_open_and_carry_no_created_samples(world):
    with world.client() as c:
        c.get("/_courseport/health")
        page = c.get("/metrics")
    assert page.status_code == 200
    samples = [s.name for f in text_string_to_metric_families(page.text) for s in f.samples]
    assert "courseport_requests_total" in samples
    assert not [name for name in samples if name.endswith("_created")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, **headers: str) -> httpx.Response:
    deadline = time.monotonic() + 10
    while True:
        try:
            return httpx.get(url, headers=headers, timeout=5)
        except httpx.ConnectError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_a_worker_metrics_port_asks_for_the_token():
    port = _free_port()
    metrics.serve_metrics(port, TOKEN)
    url = f"http://127.0.0.1:{port}/metrics"
    refused = _get(url)
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert refused.text == "a metrics token is required\n"
    assert _get(url, Authorization="Bearer nope").status_code == 401
    page = _get(url, Authorization=f"Bearer {TOKEN}")
    assert page.status_code == 200
    assert "courseport_job_runs" in {f.name for f in text_string_to_metric_families(page.text)}


def test_a_worker_metrics_port_without_a_token_is_open():
    port = _free_port()
    metrics.serve_metrics(port)
    page = _get(f"http://127.0.0.1:{port}/metrics")
    assert page.status_code == 200 and "courseport_job_duration_seconds" in page.text
