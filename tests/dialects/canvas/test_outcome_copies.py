"""Outcomes travel as content items: a course copy and a blueprint sync carry the group tree, the course's own
outcomes and their links (pointed at the copies), while a link to another course's outcome stays a link to that
same outcome; a later sync updates the copies in place and a copy into a course with a root group of its own
hangs the copied tree under it."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import ContentItem
from tests.dialects.canvas.test_outcomes import base, cls, new_outcome, root  # noqa: F401 - cls is a fixture


def _tree(world, course) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """(groups as (title, parent title), outcomes as (title, points, lineage), links as (group title, outcome id,
    whether by data)), each sorted: a copy inserts rows in no set order."""
    with world.tx() as db:
        rows = list(db.scalars(select(ContentItem).where(
            ContentItem.course_id == course.id, ContentItem.workflow_state != "deleted",
            ContentItem.type.in_(["outcome_group", "outcome", "outcome_link"])).order_by(ContentItem.id)))
        by_id = {r.id: r for r in rows}
        groups = [(r.title, by_id[r.parent_id].title if r.parent_id else None) for r in rows
                  if r.type == "outcome_group"]
        outcomes = [(r.title, r.points, r.lineage_id) for r in rows if r.type == "outcome"]
        links = [(by_id[r.parent_id].title, r.ref_id or r.data.get("outcome_id"), r.ref_id is None) for r in rows
                 if r.type == "outcome_link"]
    return sorted(groups, key=str), sorted(outcomes, key=str), sorted(links, key=str)


def _source(world, course, token) -> dict:
    """Rhetoric > Units > Unit 1 holding its own outcome, plus a link in Units to Debate's outcome."""
    top = root(world, course, token)
    with world.client(token) as c:
        units = c.post(f"{base(course)}/outcome_groups/{top['id']}/subgroups", data={"title": "Units"}).json()
        one = c.post(f"{base(course)}/outcome_groups/{units['id']}/subgroups", data={"title": "Unit 1"}).json()
    own = new_outcome(world, course, token, one["id"]).json()["outcome"]["id"]
    other = world.course("Debate")
    foreign = new_outcome(world, other, world.admin_token, root(world, other, world.admin_token)["id"],
                          {"title": "Rebut"}).json()["outcome"]["id"]
    with world.client(world.admin_token) as c:
        assert c.put(f"{base(course)}/outcome_groups/{units['id']}/outcomes/{foreign}").status_code == 200
    return {"root": top["id"], "units": units["id"], "one": one["id"], "own": own, "foreign": foreign,
            "other": other.id}


def test_a_course_copy_carries_the_group_tree_outcomes_and_links(world, cls):
    course, people = cls
    made = _source(world, course, people["tina"])
    target = world.course("Rhetoric copy")
    with world.client(world.admin_token) as c:
        r = c.post(f"{base(target)}/course_copy", data={"source_course": str(course.id)})
        assert r.status_code == 200, r.text
        world.run_jobs()
    groups, outcomes, links = _tree(world, target)
    assert groups == sorted([("Rhetoric", None), ("Units", "Rhetoric"), ("Unit 1", "Units")], key=str)
    assert outcomes == [("Argue a claim", 4.0, made["own"])]
    with world.tx() as db:
        own_copy = db.scalar(select(ContentItem.id).where(ContentItem.course_id == target.id,
                                                          ContentItem.type == "outcome"))
    assert sorted(links) == sorted([("Unit 1", own_copy, False), ("Units", made["foreign"], True)])
    with world.client(world.admin_token) as c:
        top = c.get(f"{base(target)}/root_outcome_group").json()
        listed = c.get(f"{base(target)}/outcome_group_links").json()
        shown = c.get(f"/api/v1/outcomes/{own_copy}").json()
    assert top["title"] == "Rhetoric" and top["context_id"] == target.id
    assert sorted((x["outcome"]["id"], x["outcome"]["context_id"], x["outcome"]["can_edit"]) for x in listed) == sorted(
        [(own_copy, target.id, True), (made["foreign"], made["other"], False)])
    assert (shown["context_id"], shown["calculation_method"], shown["calculation_int"]) == (target.id, "n_mastery", 3)


def test_a_copy_into_a_course_with_its_own_root_group_hangs_the_tree_under_it(world, cls):
    course, people = cls
    _source(world, course, people["tina"])
    target = world.course("Has outcomes")
    own_root = root(world, target, world.admin_token)
    with world.client(world.admin_token) as c:
        assert c.post(f"{base(target)}/course_copy", data={"source_course": str(course.id)}).status_code == 200
        world.run_jobs()
        assert c.get(f"{base(target)}/root_outcome_group").json()["id"] == own_root["id"]
    groups, _, _ = _tree(world, target)
    assert groups == sorted([("Has outcomes", None), ("Rhetoric", "Has outcomes"), ("Units", "Rhetoric"),
                             ("Unit 1", "Units")], key=str)


def test_a_blueprint_sync_carries_outcomes_and_updates_them_later(world, cls):
    course, people = cls
    made = _source(world, course, people["tina"])
    child = world.course("Section 1")
    world.sync_blueprint(course, child)
    with world.client(world.admin_token) as http:
        groups, outcomes, links = _tree(world, child)
        assert groups == sorted([("Rhetoric", None), ("Units", "Rhetoric"), ("Unit 1", "Units")], key=str)
        assert [o[0] for o in outcomes] == ["Argue a claim"]
        assert ("Units", made["foreign"], True) in links and len(links) == 2
        assert http.put(f"/api/v1/outcomes/{made['own']}", data={"title": "Argue v2"}).status_code == 200
        deeper = http.post(f"{base(course)}/outcome_groups/{made['one']}/subgroups", data={"title": "Part A"})
        assert deeper.status_code == 200
    world.sync_blueprint(course)
    groups, outcomes, _ = _tree(world, child)
    assert groups == sorted([("Rhetoric", None), ("Units", "Rhetoric"), ("Unit 1", "Units"), ("Part A", "Unit 1")],
                            key=str)
    assert [(o[0], o[2]) for o in outcomes] == [("Argue v2", made["own"])]


def test_outcomes_are_chosen_and_left_out_by_canvas_names(world, cls):
    """A content migration's copy[all_learning_outcomes] takes the outcomes alone; course_copy's except[]=outcomes
    leaves them out."""
    course, people = cls
    _source(world, course, people["tina"])
    world.assignment(course, "Essay")
    only, without = world.course("Outcomes only"), world.course("No outcomes")
    with world.client(world.admin_token) as c:
        r = c.post(f"{base(only)}/content_migrations", data={
            "migration_type": "course_copy_importer", "settings[source_course_id]": str(course.id),
            "copy[all_learning_outcomes]": "1"})
        assert r.status_code == 200, r.text
        r = c.post(f"{base(without)}/course_copy", data={"source_course": str(course.id), "except[]": ["outcomes"]})
        assert r.status_code == 200, r.text
        world.run_jobs()
    with world.tx() as db:
        def types(target) -> set[str]:
            return set(db.scalars(select(ContentItem.type).where(ContentItem.course_id == target.id)))
        assert types(only) == {"outcome_group", "outcome", "outcome_link"}
        assert "assignment" in types(without) and not types(without) & {"outcome_group", "outcome", "outcome_link"}
    groups, _, _ = _tree(world, only)
    assert groups == sorted([("Rhetoric", None), ("Units", "Rhetoric"), ("Unit 1", "Units")], key=str)
