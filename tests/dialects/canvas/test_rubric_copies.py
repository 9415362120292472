"""Rubrics travel as content items: a course copy and a blueprint sync carry a rubric and its assignment
association (pointed at the assignment's copy); a later sync updates the copies in place."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import ContentItem
from tests.dialects.canvas.test_outcome_results import lab  # noqa: F401 - a fixture
from tests.dialects.canvas.test_rubrics import _create, _rubric_path, cls  # noqa: F401 - cls is a fixture


def _of(world, course_id: int) -> dict[str, ContentItem]:
    with world.tx() as db:
        return {i.type: i for i in db.scalars(select(ContentItem).where(
            ContentItem.course_id == course_id, ContentItem.workflow_state != "deleted",
            ContentItem.type.in_(["rubric", "rubric_association", "assignment"])))}


def test_a_course_copy_carries_the_rubric_and_its_assignment_association(world, cls):
    course, essay, people = cls
    made = _create(world, course, people["tina"][1], {
        "rubric_association[association_id]": str(essay.id), "rubric_association[association_type]": "Assignment",
        "rubric_association[use_for_grading]": "true"}).json()
    target = world.course("Writing copy")
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{target.id}/course_copy", data={"source_course": str(course.id)})
    assert r.status_code == 200, r.text
    world.run_jobs()
    with world.tx() as db:
        items = {i.type: i for i in db.scalars(select(ContentItem).where(
            ContentItem.course_id == target.id, ContentItem.type.in_(["rubric", "rubric_association", "assignment"])))}
    rubric, assoc, assignment = items["rubric"], items["rubric_association"], items["assignment"]
    assert (rubric.title, rubric.points, rubric.lineage_id) == ("Essay rubric", 10.0, made["rubric"]["id"])
    assert (assoc.parent_id, assoc.ref_id) == (rubric.id, assignment.id)
    with world.client(world.admin_token) as c:
        shown = c.get(f"/api/v1/courses/{target.id}/assignments/{assignment.id}").json()
        listed = c.get(_rubric_path(target)).json()
    assert (shown["rubric_settings"]["id"], shown["use_rubric_for_grading"]) == (rubric.id, True)
    assert [x["id"] for x in listed] == [rubric.id]
    assert listed[0]["data"] == made["rubric"]["data"]


def test_a_blueprint_sync_carries_the_rubric_and_updates_it_later(world, cls):
    course, essay, people = cls
    made = _create(world, course, people["tina"][1], {
        "rubric_association[association_id]": str(essay.id), "rubric_association[association_type]": "Assignment",
        "rubric_association[use_for_grading]": "true"}).json()
    child = world.course("Section 1")
    world.sync_blueprint(course, child)
    with world.client(world.admin_token) as http:
        items = _of(world, child.id)
        assert (items["rubric_association"].parent_id, items["rubric_association"].ref_id) == (
            items["rubric"].id, items["assignment"].id)
        assert items["rubric"].lineage_id == made["rubric"]["id"]
        changed = http.put(_rubric_path(course, f"/{made['rubric']['id']}"), data={
            "rubric[title]": "Essay v2", "rubric[criteria][0][description]": "Only",
            "rubric[criteria][0][points]": "3"})
        assert changed.status_code == 200, changed.text
        world.sync_blueprint(course)
        again = _of(world, child.id)
        shown = http.get(f"/api/v1/courses/{child.id}/assignments/{again['assignment'].id}").json()
    assert again["rubric"].id == items["rubric"].id
    assert (again["rubric"].title, again["rubric"].points) == ("Essay v2", 3.0)
    assert shown["rubric_settings"] == {"id": items["rubric"].id, "title": "Essay v2", "points_possible": 3.0,
                                        "free_form_criterion_comments": True, "hide_score_total": False,
                                        "hide_points": False}
    assert [c["description"] for c in shown["rubric"]] == ["Only"]


def _aligned_rubric(world, course_id: int) -> tuple[ContentItem, ContentItem | None]:
    with world.tx() as db:
        rubric = db.scalars(select(ContentItem).where(ContentItem.course_id == course_id,
                                                      ContentItem.type == "rubric")).one()
        outcome = db.scalars(select(ContentItem).where(ContentItem.course_id == course_id,
                                                       ContentItem.type == "outcome")).first()
        return rubric, outcome


def test_a_copied_rubric_is_aligned_to_the_copy_of_its_outcome(world, lab):
    course, _essay, _people, outcome_id, _root, _made = lab
    target = world.course("Chemistry copy")
    with world.client(world.admin_token) as c:
        assert c.post(f"/api/v1/courses/{target.id}/course_copy", data={"source_course": str(course.id)}).status_code \
            == 200
        world.run_jobs()
        rubric, outcome = _aligned_rubric(world, target.id)
        assert outcome is not None and outcome.lineage_id == outcome_id and outcome.id != outcome_id
        assert [c.get("learning_outcome_id") for c in rubric.data["criteria"]] == [outcome.id, None]
        shown = c.get(f"/api/v1/courses/{target.id}/rubrics/{rubric.id}").json()
        assert [c.get("learning_outcome_id") for c in shown["data"]] == [outcome.id, None]
        # the copy's criteria can be edited in the target as they came (they name the target's outcome)
        again = c.put(f"/api/v1/courses/{target.id}/rubrics/{rubric.id}", data={
            "rubric[title]": "Lab", "rubric[criteria][0][description]": "Technique",
            "rubric[criteria][0][points]": "5", "rubric[criteria][0][learning_outcome_id]": str(outcome.id)})
        assert again.status_code == 200, again.text
    source, _ = _aligned_rubric(world, course.id)
    assert source.data["criteria"][0]["learning_outcome_id"] == outcome_id  # the source is untouched


def test_a_rubric_copied_without_its_outcome_names_no_outcome_of_another_course(world, lab):
    course, *_, made = lab
    target = world.course("Rubrics only")
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{target.id}/content_migrations", json={
            "migration_type": "course_copy_importer", "settings": {"source_course_id": course.id},
            "select": {"rubrics": [made["rubric"]["id"]]}})
        assert r.status_code == 200, r.text
        world.run_jobs()
    rubric, outcome = _aligned_rubric(world, target.id)
    assert outcome is None
    assert [c.get("learning_outcome_id") for c in rubric.data["criteria"]] == [None, None]


def test_a_blueprint_sync_aligns_the_rubric_to_the_child_copy_of_its_outcome(world, lab):
    course, *_ = lab
    child = world.course("Chemistry section")
    world.sync_blueprint(course, child)
    with world.client(world.admin_token) as http:
        rubric, outcome = _aligned_rubric(world, child.id)
        assert outcome is not None and outcome.course_id == child.id
        assert [c.get("learning_outcome_id") for c in rubric.data["criteria"]] == [outcome.id, None]
        source, source_outcome = _aligned_rubric(world, course.id)
        assert source_outcome is not None
        changed = http.put(f"/api/v1/courses/{course.id}/rubrics/{source.id}", data={  # an incremental sync
            "rubric[title]": "Lab v2", "rubric[criteria][0][description]": "Technique",
            "rubric[criteria][0][points]": "5", "rubric[criteria][0][learning_outcome_id]": str(source_outcome.id)})
        assert changed.status_code == 200, changed.text
    world.sync_blueprint(course)
    again, _ = _aligned_rubric(world, child.id)
    assert (again.id, again.title) == (rubric.id, "Lab v2")
    assert [c.get("learning_outcome_id") for c in again.data["criteria"]] == [outcome.id]
