"""Every control route is in the OpenAPI description at /_courseport/schema and refuses callers without an
administrator's token."""

from __future__ import annotations

import pytest

CONTROL_CALLS = [
    ("GET", "/_courseport/job_timing"), ("PUT", "/_courseport/job_timing/course_copy"),
    ("DELETE", "/_courseport/job_timing/course_copy"), ("POST", "/_courseport/jobs/1/release"),
    ("GET", "/_courseport/faults"), ("POST", "/_courseport/faults"), ("DELETE", "/_courseport/faults"),
    ("DELETE", "/_courseport/faults/1"), ("GET", "/_courseport/requests"), ("GET", "/_courseport/snapshots"),
    ("POST", "/_courseport/snapshots"), ("POST", "/_courseport/snapshots/x/restore"),
    ("DELETE", "/_courseport/snapshots/x"),
]


def test_the_schema_describes_every_control(world):
    with world.client() as c:
        r = c.get("/_courseport/schema")
    assert r.status_code == 200
    doc = r.json()
    assert doc["openapi"].startswith("3.")
    paths = {(method.upper(), path) for path, item in doc["paths"].items() for method in item}
    for method, path in CONTROL_CALLS:
        template = (path.replace("/course_copy", "/{kind}").replace("/jobs/1/", "/jobs/{job_id}/")
                    .replace("/faults/1", "/faults/{rule_id}").replace("/snapshots/x", "/snapshots/{name}"))
        assert (method, template) in paths
    assert not any(p.startswith(("/api/v1", "/learn", "/d2l", "/api/v2")) for p in doc["paths"])
    assert "admin_token" in doc["components"]["securitySchemes"]


@pytest.mark.parametrize(("method", "path"), CONTROL_CALLS)
def test_each_control_checks_the_admin_token(world, method, path):
    _, token = world.user_with_token("teacher")
    with world.client() as anonymous, world.client(token) as teacher:
        assert anonymous.request(method, path, json={"name": "x"}).status_code == 401
        assert teacher.request(method, path, json={"name": "x"}).status_code == 403
