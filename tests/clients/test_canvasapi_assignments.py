"""canvasapi 3.6.0, unmodified, against the live server: assignments, groups and overrides as the client drives them."""

from __future__ import annotations

import pytest
from canvasapi.assignment import AssignmentOverride
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist
from sqlalchemy import select

from courseport.schema import AssignmentOverride as OverrideRow
from courseport.schema import ContentItem, Section


@pytest.fixture
def setup(world):
    course = world.course("Chemistry")
    teacher, teacher_token = world.user_with_token("teacher")
    student, student_token = world.user_with_token("student")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(student, course)
    return world.canvas(teacher_token).get_course(course.id), student, world.canvas(student_token)


def test_create_list_get_edit_delete(world, setup):
    course, _, _ = setup
    made = course.create_assignment({"name": "Titration", "points_possible": 20, "grading_type": "points",
                                     "submission_types": ["online_upload", "online_text_entry"],
                                     "due_at": "2030-04-01T23:59:00Z", "published": True,
                                     "description": "<p>Report</p>"})
    assert (made.name, made.points_possible, made.due_at, made.published) == (
        "Titration", 20.0, "2030-04-01T23:59:00Z", True)
    assert made.submission_types == ["online_upload", "online_text_entry"]
    assert [a.id for a in course.get_assignments()] == [made.id]
    got = course.get_assignment(made.id)
    assert (got.course_id, got.description, got.workflow_state) == (course.id, "<p>Report</p>", "published")
    edited = got.edit(assignment={"name": "Titration II", "points_possible": 25, "due_at": ""})
    assert (edited.name, edited.points_possible, edited.due_at) == ("Titration II", 25.0, None)
    assert (got.name, got.points_possible) == ("Titration II", 25.0)  # edit refreshes the object, as in Canvas
    deleted = got.delete()
    assert (deleted.id, deleted.workflow_state) == (made.id, "deleted")
    assert list(course.get_assignments()) == []
    with pytest.raises(ResourceDoesNotExist):
        course.get_assignment(made.id)
    with world.tx() as db:
        assert db.get(ContentItem, made.id).workflow_state == "deleted"


def test_groups_and_assignments_in_them(world, setup):
    course, _, _ = setup
    group = course.create_assignment_group(name="Labs", group_weight=40, position=1)
    assert (group.name, group.group_weight, group.position) == ("Labs", 40.0, 1)
    made = course.create_assignment({"name": "Lab 1", "assignment_group_id": group.id})
    assert made.assignment_group_id == group.id
    assert [g.name for g in course.get_assignment_groups()] == ["Labs"]
    assert [a.id for a in course.get_assignments_for_group(group)] == [made.id]
    edited = group.edit(name="Wet labs", rules={"drop_lowest": 1})
    assert (edited.name, edited.rules, group.name) == ("Wet labs", {"drop_lowest": 1}, "Wet labs")
    fetched = course.get_assignment_group(group.id, include=["assignments"])
    assert [a["id"] for a in fetched.assignments] == [made.id]
    other = course.create_assignment_group(name="Homework")
    gone = group.delete(move_assignments_to=other.id)
    assert gone.id == group.id
    assert course.get_assignment(made.id).assignment_group_id == other.id


def test_overrides_through_the_client(world, setup):
    course, student, _ = setup
    made = course.create_assignment({"name": "Quiz prep", "due_at": "2030-05-01T12:00:00Z", "published": True})
    override = made.create_override(assignment_override={"student_ids": [student.id], "title": "Late",
                                                         "due_at": "2030-05-03T12:00:00Z"})
    assert isinstance(override, AssignmentOverride)
    assert (override.title, override.student_ids, override.due_at) == ("Late", [student.id], "2030-05-03T12:00:00Z")
    assert [o.id for o in made.get_overrides()] == [override.id]
    assert made.get_override(override.id).title == "Late"
    override.edit(assignment_override={"title": "Later", "due_at": "2030-05-04T12:00:00Z"})
    assert (override.title, override.due_at) == ("Later", "2030-05-04T12:00:00Z")
    with world.client(world.admin_token) as c:
        dates = c.get(f"/api/v1/courses/{course.id}/effective_due_dates").json()
    assert dates == {str(made.id): {str(student.id): {"due_at": "2030-05-04T12:00:00Z", "grading_period_id": None,
                                                      "in_closed_grading_period": False}}}
    removed = override.delete()
    assert removed.id == override.id
    assert list(made.get_overrides()) == []
    with world.tx() as db:
        assert db.get(OverrideRow, override.id).workflow_state == "deleted"


def test_inline_and_batch_overrides(world, setup):
    course, student, _ = setup
    with world.tx() as db:
        section = db.scalar(select(Section.id).where(Section.course_id == course.id))
    made = course.create_assignment({"name": "Project", "only_visible_to_overrides": True, "published": True,
                                     "assignment_overrides": [{"course_section_id": section,
                                                               "due_at": "2030-06-01T00:00:00Z"}]})
    shown = course.get_assignment(made.id, include=["overrides"])
    assert [(o.course_section_id, o.due_at) for o in shown.overrides] == [(section, "2030-06-01T00:00:00Z")]
    other = course.create_assignment({"name": "Essay"})
    batch = list(course.create_assignment_overrides([
        {"assignment_id": other.id, "student_ids": [student.id], "due_at": "2030-07-01T00:00:00Z"}]))
    assert [(o.assignment_id, o.student_ids) for o in batch] == [(other.id, [student.id])]
    fetched = list(course.get_assignment_overrides([{"id": batch[0].id, "assignment_id": other.id}]))
    assert [o.id for o in fetched] == [batch[0].id]
    updated = list(course.update_assignment_overrides([
        {"id": batch[0].id, "assignment_id": other.id, "due_at": "2030-07-02T00:00:00Z"}]))
    assert updated[0].due_at == "2030-07-02T00:00:00Z"
    by_section = course.get_section(section).get_assignment_override(made.id)  # follows Canvas's redirect
    assert (by_section.id, by_section.course_section_id, by_section.due_at) == (
        shown.overrides[0].id, section, "2030-06-01T00:00:00Z")
    with pytest.raises(ResourceDoesNotExist):
        course.get_section(section).get_assignment_override(other.id)  # its override is a student's
    with world.client(world.admin_token) as c:
        answer = c.get(f"/api/v1/sections/{section}/assignments/{made.id}/override")
    assert (answer.status_code, answer.headers["location"]) == (
        302, f"{world.base_url}/api/v1/courses/{course.id}/assignments/{made.id}/overrides/{by_section.id}")


def test_student_cannot_write_or_see_unpublished(world, setup):
    course, student, student_canvas = setup
    draft = course.create_assignment({"name": "Draft"})
    live = course.create_assignment({"name": "Live", "published": True})
    mine = student_canvas.get_course(course.id)
    assert [a.id for a in mine.get_assignments()] == [live.id]
    with pytest.raises(ResourceDoesNotExist):
        mine.get_assignment(draft.id)
    with pytest.raises(Forbidden):
        mine.create_assignment({"name": "Mine"})
    with pytest.raises(Forbidden):
        mine.get_assignment(live.id).edit(assignment={"name": "Mine"})
    with pytest.raises(Forbidden):
        mine.create_assignment_group(name="Mine")
    with pytest.raises(BadRequest):
        course.create_assignment({"name": "Bad", "due_at": "tomorrow-ish"})
    with world.tx() as db:
        names = sorted(db.scalars(select(ContentItem.title).where(ContentItem.type == "assignment")))
    assert names == ["Draft", "Live"]
