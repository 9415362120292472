"""Canvas Outcome Groups and Outcomes APIs over raw HTTP: exact shapes of groups, links and outcomes, the root
group made on first read, outcome validation with Canvas's error bodies, rights, and the stored state after
each call."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from courseport.schema import ContentItem
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

NEW = [("title", "Argue a claim"), ("display_name", "Claims"), ("description", "<p>State <b>and</b> defend</p>"),
       ("vendor_guid", "W.1"), ("mastery_points", "2"), ("calculation_method", "n_mastery"), ("calculation_int", "3"),
       ("ratings[][description]", "Fine"), ("ratings[][points]", "2"), ("ratings[][description]", "Great"),
       ("ratings[][points]", "4"), ("ratings[][description]", "Weak"), ("ratings[][points]", "0")]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def form(pairs: list[tuple[str, str]] | dict) -> dict:
    """httpx's request arguments for a form body whose pairs keep their order (Rails' `a[][k]` lists need it)."""
    return {"content": urlencode(list(pairs.items()) if isinstance(pairs, dict) else pairs), "headers": FORM}


@pytest.fixture
def cls(world):
    """tina teaches the course, ann studies in it, sam is a stranger to it."""
    course = world.course("Rhetoric")
    people = {}
    for login, etype in (("tina", "TeacherEnrollment"), ("ann", "StudentEnrollment"), ("sam", None)):
        user, token = world.user_with_token(login)
        if etype:
            world.enroll(user, course, etype)
        people[login] = token
    return course, people


def base(course) -> str:
    return f"/api/v1/courses/{course.id}"


def root(world, course, token) -> dict:
    with world.client(token) as c:
        r = c.get(f"{base(course)}/root_outcome_group")
    assert r.status_code == 200, r.text
    return r.json()


def new_outcome(world, course, token, group_id: int, data: dict | None = None):
    with world.client(token) as c:
        return c.post(f"{base(course)}/outcome_groups/{group_id}/outcomes", **form(NEW if data is None else data))


def items(world, course, kind: str) -> list[tuple]:
    with world.tx() as db:
        return [(i.title, i.parent_id, i.ref_id, i.workflow_state) for i in db.scalars(
            select(ContentItem).where(ContentItem.course_id == course.id, ContentItem.type == kind)
            .order_by(ContentItem.id))]


def group_json(course, gid: int, title: str, *, can_edit: bool = True, parent: dict | None = None,
               description: str = "", vendor_guid: str | None = None) -> dict:
    url = f"/api/v1/courses/{course.id}/outcome_groups/{gid}"
    return {"id": gid, "url": url, "title": title, "vendor_guid": vendor_guid, "subgroups_url": f"{url}/subgroups",
            "outcomes_url": f"{url}/outcomes", "can_edit": can_edit, "parent_outcome_group": parent,
            "context_id": course.id, "context_type": "Course", "description": description,
            "import_url": f"{url}/import"}


def abbrev(full: dict) -> dict:
    return {k: full[k] for k in ("id", "url", "title", "vendor_guid", "subgroups_url", "outcomes_url", "can_edit")}


def test_the_root_group_is_made_on_first_read_once_and_students_read_it(world, cls):
    course, people = cls
    assert items(world, course, "outcome_group") == []
    first = root(world, course, people["ann"])
    assert first == group_json(course, first["id"], "Rhetoric", can_edit=False)
    assert root(world, course, people["tina"]) == group_json(course, first["id"], "Rhetoric")
    assert items(world, course, "outcome_group") == [("Rhetoric", None, None, "active")]
    with world.client(people["sam"]) as c:
        r = c.get(f"{base(course)}/root_outcome_group")
    assert (r.status_code, r.json()) == (403, FORBIDDEN)
    assert len(items(world, course, "outcome_group")) == 1


def test_a_new_outcome_linked_into_a_group_answers_its_link_and_shows_in_full(world, cls):
    course, people = cls
    top = root(world, course, people["tina"])
    r = new_outcome(world, course, people["tina"], top["id"])
    assert r.status_code == 200, r.text
    link = r.json()
    oid = link["outcome"]["id"]
    assert link == {
        "url": f"/api/v1/courses/{course.id}/outcome_groups/{top['id']}/outcomes/{oid}", "context_id": course.id,
        "context_type": "Course", "outcome_group": abbrev(top), "assessed": False, "can_unlink": True,
        "outcome": {"id": oid, "url": f"/api/v1/outcomes/{oid}", "context_id": course.id, "context_type": "Course",
                    "title": "Argue a claim", "display_name": "Claims", "vendor_guid": "W.1", "can_edit": True}}
    full = {**link["outcome"], "description": "<p>State <b>and</b> defend</p>", "points_possible": 4.0,
            "mastery_points": 2.0, "calculation_method": "n_mastery", "calculation_int": 3,
            "ratings": [{"description": "Great", "points": 4.0}, {"description": "Fine", "points": 2.0},
                        {"description": "Weak", "points": 0.0}],
            "can_unlink": True, "assessed": False, "has_updateable_rubrics": False}
    with world.client(people["tina"]) as c:
        assert c.get(f"/api/v1/outcomes/{oid}").json() == full
    with world.client(people["ann"]) as c:
        assert c.get(f"/api/v1/outcomes/{oid}").json() == {**full, "can_edit": False}
        listed = c.get(f"{base(course)}/outcome_groups/{top['id']}/outcomes").json()
        everywhere = c.get(f"{base(course)}/outcome_group_links").json()
    student_link = {**link, "outcome_group": {**abbrev(top), "can_edit": False},
                    "outcome": {**link["outcome"], "can_edit": False}}
    assert listed == everywhere == [student_link]
    with world.client(people["tina"]) as c:
        in_full = c.get(f"{base(course)}/outcome_groups/{top['id']}/outcomes", params={"outcome_style": "full"})
        everywhere_full = c.get(f"{base(course)}/outcome_group_links", params={"outcome_style": "full"})
    assert in_full.json() == everywhere_full.json() == [{**link, "outcome": full}]
    assert items(world, course, "outcome") == [("Argue a claim", None, None, "active")]
    assert items(world, course, "outcome_link") == [("Argue a claim", top["id"], oid, "active")]


def test_an_outcome_made_with_a_title_alone_takes_canvas_defaults(world, cls):
    course, people = cls
    top = root(world, course, people["tina"])
    oid = new_outcome(world, course, people["tina"], top["id"], {"title": "Listen"}).json()["outcome"]["id"]
    with world.client(people["tina"]) as c:
        shown = c.get(f"/api/v1/outcomes/{oid}").json()
    assert {k: shown[k] for k in ("display_name", "description", "vendor_guid", "points_possible", "mastery_points",
                                   "calculation_method", "calculation_int", "ratings")} == {
        "display_name": None, "description": "", "vendor_guid": None, "points_possible": 5.0, "mastery_points": 3.0,
        "calculation_method": "decaying_average", "calculation_int": 65,
        "ratings": [{"description": "Exceeds Expectations", "points": 5.0},
                    {"description": "Meets Expectations", "points": 3.0},
                    {"description": "Does Not Meet Expectations", "points": 0.0}]}


def _error(field: str, message: str) -> dict:
    return {"errors": [{"message": message, "field": field}]}


@pytest.mark.parametrize(("data", "body"), [
    ({"description": "no title"}, _error("title", "title is required")),
    ({"title": "  "}, _error("title", "title is required")),
    ({"title": "x" * 256}, _error("title", "title may be at most 255 characters long")),
    ({"title": "T", "calculation_int": "100"}, _error(
        "calculation_int", "calculation_int 100 is not valid for decaying_average: it must be from 1 to 99")),
    ({"title": "T", "calculation_method": "n_mastery", "calculation_int": "11"}, _error(
        "calculation_int", "calculation_int 11 is not valid for n_mastery: it must be from 1 to 10")),
    ({"title": "T", "calculation_method": "highest", "calculation_int": "3"}, _error(
        "calculation_int", "calculation_int 3 is not valid for highest: it must be empty")),
    ({"title": "T", "calculation_method": "median"}, _error(
        "calculation_method", "calculation_method must be one of decaying_average, n_mastery, latest, highest, "
                              "average")),
    ({"title": "T", "calculation_int": "many"}, _error(
        "calculation_int", "calculation_int must be an integer, got 'many'")),
    ({"title": "T", "mastery_points": "lots"}, _error("mastery_points", "mastery_points must be a number, got 'lots'")),
    ({"title": "T", "mastery_points": "-1"}, _error("mastery_points", "mastery_points must not be negative")),
    ({"title": "T", "ratings": "good"}, _error(
        "ratings", "ratings must be a list of hashes of description and points")),
    ({"title": "T", "ratings[][description]": "A", "ratings[][points]": "x"}, _error(
        "ratings[0][points]", "ratings[0][points] must be a number, got 'x'")),
    ({"title": "T", "ratings[][description]": "A", "ratings[][points]": "-2"}, _error(
        "ratings[0][points]", "ratings[0][points] must not be negative")),
])
def test_bad_outcome_input_is_refused_naming_the_field_and_nothing_is_written(world, cls, data, body):
    course, people = cls
    top = root(world, course, people["tina"])
    r = new_outcome(world, course, people["tina"], top["id"], data)
    assert (r.status_code, r.json()) == (400, body)
    assert items(world, course, "outcome") == [] and items(world, course, "outcome_link") == []


def test_students_and_strangers_may_not_write_and_unknown_ids_are_not_found(world, cls):
    course, people = cls
    top = root(world, course, people["tina"])
    oid = new_outcome(world, course, people["tina"], top["id"]).json()["outcome"]["id"]
    other = world.course("Elsewhere")
    theirs = root(world, other, world.admin_token)
    g = f"{base(course)}/outcome_groups/{top['id']}"
    for token in (people["ann"], people["sam"]):
        with world.client(token) as c:
            for r in (c.post(f"{g}/outcomes", data={"title": "X"}), c.post(f"{g}/subgroups", data={"title": "X"}),
                      c.put(g, data={"title": "X"}), c.delete(f"{g}/outcomes/{oid}"),
                      c.put(f"/api/v1/outcomes/{oid}", data={"title": "X"}), c.post(f"{g}/import", data={
                          "source_outcome_group_id": str(top["id"])})):
                assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.client(people["sam"]) as c:
        for path in (f"/api/v1/outcomes/{oid}", g, f"{g}/outcomes", f"{base(course)}/outcome_groups",
                     f"{base(course)}/outcome_group_links", f"{g}/subgroups"):
            r = c.get(path)
            assert (r.status_code, r.json()) == (403, FORBIDDEN), path
    with world.client(people["tina"]) as c:
        for r in (c.get(f"{base(course)}/outcome_groups/{theirs['id']}"), c.get(f"{base(course)}/outcome_groups/x"),
                  c.get("/api/v1/outcomes/999999"), c.get(f"/api/v1/outcomes/{top['id']}"),
                  c.post(f"{base(course)}/outcome_groups/999999/outcomes", data={"title": "X"}),
                  c.put(f"{g}/outcomes/999999"), c.delete(f"{g}/outcomes/999999")):
            assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert items(world, course, "outcome") == [("Argue a claim", None, None, "active")]
    assert [i[0] for i in items(world, course, "outcome_group")] == ["Rhetoric"]


def test_subgroups_are_made_listed_updated_moved_and_deleted_with_their_links(world, cls):
    course, people = cls
    top = root(world, course, people["tina"])
    with world.client(people["tina"]) as c:
        units = c.post(f"{base(course)}/outcome_groups/{top['id']}/subgroups", data={
            "title": "Units", "description": "All units", "vendor_guid": "U"}).json()
        assert units == group_json(course, units["id"], "Units", parent=abbrev(top), description="All units",
                                   vendor_guid="U")
        one = c.post(f"{base(course)}/outcome_groups/{units['id']}/subgroups", data={"title": "Unit 1"}).json()
        assert [g["id"] for g in c.get(f"{base(course)}/outcome_groups/{units['id']}/subgroups").json()] == [one["id"]]
        assert [g["id"] for g in c.get(f"{base(course)}/outcome_groups").json()] == [top["id"], units["id"], one["id"]]
        r = c.put(f"{base(course)}/outcome_groups/{units['id']}", data={"parent_outcome_group_id": str(one["id"])})
        assert (r.status_code, r.json()) == (400, _error(
            "parent_outcome_group_id", "parent_outcome_group_id: a group cannot move into itself or one of its "
                                       "subgroups"))
        r = c.put(f"{base(course)}/outcome_groups/{top['id']}", data={"parent_outcome_group_id": str(one["id"])})
        assert (r.status_code, r.json()) == (400, _error(
            "parent_outcome_group_id", "the root outcome group cannot be moved"))
        r = c.put(f"{base(course)}/outcome_groups/{one['id']}", data={"title": ""})
        assert (r.status_code, r.json()) == (400, _error("title", "title must be 1 to 255 characters long"))
        r = c.post(f"{base(course)}/outcome_groups/{units['id']}/subgroups", data={})
        assert (r.status_code, r.json()) == (400, _error("title", "title is required"))
        moved = c.put(f"{base(course)}/outcome_groups/{one['id']}", data={
            "title": "Unit One", "parent_outcome_group_id": str(top["id"])}).json()
        assert (moved["title"], moved["parent_outcome_group"]["id"]) == ("Unit One", top["id"])
        back = c.put(f"{base(course)}/outcome_groups/{one['id']}", data={"parent_outcome_group_id": str(units["id"])})
        assert back.status_code == 200
    oid = new_outcome(world, course, people["tina"], one["id"]).json()["outcome"]["id"]
    with world.client(people["tina"]) as c:
        r = c.delete(f"{base(course)}/outcome_groups/{top['id']}")
        assert (r.status_code, r.json()) == (400, _error("id", "the root outcome group cannot be deleted"))
        gone = c.delete(f"{base(course)}/outcome_groups/{units['id']}")
        assert (gone.status_code, gone.json()["id"]) == (200, units["id"])
        assert c.get(f"{base(course)}/outcome_groups/{one['id']}").status_code == 404
        assert c.get(f"/api/v1/outcomes/{oid}").status_code == 200  # the outcome stays
        assert c.get(f"{base(course)}/outcome_group_links").json() == []
    assert items(world, course, "outcome_group") == [
        ("Rhetoric", None, None, "active"), ("Units", top["id"], None, "deleted"),
        ("Unit One", units["id"], None, "deleted")]
    assert items(world, course, "outcome_link") == [("Argue a claim", one["id"], oid, "deleted")]


def test_unlinking_the_last_link_of_an_own_outcome_deletes_it(world, cls):
    course, people = cls
    top = root(world, course, people["tina"])
    with world.client(people["tina"]) as c:
        sub = c.post(f"{base(course)}/outcome_groups/{top['id']}/subgroups", data={"title": "Sub"}).json()
    oid = new_outcome(world, course, people["tina"], top["id"]).json()["outcome"]["id"]
    with world.client(people["tina"]) as c:
        linked = c.post(f"{base(course)}/outcome_groups/{sub['id']}/outcomes", data={"outcome_id": str(oid)})
        assert (linked.status_code, linked.json()["outcome_group"]["id"]) == (200, sub["id"])
        again = c.put(f"{base(course)}/outcome_groups/{sub['id']}/outcomes/{oid}")  # linking twice keeps one link
        assert again.json() == linked.json()
        assert len(c.get(f"{base(course)}/outcome_group_links").json()) == 2
        r = c.delete(f"{base(course)}/outcome_groups/{top['id']}/outcomes/{oid}")
        assert (r.status_code, r.json()["outcome"]["id"], r.json()["outcome_group"]["id"]) == (200, oid, top["id"])
        assert c.get(f"/api/v1/outcomes/{oid}").status_code == 200
        r = c.delete(f"{base(course)}/outcome_groups/{top['id']}/outcomes/{oid}")
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
        assert c.delete(f"{base(course)}/outcome_groups/{sub['id']}/outcomes/{oid}").status_code == 200
        r = c.get(f"/api/v1/outcomes/{oid}")
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert items(world, course, "outcome") == [("Argue a claim", None, None, "deleted")]
    assert [i[3] for i in items(world, course, "outcome_link")] == ["deleted", "deleted"]


def test_an_outcome_is_updated_through_its_own_course_only(world, cls):
    course, people = cls
    top = root(world, course, people["tina"])
    oid = new_outcome(world, course, people["tina"], top["id"]).json()["outcome"]["id"]
    with world.client(people["tina"]) as c:
        r = c.put(f"/api/v1/outcomes/{oid}", data={"calculation_method": "decaying_average", "title": "Argue well"})
        assert r.status_code == 200, r.text
        assert (r.json()["title"], r.json()["calculation_method"], r.json()["calculation_int"]) == (
            "Argue well", "decaying_average", 65)
        r = c.put(f"/api/v1/outcomes/{oid}", data={"calculation_method": "latest"})
        assert "calculation_int" not in r.json() and r.json()["calculation_method"] == "latest"
        r = c.put(f"/api/v1/outcomes/{oid}", **form([("ratings[][description]", "Yes"), ("ratings[][points]", "1"),
                                                      ("ratings[][description]", ""), ("ratings[][points]", "")]))
        assert (r.json()["ratings"], r.json()["mastery_points"], r.json()["points_possible"]) == (
            [{"description": "Yes", "points": 1.0}, {"description": "No description", "points": 0.0}], 1.0, 1.0)
        r = c.put(f"/api/v1/outcomes/{oid}", data={"calculation_int": "5", "title": "Should not stick"})
        assert (r.status_code, r.json()) == (400, _error(
            "calculation_int", "calculation_int 5 is not valid for latest: it must be empty"))
    with world.tx() as db:
        stored = db.get(ContentItem, oid)
        assert (stored.title, stored.points, stored.data["calculation_method"], stored.data["calculation_int"]) == (
            "Argue well", 1.0, "latest", None)


def test_another_courses_outcome_links_read_only_and_groups_import_with_links(world, cls):
    course, people = cls
    other = world.course("Debate")
    tina = world.user_with_token("tina2")
    world.enroll(tina[0], other, "TeacherEnrollment")
    theirs = root(world, other, tina[1])
    with world.client(tina[1]) as c:
        unit = c.post(f"{base(other)}/outcome_groups/{theirs['id']}/subgroups", data={"title": "Rebuttal"}).json()
        c.post(f"{base(other)}/outcome_groups/{unit['id']}/subgroups", data={"title": "Deep"}).json()
    oid = new_outcome(world, other, tina[1], unit["id"]).json()["outcome"]["id"]
    top = root(world, course, people["tina"])
    with world.client(people["tina"]) as c:
        r = c.put(f"{base(course)}/outcome_groups/{top['id']}/outcomes/{oid}")  # tina does not read Debate
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.client(world.admin_token) as c:
        linked = c.put(f"{base(course)}/outcome_groups/{top['id']}/outcomes/{oid}")
        assert linked.status_code == 200, linked.text
        assert (linked.json()["outcome"]["context_id"], linked.json()["outcome"]["can_edit"]) == (other.id, False)
        imported = c.post(f"{base(course)}/outcome_groups/{top['id']}/import", data={
            "source_outcome_group_id": str(unit["id"])})
        assert imported.status_code == 200, imported.text
        made = imported.json()
        assert (made["title"], made["parent_outcome_group"]["id"], made["context_id"]) == (
            "Rebuttal", top["id"], course.id)
        assert [g["title"] for g in c.get(f"{base(course)}/outcome_groups/{made['id']}/subgroups").json()] == ["Deep"]
        assert [(x["outcome"]["id"], x["outcome_group"]["id"]) for x in c.get(
            f"{base(course)}/outcome_group_links").json()] == [(oid, top["id"]), (oid, made["id"])]
        r = c.post(f"{base(course)}/outcome_groups/{made['id']}/import", data={"source_outcome_group_id": str(
            top["id"])})
        assert (r.status_code, r.json()) == (400, _error(
            "source_outcome_group_id", "source_outcome_group_id: a group cannot be imported into itself or one of "
                                       "its subgroups"))
        r = c.post(f"{base(course)}/outcome_groups/{made['id']}/import", data={})
        assert (r.status_code, r.json()) == (400, _error("source_outcome_group_id",
                                                         "source_outcome_group_id: no outcome group "))
    with world.client(people["ann"]) as c:  # ann reads the linked outcome through her course, read-only
        shown = c.get(f"/api/v1/outcomes/{oid}")
        assert (shown.status_code, shown.json()["can_edit"]) == (200, False)
    with world.client(people["tina"]) as c:
        r = c.put(f"/api/v1/outcomes/{oid}", data={"title": "Mine now"})
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.tx() as db:
        assert db.get(ContentItem, oid).title == "Argue a claim"
        links = db.scalars(select(ContentItem).where(ContentItem.course_id == course.id,
                                                     ContentItem.type == "outcome_link")).all()
        assert [(x.ref_id, x.data) for x in links] == [(None, {"outcome_id": oid})] * 2
        assert db.scalar(select(func.count()).select_from(ContentItem).where(
            ContentItem.type == "outcome", ContentItem.course_id == course.id)) == 0


def test_an_outcome_another_course_links_outlives_its_last_own_link(world, cls):
    course, people = cls
    top = root(world, course, people["tina"])
    oid = new_outcome(world, course, people["tina"], top["id"]).json()["outcome"]["id"]
    other = world.course("Debate")
    with world.client(world.admin_token) as c:
        assert c.put(f"{base(other)}/outcome_groups/{root(world, other, world.admin_token)['id']}/outcomes/{oid}") \
            .status_code == 200
        assert c.delete(f"{base(course)}/outcome_groups/{top['id']}/outcomes/{oid}").status_code == 200
        assert c.get(f"/api/v1/outcomes/{oid}").status_code == 200
        assert [x["outcome"]["id"] for x in c.get(f"{base(other)}/outcome_group_links").json()] == [oid]
    assert items(world, course, "outcome") == [("Argue a claim", None, None, "active")]


def test_concurrent_first_reads_make_one_root_group(world, cls):
    course, people = cls

    def read(_: int) -> int:
        with world.client(people["tina"]) as c:
            r = c.get(f"{base(course)}/root_outcome_group")
            assert r.status_code == 200, r.text
            return r.json()["id"]

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = set(pool.map(read, range(8)))
    assert len(ids) == 1
    assert len(items(world, course, "outcome_group")) == 1


def test_lists_are_paged_with_link_headers(world, cls):
    course, people = cls
    top = root(world, course, people["tina"])
    with world.client(people["tina"]) as c:
        for title in ("A", "B"):
            c.post(f"{base(course)}/outcome_groups/{top['id']}/subgroups", data={"title": title})
        first = c.get(f"{base(course)}/outcome_groups", params={"per_page": "2"})
        second = c.get(f"{base(course)}/outcome_groups", params={"per_page": "2", "page": "2"})
    assert [g["title"] for g in first.json()] == ["Rhetoric", "A"] and 'rel="next"' in first.headers["link"]
    assert [g["title"] for g in second.json()] == ["B"] and 'rel="next"' not in second.headers["link"]
