"""canvasapi's outcome calls against the live server: the root group, subgroups, new and existing outcomes linked,
listed and unlinked, an outcome read and updated, a group imported and deleted, a link to another course's
outcome read-only in the course; refusals as canvasapi raises them, and the stored rows after each step."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist
from canvasapi.outcome import Outcome, OutcomeGroup, OutcomeLink
from sqlalchemy import select

from courseport.schema import ContentItem

_RATINGS = [{"description": "Mastered", "points": 4}, {"description": "Near", "points": 2},
            {"description": "Not yet", "points": 0}]


@pytest.fixture
def cls(world):
    course = world.course("Biology")
    tina, tina_token = world.user_with_token("tina")
    ann, ann_token = world.user_with_token("ann")
    world.enroll(tina, course, "TeacherEnrollment")
    world.enroll(ann, course)
    return course, tina_token, ann_token


def _live(world, course, kind: str) -> list[tuple]:
    with world.tx() as db:
        return [(i.id, i.title, i.parent_id) for i in db.scalars(select(ContentItem).where(
            ContentItem.course_id == course.id, ContentItem.type == kind, ContentItem.workflow_state != "deleted")
            .order_by(ContentItem.id))]


def test_groups_outcomes_and_links_through_canvasapi(world, cls):
    course, tina_token, ann_token = cls
    teacher = world.canvas(tina_token).get_course(course.id)
    top = teacher.get_root_outcome_group()
    assert isinstance(top, OutcomeGroup)
    assert (top.title, top.context_type, top.context_id, top.parent_outcome_group, top.can_edit) == (
        "Biology", "Course", course.id, None, True)
    cells = top.create_subgroup("Cells", description="Cell biology", vendor_guid="BIO.1")
    assert isinstance(cells, OutcomeGroup) and cells.parent_outcome_group["id"] == top.id
    link = cells.link_new("Explain mitosis", display_name="Mitosis", ratings=_RATINGS, mastery_points=2,
                          calculation_method="n_mastery", calculation_int=2)
    assert isinstance(link, OutcomeLink)
    assert (link.outcome_group["id"], link.outcome["title"], link.outcome["can_edit"]) == (
        cells.id, "Explain mitosis", True)
    outcome = link.get_outcome()
    assert isinstance(outcome, Outcome)
    assert (outcome.points_possible, outcome.mastery_points, outcome.calculation_method, outcome.calculation_int,
            [r["points"] for r in outcome.ratings]) == (4.0, 2.0, "n_mastery", 2, [4.0, 2.0, 0.0])
    assert link.get_outcome_group().id == cells.id
    assert _live(world, course, "outcome") == [(outcome.id, "Explain mitosis", None)]
    assert _live(world, course, "outcome_link")[0][2] == cells.id

    assert outcome.update(title="Explain mitosis and meiosis", calculation_method="highest") is True
    fetched = world.canvas(tina_token).get_outcome(outcome.id)  # highest takes no calculation_int: none is sent
    assert (outcome.title, fetched.calculation_method, hasattr(fetched, "calculation_int")) == (
        "Explain mitosis and meiosis", "highest", False)
    with pytest.raises(BadRequest):
        outcome.update(calculation_method="decaying_average", calculation_int=0)
    assert world.canvas(tina_token).get_outcome(outcome.id).calculation_method == "highest"

    assert top.link_existing(outcome).outcome_group["id"] == top.id
    assert [x.outcome["id"] for x in top.get_linked_outcomes()] == [outcome.id]
    assert sorted(x.outcome_group["id"] for x in teacher.get_all_outcome_links_in_context()) == sorted(
        [cells.id, top.id])
    assert [g.id for g in top.get_subgroups()] == [cells.id]
    assert [g.id for g in teacher.get_outcome_groups_in_context()] == [top.id, cells.id]
    assert cells.update(title="Cells and tissues") is True and cells.title == "Cells and tissues"
    assert teacher.get_outcome_group(cells.id).title == "Cells and tissues"

    copied = top.import_outcome_group(cells)
    assert (copied.title, copied.parent_outcome_group["id"]) == ("Cells and tissues", top.id)
    assert [x.outcome["id"] for x in copied.get_linked_outcomes()] == [outcome.id]
    assert top.unlink_outcome(outcome) is True
    assert [x.outcome_group["id"] for x in teacher.get_all_outcome_links_in_context()] == [cells.id, copied.id]
    assert copied.delete() is True
    assert [g[0] for g in _live(world, course, "outcome_group")] == [top.id, cells.id]

    student = world.canvas(ann_token).get_course(course.id)
    assert student.get_root_outcome_group().can_edit is False
    seen = student.get_outcome_group(cells.id)
    with pytest.raises(Forbidden):
        seen.create_subgroup("Mine")
    with pytest.raises(Forbidden):
        world.canvas(ann_token).get_outcome(outcome.id).update(title="Mine")
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_outcome_group(999999)
    with pytest.raises(BadRequest):
        cells.link_new("", ratings=_RATINGS)
    assert [o[1] for o in _live(world, course, "outcome")] == ["Explain mitosis and meiosis"]


def test_another_courses_outcome_linked_into_the_course_is_read_only_there(world, cls):
    course, tina_token, ann_token = cls
    admin = world.canvas(world.admin_token)
    shared = admin.get_course(world.course("Science department").id).get_root_outcome_group()
    ecology = shared.link_new("Describe an ecosystem").get_outcome()
    top = admin.get_course(course.id).get_root_outcome_group()
    linked = top.link_existing(ecology)
    assert (linked.outcome["context_id"], linked.outcome["can_edit"]) == (ecology.context_id, False)
    student_view = world.canvas(ann_token).get_outcome(ecology.id)
    assert (student_view.title, student_view.can_edit) == ("Describe an ecosystem", False)
    with pytest.raises(Forbidden):
        world.canvas(tina_token).get_outcome(ecology.id).update(title="Ours")
    assert admin.get_outcome(ecology.id).title == "Describe an ecosystem"
    assert _live(world, course, "outcome") == []
