"""Fault injection: Canvas's 429 raised by canvasapi as Canvas's would be, vendor error bodies, latency,
dropped connections, counts, globs, and the admin API that lists and removes rules."""

from __future__ import annotations

import time

import httpx
import pytest
from canvasapi.exceptions import RateLimitExceeded
from sqlalchemy import select

from courseport.schema import FaultRule
from courseport.web.controls.fault_rules import glob_match


def add_fault(world, **rule) -> dict:  # noqa: ANN003
    with world.client(world.admin_token) as c:
        r = c.post("/_courseport/faults", json=rule)
    assert r.status_code == 201, r.text
    return r.json()


def test_canvas_rate_limit_is_raised_by_canvasapi(world):
    course = world.course("Throttled")
    add_fault(world, face="canvas", method="GET", path="/api/v1/courses/*", action="rate_limit", count=1)
    canvas = world.canvas()
    with pytest.raises(RateLimitExceeded) as raised:
        canvas.get_course(course.id)
    assert "X-Rate-Limit-Remaining: 0.0" in str(raised.value)
    assert canvas.get_course(course.id).name == "Throttled"  # the count is used up
    with world.tx() as db:
        assert db.scalar(select(FaultRule.remaining)) == 0


def test_canvas_rate_limit_wire_shape(world):
    add_fault(world, face="canvas", action="rate_limit")
    with world.client(world.admin_token) as c:
        r = c.get("/api/v1/courses")
    assert r.status_code == 429
    assert r.headers["X-Rate-Limit-Remaining"] == "0.0"
    assert r.headers["X-Request-Cost"] == "0.0"
    assert r.text == "429 Too Many Requests (Rate Limit Exceeded)\n"


def test_learn_valence_and_scorm_rate_limits_speak_their_vendors(world):
    add_fault(world, face="blackboard", action="rate_limit", seconds=30)
    add_fault(world, face="d2l", action="rate_limit", seconds=20)
    add_fault(world, face="scorm_cloud", action="rate_limit")
    with world.client() as c:
        learn = c.get("/learn/api/public/v3/courses")
        valence = c.get("/d2l/api/lp/1.30/users/whoami")
        scorm = c.get("/api/v2/courses")
    assert (learn.status_code, learn.json()["status"]) == (429, 429)
    assert learn.headers["X-Rate-Limit-Remaining"] == "0"
    assert learn.headers["X-Rate-Limit-Reset"] == "30"
    assert "X-Rate-Limit-Limit" in learn.headers
    assert (valence.status_code, valence.headers["Retry-After"]) == (429, "20")
    assert valence.headers["content-type"] == "application/problem+json"
    assert (scorm.status_code, scorm.json()) == (429, {"message": "Rate limit exceeded"})


def test_status_with_the_faces_error_body(world):
    add_fault(world, face="blackboard", method="GET", path="/learn/api/public/*/courses", action="status",
              status=503, message="Down for the test")
    with world.client() as c:
        r = c.get("/learn/api/public/v3/courses")
        other = c.post("/learn/api/public/v3/courses")
    assert (r.status_code, r.json()) == (503, {"status": 503, "message": "Down for the test"})
    assert other.status_code != 503  # another method


def test_latency_delays_and_the_call_still_answers(world):
    add_fault(world, face="canvas", action="latency", seconds=0.4)
    start = time.monotonic()
    assert world.canvas().get_current_user().id == world.admin.id
    assert time.monotonic() - start >= 0.4


def test_dropped_connection(world):
    add_fault(world, face="canvas", path="/api/v1/users/self", action="drop", count=1)
    with world.client(world.admin_token) as c:
        with pytest.raises(httpx.RemoteProtocolError):
            c.get("/api/v1/users/self")
    with world.client(world.admin_token) as c:
        assert c.get("/api/v1/users/self").status_code == 200


