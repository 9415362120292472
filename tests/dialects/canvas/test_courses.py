"""Canvas Courses API over raw HTTP: exact bodies, errors and state after each call."""

from __future__ import annotations


def test_create_and_get_course(world):
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/1/courses", data={"course[name]": "Biology 101", "offer": "true"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["name"] == "Biology 101"
        assert body["course_code"] == "Biology 101"
        assert body["workflow_state"] == "available"
        got = c.get(f"/api/v1/courses/{body['id']}", params={"include[]": ["term", "total_students"]})
        assert got.status_code == 200
        assert got.json()["term"]["name"] == "Default Term"
        assert got.json()["total_students"] == 0


def test_missing_token_is_401_with_www_authenticate(world):
    with world.client() as c:
        r = c.get("/api/v1/courses")
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert r.json() == {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]}


def test_bad_token_is_401(world):
    with world.client("nope") as c:
        r = c.get("/api/v1/courses")
    assert r.status_code == 401
    assert r.json() == {"errors": [{"message": "Invalid access token."}]}
