"""Logs, metrics, health and settings for deployments (issue 16, items 5 and 6).

The live server of these tests runs in this process, so its log lines and metrics are this process's:
logging is pointed at a buffer for the test and put back after it.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import click
import pytest
import structlog
from click.testing import CliRunner
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine

from courseport import logs
from courseport.app import create_app, health_report
from courseport.cli import _from_flags, settings_options
from courseport.services import build_services
from courseport.settings import SETTINGS, Settings


@pytest.fixture
def log_lines():
    """The JSON lines logged while the test runs (a function returning them parsed)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    buffer = io.StringIO()
    logs.configure_logging("json", stream=buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]
    root.handlers[:], root.level = handlers, level
    structlog.reset_defaults()
    logs._LOG = structlog.get_logger().bind(logger="courseport.requests")
    logs._JOB_LOG = structlog.get_logger().bind(logger="courseport.jobs")


def _queue_offer(world, request_id: str | None = None):  # noqa: ANN001, ANN202
    course = world.course("Draft", offer=False)
    headers = {"X-Request-Id": request_id} if request_id else {}
    with world.client(world.admin_token) as c:
        r = c.put("/api/v1/accounts/1/courses", data={"event": "offer", "course_ids[]": [str(course.id)]},
                  headers=headers)
        ran = c.post("/_courseport/jobs/run")
    assert r.status_code == 200 and ran.json() == {"ran": 1}
    return r


def test_a_request_id_follows_the_request_into_its_job(world, log_lines):
    r = _queue_offer(world, "trace-me-42")
    assert r.headers["x-request-id"] == "trace-me-42"
    lines = log_lines()
    request = next(line for line in lines if line["event"] == "request" and line["request_id"] == "trace-me-42")
    assert request["face"] == "canvas" and request["method"] == "PUT" and request["status"] == 200
    assert request["route"] == "/api/v1/accounts/{account_id}/courses"
    assert request["user_id"] == world.admin.id and request["duration_ms"] > 0
    job = next(line for line in lines if line["event"] == "job")
    assert (job["request_id"], job["kind"], job["attempt"], job["outcome"]) == \
           ("trace-me-42", "batch_update_courses", 1, "completed")
    assert job["error"] is None and job["duration_ms"] >= 0 and job["job_id"] == int(r.json()["id"])


def test_a_request_without_an_id_gets_one(world, log_lines):
    with world.client() as c:
        r = c.get("/_courseport/health", headers={"X-Request-Id": "bad id\tspaces"})
    made = r.headers["x-request-id"]
    assert made != "bad id\tspaces" and len(made) == 24
    assert any(line.get("request_id") == made and line["face"] == "admin" for line in log_lines())


def test_a_refused_write_is_answered_and_logged_with_its_caller(world, log_lines):
    """A write refused after its session rolled back leaves the caller's User expired and detached:
    the request line still names the caller, and the answer still reaches the client whole."""
    user = {"user[name]": "Pat", "pseudonym[unique_id]": "pat@example.test"}
    with world.client(world.admin_token) as c:
        assert c.post("/api/v1/accounts/1/users", data=user).status_code == 200
        again = c.post("/api/v1/accounts/1/users", data=user, headers={"X-Request-Id": "dup-login-1"})
    assert again.status_code == 400 and "pseudonym" in again.json()["errors"]
    line = next(line for line in log_lines() if line.get("request_id") == "dup-login-1")
    assert (line["status"], line["user_id"]) == (400, world.admin.id)


def test_a_get_reads_params_from_its_body_and_logs_its_caller(world, log_lines):
    """A read-only route's call is made by read_only.with_call, not the router's dependency: a GET's form
    body still counts as its parameters, and the request's line still names its caller."""
    course = world.course("Bodied")
    with world.client(world.admin_token) as c:
        r = c.request("GET", f"/api/v1/courses/{course.id}", content="include[]=term",
                      headers={"Content-Type": "application/x-www-form-urlencoded", "X-Request-Id": "bodied-get-1"})
    assert r.status_code == 200 and r.json()["id"] == course.id and r.json()["term"]["id"] == course.enrollment_term_id
    line = next(line for line in log_lines() if line.get("request_id") == "bodied-get-1")
    assert (line["status"], line["user_id"], line["route"]) == (200, world.admin.id, "/api/v1/courses/{course_id}")


def _samples(text: str) -> dict[str, list]:
    found: dict[str, list] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append(sample)
    return found


