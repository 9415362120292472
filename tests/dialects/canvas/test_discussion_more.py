"""Canvas discussions over raw HTTP: the full topic view, reordering pinned topics, rating entries."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import ContentItem, DiscussionEntry, DiscussionEntryRating, User


def _topics(world, course_id: int) -> dict[int, int | None]:
    with world.tx() as db:
        return {i.id: i.position for i in db.scalars(select(ContentItem).where(
            ContentItem.course_id == course_id, ContentItem.type == "discussion_topic"))}


def _ratings(world, topic_id: int) -> set[tuple[int, int, int]]:
    with world.tx() as db:
        return {(r.entry_id, r.user_id, r.rating) for r in db.scalars(
            select(DiscussionEntryRating).where(DiscussionEntryRating.topic_id == topic_id))}


def _user(world, token: str, course_id: int) -> User:
    with world.client(token) as c:
        me = c.get("/api/v1/users/self").json()
    with world.tx() as db:
        return db.get(User, me["id"])


def _display(world, u: User, course_id: int) -> dict:
    origin = world.base_url
    return {"id": u.id, "anonymous_id": format(u.id, "x"), "display_name": u.short_name,
            "avatar_image_url": f"{origin}/images/messages/avatar-50.png",
            "html_url": f"{origin}/courses/{course_id}/users/{u.id}", "pronouns": None}


def test_full_view_exact_body(world):
    course = world.course()
    cast = world.cast(course)
    base = f"/api/v1/courses/{course.id}/discussion_topics"
    with world.client(cast["teacher"]) as t:
        topic = t.post(base, data={"title": "Tree", "published": "true", "discussion_type": "threaded",
                                   "allow_rating": "true"}).json()
        first = t.post(f"{base}/{topic['id']}/entries", data={"message": "first"}).json()
    with world.client(cast["student"]) as s:
        second = s.post(f"{base}/{topic['id']}/entries", data={"message": "second"}).json()
        reply = s.post(f"{base}/{topic['id']}/entries/{first['id']}/replies", data={"message": "re"}).json()
        gone = s.post(f"{base}/{topic['id']}/entries/{reply['id']}/replies", data={"message": "oops"}).json()
        nested = s.post(f"{base}/{topic['id']}/entries/{gone['id']}/replies", data={"message": "deep"}).json()
        assert s.delete(f"{base}/{topic['id']}/entries/{gone['id']}").status_code == 204
        assert s.post(f"{base}/{topic['id']}/entries/{first['id']}/rating", data={"rating": "1"}).status_code == 204
        assert s.put(f"{base}/{topic['id']}/entries/{first['id']}/read", data={"forced_read_state": "true"}
                     ).status_code == 204
        r = s.get(f"{base}/{topic['id']}/view")
    assert r.status_code == 200, r.text
    with world.tx() as db:
        stored = {e.id: e for e in db.scalars(select(DiscussionEntry).where(DiscussionEntry.topic_id == topic["id"]))}
    teacher, student = _user(world, cast["teacher"], course.id), _user(world, cast["student"], course.id)

    def live(e: dict, **more) -> dict:
        row = stored[e["id"]]
        return {"id": e["id"], "parent_id": row.parent_id, "created_at": e["created_at"],
                "updated_at": row.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"), "user_id": row.user_id,
                "message": row.message, "rating_count": None, "rating_sum": None, **more}

    deleted = {"id": gone["id"], "parent_id": reply["id"], "created_at": gone["created_at"],
               "updated_at": stored[gone["id"]].updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"), "deleted": True,
               "replies": [live(nested)]}
    assert r.json() == {
        "unread_entries": [], "forced_entries": [first["id"]], "entry_ratings": {str(first["id"]): 1},
        "participants": [_display(world, teacher, course.id), _display(world, student, course.id)],
        "view": [live(first, rating_count=1, rating_sum=1, replies=[live(reply, replies=[deleted])]),
                 live(second)],
        "new_entries": [],
    }
    with world.client(cast["teacher"]) as t:
        mine = t.get(f"{base}/{topic['id']}/view").json()
    assert (mine["unread_entries"], mine["forced_entries"], mine["entry_ratings"]) == (
        [second["id"], reply["id"], nested["id"]], [], {})


def test_full_view_requires_initial_post_and_rights(world):
    course = world.course()
    cast = world.cast(course)
    base = f"/api/v1/courses/{course.id}/discussion_topics"
    with world.client(cast["teacher"]) as t:
        topic = t.post(base, data={"title": "Q", "published": "true", "require_initial_post": "true"}).json()
        t.post(f"{base}/{topic['id']}/entries", data={"message": "example"})
        assert len(t.get(f"{base}/{topic['id']}/view").json()["view"]) == 1
        draft = t.post(base, data={"title": "Draft", "published": "false"}).json()
    with world.client(cast["student"]) as s:
        hidden = s.get(f"{base}/{topic['id']}/view")
        assert hidden.status_code == 403
        assert hidden.json() == {"status": "unauthorized",
                                 "errors": [{"message": "You must post before seeing replies"}]}
        s.post(f"{base}/{topic['id']}/entries", data={"message": "mine"})
        assert [e["message"] for e in s.get(f"{base}/{topic['id']}/view").json()["view"]] == ["example", "mine"]
        assert s.get(f"{base}/{draft['id']}/view").status_code == 404
        missing = s.get(f"{base}/999999/view").json()
        assert missing == {"errors": [{"message": "The specified resource does not exist."}]}
    with world.client(cast["outsider"]) as o:
        assert o.get(f"{base}/{topic['id']}/view").status_code == 403


def test_reorder_pinned_topics_orders_the_list(world):
    course = world.course()
    cast = world.cast(course)
    base = f"/api/v1/courses/{course.id}/discussion_topics"
    with world.client(cast["teacher"]) as t:
        a, b, c = (t.post(base, data={"title": n, "published": "true", "pinned": "true"}).json() for n in "ABC")
        loose = t.post(base, data={"title": "Loose", "published": "true"}).json()
        r = t.post(f"{base}/reorder", data={"order": f"{c['id']},{a['id']},{b['id']}"})
        assert r.status_code == 200, r.text
        assert r.json() == {"reorder": True, "order": [c["id"], a["id"], b["id"]]}
        positions = _topics(world, course.id)
        assert [positions[x["id"]] for x in (c, a, b)] == [1, 2, 3]
        listed = t.get(base).json()
        assert [x["title"] for x in listed] == ["C", "A", "B", "Loose"]
        assert [x["position"] for x in listed] == [1, 2, 3, None]
        again = t.post(f"{base}/reorder", json={"order": [b["id"], c["id"], a["id"]]})
        assert again.json() == {"reorder": True, "order": [b["id"], c["id"], a["id"]]}
        assert [x["title"] for x in t.get(base).json()] == ["B", "C", "A", "Loose"]
        before = _topics(world, course.id)
        for order in (f"{a['id']},{b['id']}", f"{a['id']},{b['id']},{c['id']},{loose['id']}",
                      f"{a['id']},{a['id']},{b['id']},{c['id']}", ""):
            bad = t.post(f"{base}/reorder", data={"order": order})
            assert bad.status_code == 400, order
            assert bad.json() == {"errors": [{"message": "order must name every pinned topic of the course "
                                                         "exactly once", "field": "order"}]}
        bad = t.post(f"{base}/reorder", data={"order": f"{a['id']},x"})
        assert bad.json() == {"errors": [{"message": "order must be an integer, got 'x'", "field": "order"}]}
        assert _topics(world, course.id) == before
    with world.client(cast["student"]) as s:
        refused = s.post(f"{base}/reorder", data={"order": f"{a['id']},{b['id']},{c['id']}"})
        assert refused.status_code == 403
        assert _topics(world, course.id) == before


def test_rate_entries(world):
    course = world.course()
    cast = world.cast(course)
    base = f"/api/v1/courses/{course.id}/discussion_topics"
    with world.client(cast["teacher"]) as t:
        topic = t.post(base, data={"title": "Likes", "published": "true", "allow_rating": "true"}).json()
        assert (topic["allow_rating"], topic["only_graders_can_rate"]) == (True, False)
        entry = t.post(f"{base}/{topic['id']}/entries", data={"message": "like me"}).json()
        assert (entry["rating_count"], entry["rating_sum"]) == (None, None)
        plain = t.post(base, data={"title": "No likes", "published": "true"}).json()
        other = t.post(f"{base}/{plain['id']}/entries", data={"message": "x"}).json()
    rate = f"{base}/{topic['id']}/entries/{entry['id']}/rating"
    student, teacher = _user(world, cast["student"], course.id), _user(world, cast["teacher"], course.id)
    with world.client(cast["student"]) as s:
        r = s.post(rate, data={"rating": "1"})
        assert (r.status_code, r.text) == (204, "")
        assert _ratings(world, topic["id"]) == {(entry["id"], student.id, 1)}
        listed = s.get(f"{base}/{topic['id']}/entries").json()[0]
        assert (listed["rating_count"], listed["rating_sum"]) == (1, 1)
    with world.client(cast["teacher"]) as t:
        assert t.post(rate, data={"rating": 1}).status_code == 204
        listed = t.get(f"{base}/{topic['id']}/entries").json()[0]
        assert (listed["rating_count"], listed["rating_sum"]) == (2, 2)
        edited = t.put(f"{base}/{topic['id']}/entries/{entry['id']}", data={"message": "edited"}).json()
        assert (edited["message"], edited["rating_count"], edited["rating_sum"]) == ("edited", 2, 2)
    with world.client(cast["student"]) as s:
        assert s.post(rate, data={"rating": "0"}).status_code == 204
        assert _ratings(world, topic["id"]) == {(entry["id"], student.id, 0), (entry["id"], teacher.id, 1)}
        listed = s.get(f"{base}/{topic['id']}/entries").json()[0]
        assert (listed["rating_count"], listed["rating_sum"]) == (2, 1)
        for value, message in (("2", "rating must be 0 or 1"), ("", "rating must be 0 or 1"),
                               ("yes", "rating must be an integer, got 'yes'")):
            bad = s.post(rate, data={"rating": value})
            assert bad.status_code == 400
            assert bad.json() == {"errors": [{"message": message, "field": "rating"}]}
        refused = s.post(f"{base}/{plain['id']}/entries/{other['id']}/rating", data={"rating": "1"})
        assert refused.status_code == 403
        assert refused.json()["errors"] == [{"message": "rating is not allowed in this topic"}]
        assert _ratings(world, plain["id"]) == set()
        missing = s.post(f"{base}/{topic['id']}/entries/{other['id']}/rating", data={"rating": "1"})
        assert missing.status_code == 404
    assert _ratings(world, topic["id"]) == {(entry["id"], student.id, 0), (entry["id"], teacher.id, 1)}


def test_only_graders_can_rate(world):
    course = world.course()
    cast = world.cast(course)
    base = f"/api/v1/courses/{course.id}/discussion_topics"
    with world.client(cast["teacher"]) as t:
        topic = t.post(base, data={"title": "Graders", "published": "true"}).json()
        updated = t.put(f"{base}/{topic['id']}", data={"allow_rating": "true", "only_graders_can_rate": "true"})
        assert (updated.json()["allow_rating"], updated.json()["only_graders_can_rate"]) == (True, True)
        entry = t.post(f"{base}/{topic['id']}/entries", data={"message": "m"}).json()
    with world.tx() as db:
        item = db.get(ContentItem, topic["id"])
        assert (item.data["allow_rating"], item.data["only_graders_can_rate"]) == (True, True)
    rate = f"{base}/{topic['id']}/entries/{entry['id']}/rating"
    with world.client(cast["student"]) as s:
        refused = s.post(rate, data={"rating": "1"})
        assert refused.status_code == 403
        assert refused.json()["errors"] == [{"message": "only graders can rate entries in this topic"}]
    assert _ratings(world, topic["id"]) == set()
    with world.client(cast["ta"]) as ta:
        assert ta.post(rate, data={"rating": "1"}).status_code == 204
        assert ta.get(f"{base}/{topic['id']}/view").json()["entry_ratings"] == {str(entry["id"]): 1}
    assert len(_ratings(world, topic["id"])) == 1