def test_the_admin_api_is_never_faulted_and_lists_and_removes_rules(world):
    rule = add_fault(world, path="*", action="status", status=500, probability=1)
    assert rule["face"] is None and rule["remaining"] is None
    with world.client(world.admin_token) as c:
        assert c.get("/api/v1/users/self").status_code == 500
        assert [r["id"] for r in c.get("/_courseport/faults").json()] == [rule["id"]]
        assert c.delete(f"/_courseport/faults/{rule['id']}").json() == {"id": rule["id"], "removed": True}
        assert c.delete(f"/_courseport/faults/{rule['id']}").status_code == 404
        assert c.get("/api/v1/users/self").status_code == 200
        add_fault(world, action="drop")
        assert c.delete("/_courseport/faults").json() == {"removed": 1}
        assert c.get("/_courseport/faults").json() == []


@pytest.mark.parametrize(("rule", "field"), [
    ({"action": "explode"}, "action"), ({"action": "status"}, "status"),
    ({"action": "status", "status": 200}, "status"),
    ({"action": "latency"}, "seconds"), ({"action": "latency", "seconds": 1e9}, "seconds"),
    ({"action": "drop", "face": "moodle"}, "face"), ({"action": "drop", "method": "BREW"}, "method"),
    ({"action": "drop", "probability": 0}, "probability"), ({"action": "drop", "count": 0}, "count"),
    ({"action": "drop", "path": "courses"}, "path")])
def test_bad_rules_name_their_field(world, rule, field):
    with world.client(world.admin_token) as c:
        r = c.post("/_courseport/faults", json=rule)
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == field
    with world.tx() as db:
        assert db.scalar(select(FaultRule.id)) is None


def test_only_tenant_admins_manage_faults(world):
    _, token = world.user_with_token("teacher")
    with world.client(token) as c:
        assert c.post("/_courseport/faults", json={"action": "drop"}).status_code == 403
        assert c.get("/_courseport/faults").status_code == 403


@pytest.mark.parametrize(("pattern", "path", "hit"), [
    ("/api/v1/courses/*", "/api/v1/courses/5/pages", True), ("/api/v1/courses/?", "/api/v1/courses/5", True),
    ("/api/v1/courses/?", "/api/v1/courses/55", False), ("*", "/", True), ("*/pages", "/api/v1/courses/1/pages", True),
    ("*/pages", "/api/v1/courses/1/pages/x", False), ("/a*b*c", "/a" + "b" * 5000, False)])
def test_glob(pattern, path, hit):
    assert glob_match(pattern, path) is hit


def test_a_tenants_rules_fault_its_own_calls_only(world):
    with world.client(world.admin_token) as c:
        made = c.post("/_courseport/tenants", json={"name": "Suite B"})
    assert made.status_code == 201, made.text
    creds = made.json()["credentials"]
    b_token, b_scorm = creds["canvas"]["token"], (creds["scorm_cloud"]["app_id"], creds["scorm_cloud"]["secret_key"])
    with world.client(b_token) as c:
        for face in ("canvas", "scorm_cloud", "d2l"):
            assert c.post("/_courseport/faults", json={"face": face, "action": "status", "status": 503}
                          ).status_code == 201
    with world.client(b_token) as c:
        faulted = c.get("/api/v1/users/self")
        faulted_scorm = c.get("/api/v2/courses", auth=b_scorm)
        faulted_valence = c.get("/d2l/api/lp/1.30/users/whoami", params={"x_b": creds["d2l"]["user_id"]})
    with world.client(world.admin_token) as c:
        untouched = c.get("/api/v1/users/self")
        listed = c.get("/_courseport/faults").json()
        untouched_scorm = c.get("/api/v2/courses", auth=world.scorm_app())
    assert (faulted.status_code, faulted_scorm.status_code, faulted_valence.status_code) == (503, 503, 503)
    assert (untouched.status_code, untouched_scorm.status_code) == (200, 200)
    assert listed == []  # the default tenant's admin sees only their own tenant's rules