def test_metrics_count_requests_and_jobs(world):
    _queue_offer(world)
    with world.client() as c:
        page = c.get("/metrics")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/plain")
    samples = _samples(page.text)
    route = "/api/v1/accounts/{account_id}/courses"
    counts = [s for s in samples["courseport_request_duration_seconds_count"]
              if s.labels == {"face": "canvas", "route": route, "method": "PUT"}]
    assert counts and counts[0].value >= 1
    assert any(s.labels["le"] == "+Inf" for s in samples["courseport_request_duration_seconds_bucket"])
    assert any(s.labels == {"face": "canvas", "route": route, "method": "PUT", "status": "200"} and s.value >= 1
               for s in samples["courseport_requests_total"])
    assert any(s.labels == {"kind": "batch_update_courses", "outcome": "completed"} and s.value >= 1
               for s in samples["courseport_job_runs_total"])
    assert any(s.labels == {"kind": "batch_update_courses", "outcome": "completed"}
               for s in samples["courseport_job_duration_seconds_count"])
    assert any(s.labels == {"kind": "batch_update_courses", "state": "completed"} and s.value >= 1
               for s in samples["courseport_jobs"])
    assert "courseport_job_queue_depth" in {f.name for f in text_string_to_metric_families(page.text)}


def test_health_reports_each_component(services):
    assert health_report(services) == {"status": "ok", "database": "ok", "blob_store": "ok", "job_queue": "ok"}


def test_health_fails_clearly_when_the_database_is_unreachable(services, tmp_path):
    # Services of its own: the app's lifespan stops them at the end, and the session's (the live server's
    # collector and job threads) must keep running for the tests after this one.
    own = build_services(services.settings)
    app = create_app(own.settings, own)
    with TestClient(app) as client:
        engine = own.engine
        own.engine = create_engine(f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}")
        try:
            r = client.get("/_courseport/health")
        finally:
            own.engine.dispose()
            own.engine = engine
    own.engine.dispose()
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "down" and body["blob_store"] == "ok"
    assert body["database"].startswith("down: OperationalError") and "unable to open database" in body["database"]
    assert body["job_queue"].startswith("down: ")


# One value per setting, as an operator types it, and what Settings holds for it.
SAMPLES = {
    "data_dir": ("/srv/courseport", Path("/srv/courseport")),
    "database_url": ("postgresql://db.internal/courseport", "postgresql://db.internal/courseport"),
    "blob_url": ("s3://bucket/prefix", "s3://bucket/prefix"),
    "host": ("0.0.0.0", "0.0.0.0"),
    "port": ("9000", 9000),
    "public_url": ("https://courses.example", "https://courses.example"),
    "job_mode": ("external", "external"),
    "job_threads": ("5", 5),
    "job_lease_seconds": ("12.5", 12.5),
    "max_upload_bytes": ("1048576", 1048576),
    "package_max_unpacked_bytes": ("2000", 2000),
    "package_max_entries": ("300", 300),
    "package_max_ratio": ("50", 50),
    "outbound_allow": ("10.0.0.0/8, intranet.example", ("10.0.0.0/8", "intranet.example")),
    "read_cache": ("off", False),
    "json_cache": ("off", False),
    "frame_ancestors": ("https://lms.example https://other.example", ("https://lms.example", "https://other.example")),
    "content_sources": ("https://cdn.example", ("https://cdn.example",)),
    "auth_failure_limit": ("3", 3),
    "auth_failure_window": ("30", 30.0),
    "request_log": ("off", False),
    "log_format": ("json", "json"),
    "metrics_port": ("9100", 9100),
    "metrics_token": ("s3cret", "s3cret"),
}


def test_every_setting_has_a_sample():
    assert {option.field for option in SETTINGS} == set(SAMPLES)


@pytest.mark.parametrize("option", SETTINGS, ids=[o.field for o in SETTINGS])
def test_each_setting_is_read_from_its_variable_and_its_flag(option, monkeypatch):
    raw, wanted = SAMPLES[option.field]
    for other in SETTINGS:
        monkeypatch.delenv(other.env, raising=False)
    monkeypatch.setenv(option.env, raw)
    assert getattr(Settings.from_env(), option.field) == wanted
    monkeypatch.delenv(option.env)
    seen = {}

    @click.command()
    @settings_options
    def probe(**flags) -> None:
        seen["settings"] = _from_flags(flags)

    result = CliRunner().invoke(probe, [option.flag, raw])
    assert result.exit_code == 0, result.output
    assert getattr(seen["settings"], option.field) == wanted
    assert option.env in CliRunner().invoke(probe, ["--help"], terminal_width=200).output
