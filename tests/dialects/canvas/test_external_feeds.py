"""Canvas announcement external feeds over raw HTTP: exact bodies, refusals, stored rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.schema import ExternalFeed
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


@pytest.fixture
def setup(world):
    course = world.course("Feeds 101")
    return course, world.cast(course)


def feeds_of(world, course_id: int) -> list[tuple]:
    with world.tx() as db:
        return [(f.url, f.header_match, f.verbosity) for f in
                db.scalars(select(ExternalFeed).where(ExternalFeed.course_id == course_id).order_by(ExternalFeed.id))]


def test_create_list_delete(world, setup):
    course, cast = setup
    base = f"/api/v1/courses/{course.id}/external_feeds"
    with world.client(cast["teacher"]) as c:
        r = c.post(base, data={"url": "https://blog.example.com/feed.rss", "header_match": " news ",
                               "verbosity": "link_only"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body == {"id": body["id"], "display_name": "https://blog.example.com feed",
                        "url": "https://blog.example.com/feed.rss", "header_match": "news",
                        "created_at": body["created_at"], "verbosity": "link_only", "external_feed_entries_count": 0}
        assert body["created_at"].endswith("Z")
        second = c.post(base, json={"url": "http://example.org/atom"}).json()
        assert (second["verbosity"], second["header_match"]) == ("full", None)
        listed = c.get(base)
        assert [f["id"] for f in listed.json()] == [body["id"], second["id"]]
        assert listed.json()[0] == body
        gone = c.delete(f"{base}/{body['id']}")
        assert (gone.status_code, gone.json()) == (200, body)
        again = c.delete(f"{base}/{body['id']}")
        assert (again.status_code, again.json()) == (404, NOT_FOUND)
    assert feeds_of(world, course.id) == [("http://example.org/atom", None, "full")]


@pytest.mark.parametrize(("data", "field", "message"), [
    ({}, "url", "url must be an absolute http or https URL, got ''"),
    ({"url": "ftp://example.com/feed"}, "url", "url must be an absolute http or https URL, got 'ftp://example.com/feed'"),
    ({"url": "feed.rss"}, "url", "url must be an absolute http or https URL, got 'feed.rss'"),
    ({"url": "http://example.com/f", "verbosity": "loud"}, "verbosity",
     "verbosity must be one of full, truncate, link_only"),
])
def test_bad_input_is_a_400_naming_the_field(world, setup, data, field, message):
    course, cast = setup
    with world.client(cast["teacher"]) as c:
        r = c.post(f"/api/v1/courses/{course.id}/external_feeds", data=data)
    assert (r.status_code, r.json()) == (400, {"errors": [{"message": message, "field": field}]})
    assert feeds_of(world, course.id) == []


def test_students_and_outsiders_are_refused_and_other_courses_feeds_unseen(world, setup):
    course, cast = setup
    other = world.course("Other feeds")
    other_cast = world.cast(other)
    with world.client(other_cast["teacher"]) as c:
        foreign = c.post(f"/api/v1/courses/{other.id}/external_feeds", data={"url": "http://a.example/f"}).json()
    base = f"/api/v1/courses/{course.id}/external_feeds"
    for role in ("student", "observer", "outsider"):
        with world.client(cast[role]) as c:
            for r in (c.get(base), c.post(base, data={"url": "http://b.example/f"}),
                      c.delete(f"/api/v1/courses/{other.id}/external_feeds/{foreign['id']}")):
                assert (r.status_code, r.json()) == (403, FORBIDDEN), role
    with world.client(cast["teacher"]) as c:
        r = c.delete(f"{base}/{foreign['id']}")
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert feeds_of(world, course.id) == []
    assert feeds_of(world, other.id) == [("http://a.example/f", None, "full")]
