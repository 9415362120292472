"""Every face's responses are neither MIME-sniffed nor cached (errors and unknown paths included), and
no URL a response carries comes from the request's Host header: they start with the public base URL."""

from __future__ import annotations

import base64

import httpx
import pytest

FORGED = {"Host": "evil.example"}


def _calls(world) -> list[tuple[str, str, dict, int]]:
    admin = {"Authorization": f"Bearer {world.admin_token}"}
    scorm_id, scorm_secret = world.scorm_app()
    basic = {"Authorization": "Basic " + base64.b64encode(f"{scorm_id}:{scorm_secret}".encode()).decode()}
    learn = {"Authorization": f"Bearer {world.blackboard_token()}"}
    return [
        ("GET", "/api/v1/users/self", admin, 200),
        ("GET", "/api/v1/courses", {}, 401),
        ("GET", "/api/v1/courses/999999", admin, 404),
        ("GET", "/api/v1/no/such/route", admin, 404),
        ("GET", "/learn/api/public/v1/system/version", learn, 200),
        ("GET", "/learn/api/public/v3/courses", {}, 401),
        ("GET", "/learn/api/public/v1/no/such/route", {}, 404),
        ("GET", "/api/v2/ping", basic, 200),
        ("GET", "/api/v2/ping", {}, 401),
        ("GET", "/api/v2/no/such/route", basic, 404),
        ("GET", "/d2l/api/versions/", {}, 200),
        ("GET", "/d2l/api/lp/1.4/courses/schema", {}, 403),
        ("GET", "/d2l/api/lp/1.4/no/such/route", {}, 404),
        ("POST", "/_courseport/reset", {}, 401),
        ("GET", "/no/such/page", {}, 404),
    ]


def test_every_face_answers_nosniff_and_no_store_errors_and_unknown_paths_included(world, http):
    for method, path, headers, status in _calls(world):
        answer = http.request(method, path, headers=headers)
        assert answer.status_code == status, (path, answer.text)
        assert answer.headers.get("x-content-type-options") == "nosniff", path
        assert answer.headers.get("cache-control") == "no-store", path


def test_a_route_that_chooses_its_caching_keeps_it(http):
    answer = http.get("/player/scorm_runtime.js")
    assert answer.status_code == 200
    assert (answer.headers["cache-control"], answer.headers["x-content-type-options"]) == (
        "public, max-age=300", "nosniff")


@pytest.fixture
def course(world):
    course = world.course("Biology")
    teacher, token = world.user_with_token("teacher")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.course("Chemistry")
    return course, token


def test_canvas_upload_url_and_links_ignore_a_forged_host(world, course):
    course, token = course
    with world.client(token) as client:
        step1 = client.post(f"/api/v1/courses/{course.id}/files", data={"name": "a.txt", "size": "1"},
                            headers=FORGED)
    assert step1.status_code == 200, step1.text
    assert step1.json()["upload_url"].startswith(world.base_url + "/api/v1/file_uploads/")
    with world.client(token) as client:
        listing = client.get("/api/v1/courses", params={"per_page": 1}, headers=FORGED)
    assert listing.status_code == 200 and "evil.example" not in listing.headers["link"]
    assert listing.headers["link"].startswith(f"<{world.base_url}/api/v1/courses?")
    sent = httpx.post(step1.json()["upload_url"], data=step1.json()["upload_params"], files={"file": ("a.txt", b"x")})
    assert sent.status_code == 201 and sent.json()["url"].startswith(world.base_url + "/api/v1/files/")


def test_learn_urls_ignore_a_forged_host(world, course):
    course, _ = course
    bearer = {"Authorization": f"Bearer {world.blackboard_token()}", **FORGED}
    with world.client() as client:
        answer = client.get(f"/learn/api/public/v3/courses/_{course.id}_1", headers=bearer)
    assert answer.status_code == 200, answer.text
    assert answer.json()["externalAccessUrl"] == f"{world.base_url}/courses/{course.id}"


def test_a_configured_public_url_is_what_responses_carry(world, course, monkeypatch):
    course, token = course
    public = world.services.settings.with_changes(public_url="https://courses.example.edu/cp/")
    monkeypatch.setattr(world.services, "settings", public)
    with world.client(token) as client:
        step1 = client.post(f"/api/v1/courses/{course.id}/files", data={"name": "a.txt", "size": "1"})
        shown = client.get(f"/api/v1/courses/{course.id}/assignments")
    assert step1.json()["upload_url"].startswith("https://courses.example.edu/cp/api/v1/file_uploads/")
    assert shown.status_code == 200 and world.base_url not in shown.headers["link"]
