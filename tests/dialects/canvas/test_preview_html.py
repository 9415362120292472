"""Canvas preview_html over raw HTTP: the sanitised HTML, in every body encoding, for course members only."""

from __future__ import annotations

import pytest

from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

SEED_HTML = "<p><badhtml></badhtml>processed html</p>"


@pytest.fixture
def course(world):
    return world.course("Preview 101")


def test_seed_example_form_encoded(world, course):
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/preview_html", data={"html": SEED_HTML})
    assert r.status_code == 200
    assert r.json() == {"html": "<p>processed html</p>"}


def test_seed_example_as_multipart_like_curl_dash_f(world, course):
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/preview_html", files={"html": (None, SEED_HTML)})
    assert r.status_code == 200
    assert r.json() == {"html": "<p>processed html</p>"}


def test_json_body_and_xss_vectors(world, course):
    dirty = ('<p onclick="x()">hi<script>alert(1)</script></p><img src=x onerror=alert(1)>'
             '<a href="javascript:alert(1)">j</a><svg onload=alert(1)></svg><iframe src="https://evil.test"></iframe>')
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/preview_html", json={"html": dirty})
    assert r.status_code == 200
    assert r.json() == {"html": '<p>hi</p><img src="x"><a rel="noopener noreferrer">j</a>'}


def test_missing_html_previews_nothing(world, course):
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/preview_html")
    assert (r.status_code, r.json()) == (200, {"html": ""})


@pytest.mark.parametrize(("role", "status"), [
    ("admin", 200), ("teacher", 200), ("ta", 200), ("designer", 200), ("student", 200), ("observer", 200),
    ("outsider", 403),
])
def test_who_may_preview(world, course, role, status):
    cast = world.cast(course)
    with world.client(cast[role]) as c:
        r = c.post(f"/api/v1/courses/{course.id}/preview_html", data={"html": SEED_HTML})
    assert r.status_code == status
    assert r.json() == ({"html": "<p>processed html</p>"} if status == 200 else FORBIDDEN)


def test_unknown_course_is_404_and_no_token_is_401(world, course):
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/courses/999999/preview_html", data={"html": SEED_HTML})
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    with world.client() as c:
        r = c.post(f"/api/v1/courses/{course.id}/preview_html", data={"html": SEED_HTML})
    assert r.status_code == 401
    assert r.json() == {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]}


def test_students_cannot_preview_in_an_unpublished_course(world):
    course = world.course("Draft", offer=False)
    cast = world.cast(course)
    with world.client(cast["student"]) as c:
        denied = c.post(f"/api/v1/courses/{course.id}/preview_html", data={"html": "<b>x</b>"})
    with world.client(cast["teacher"]) as c:
        allowed = c.post(f"/api/v1/courses/{course.id}/preview_html", data={"html": "<b>x</b>"})
    assert (denied.status_code, denied.json()) == (403, FORBIDDEN)
    assert (allowed.status_code, allowed.json()) == (200, {"html": "<b>x</b>"})
