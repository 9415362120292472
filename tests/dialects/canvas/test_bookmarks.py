"""Canvas bookmarks (Bookmarks API) over raw HTTP: exact bodies, positions kept 1..n in the store, each
user's bookmarks their own, refusals naming their field."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.schema import Bookmark
from tests.dialects.canvas.errors import NOT_FOUND

BASE = "/api/v1/users/self/bookmarks"


@pytest.fixture
def two(world):
    return world.user_with_token("bm_one"), world.user_with_token("bm_two")


def _stored(world, user) -> list[tuple[str, int]]:
    with world.tx() as db:
        return [(b.name, b.position) for b in db.scalars(select(Bookmark).where(Bookmark.user_id == user.id)
                                                         .order_by(Bookmark.position))]


def test_create_list_move_update_and_delete(world, two):
    (me, token), _ = two
    with world.client(token) as c:
        r = c.post(BASE, data={"name": "Home", "url": "/courses/1", "data[kind]": "course"})
        assert (r.status_code, r.json()) == (200, {"id": r.json()["id"], "name": "Home", "url": "/courses/1",
                                                   "position": 1, "data": {"kind": "course"}})
        home = r.json()["id"]
        c.post(BASE, data={"name": "Grades", "url": "/grades"})
        first = c.post(BASE, json={"name": "Inbox", "url": "/conversations", "position": 1}).json()
        assert first["position"] == 1 and first["data"] is None
        assert _stored(world, me) == [("Inbox", 1), ("Home", 2), ("Grades", 3)]
        listed = c.get(BASE)
        assert [b["name"] for b in listed.json()] == ["Inbox", "Home", "Grades"] and "Link" in listed.headers
        moved = c.put(f"{BASE}/{home}", data={"position": "3", "name": "Start"}).json()
        assert (moved["name"], moved["position"]) == ("Start", 3)
        assert _stored(world, me) == [("Inbox", 1), ("Grades", 2), ("Start", 3)]
        assert c.get(f"{BASE}/{home}").json()["url"] == "/courses/1"
        gone = c.delete(f"{BASE}/{first['id']}")
        assert (gone.status_code, gone.json()["name"]) == (200, "Inbox")
        assert _stored(world, me) == [("Grades", 1), ("Start", 2)]


def test_bookmarks_are_their_owners_alone_and_refusals_name_the_field(world, two):
    (_, token), (other, other_token) = two
    with world.client(token) as c:
        mine = c.post(BASE, data={"name": "Home", "url": "/"}).json()["id"]
        for data, field in (({"url": "/"}, "name"), ({"name": "x"}, "url"),
                            ({"name": "x", "url": "/", "position": "first"}, "position"),
                            ({"name": "x", "url": "/", "data": "{not json"}, "data")):
            r = c.post(BASE, data=data)
            assert (r.status_code, r.json()["errors"][0]["field"]) == (400, field), data
        r = c.put(f"{BASE}/{mine}", data={"name": ""})
        assert (r.status_code, r.json()["errors"][0]["field"]) == (400, "name")
        assert c.get(f"{BASE}/99999999").json() == NOT_FOUND
    with world.client(other_token) as c:
        assert c.get(BASE).json() == []
        for r in (c.get(f"{BASE}/{mine}"), c.put(f"{BASE}/{mine}", data={"name": "Mine"}), c.delete(f"{BASE}/{mine}")):
            assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert _stored(world, other) == []
