"""canvasapi 3.6.0, unmodified, against the live server: modules, module items, marking done, progress."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist

from courseport.core.content import content
from courseport.schema.content import ContentItem


def _assignment(world, course, title, state="unpublished"):
    with world.tx() as db:
        return content.create_item(db, course.id, "assignment", {"title": title, "workflow_state": state,
                                                                 "points": 5.0})


def test_create_edit_list_and_delete_modules(world):
    course = world.course("Client modules")
    cast = world.cast(course)
    teacher = world.canvas(cast["teacher"]).get_course(course.id)
    first = teacher.create_module(module={"name": "Week 1"})
    second = teacher.create_module(module={"name": "Week 0", "position": 1, "require_sequential_progress": True})
    assert (first.name, first.published, second.position) == ("Week 1", False, 1)
    edited = first.edit(module={"name": "Week 2", "published": True, "prerequisite_module_ids": [second.id]})
    assert (edited.name, edited.published, edited.prerequisite_module_ids) == ("Week 2", True, [second.id])
    assert [(m.name, m.position) for m in teacher.get_modules()] == [("Week 0", 1), ("Week 2", 2)]
    assert teacher.get_module(second.id).require_sequential_progress is True
    relocked = edited.relock()
    assert (relocked.id, relocked.name, relocked.course_id) == (first.id, "Week 2", course.id)
    deleted = second.delete()
    assert deleted.workflow_state == "deleted"
    assert [(m.name, m.position, m.prerequisite_module_ids) for m in teacher.get_modules()] == [("Week 2", 1, [])]
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_module(second.id)
    with pytest.raises(BadRequest):
        teacher.create_module(module={"name": ""})


def test_module_items_through_the_client(world):
    course = world.course("Client items")
    cast = world.cast(course)
    assignment = _assignment(world, course, "Lab report")
    teacher = world.canvas(cast["teacher"]).get_course(course.id)
    module = teacher.create_module(module={"name": "Labs"})
    item = module.create_module_item(module_item={
        "type": "Assignment", "content_id": assignment.id, "completion_requirement": {"type": "min_score",
                                                                                       "min_score": 4}})
    header = module.create_module_item(module_item={"type": "SubHeader", "title": "Before you start", "position": 1})
    assert (item.title, item.content_id, item.completion_requirement) == (
        "Lab report", assignment.id, {"type": "min_score", "min_score": 4})
    assert [(i.title, i.position) for i in module.get_module_items()] == [("Before you start", 1), ("Lab report", 2)]
    edited = item.edit(module_item={"title": "Lab report 1", "indent": 2, "published": True,
                                    "completion_requirement": {"type": "must_submit"}})
    assert (edited.title, edited.indent, edited.published, edited.completion_requirement) == (
        "Lab report 1", 2, True, {"type": "must_submit"})
    with world.tx() as db:
        target = db.get(ContentItem, assignment.id)
        assert (target.title, target.workflow_state) == ("Lab report 1", "published")
    assert module.get_module_item(header.id).type == "SubHeader"
    header.delete()
    assert [i.title for i in module.get_module_items()] == ["Lab report 1"]
    with pytest.raises(BadRequest):
        module.create_module_item(module_item={"type": "Quiz", "content_id": assignment.id})


def test_student_completes_and_uncompletes_an_item(world):
    course = world.course("Client progress")
    cast = world.cast(course)
    teacher = world.canvas(cast["teacher"]).get_course(course.id)
    module = teacher.create_module(module={"name": "Checklist"})
    module.edit(module={"published": True})
    todo = module.create_module_item(module_item={
        "type": "ExternalUrl", "title": "Read the guide", "external_url": "https://example.org/guide",
        "completion_requirement": {"type": "must_mark_done"}})
    todo.edit(module_item={"published": True})
    student = world.canvas(cast["student"]).get_course(course.id)
    with pytest.raises(Forbidden):
        student.create_module(module={"name": "Mine"})
    [mine] = student.get_modules()
    [item] = mine.get_module_items()
    assert item.completion_requirement == {"type": "must_mark_done", "completed": False}
    assert not hasattr(item, "published")
    item.complete()
    assert mine.get_module_item(item.id).completion_requirement["completed"] is True
    assert student.get_module(mine.id).state == "completed"
    again = world.canvas(cast["student"]).get_course(course.id, include=["course_progress"])
    assert (again.course_progress["requirement_count"], again.course_progress["requirement_completed_count"]) == (1, 1)
    item.uncomplete()
    assert mine.get_module_item(item.id).completion_requirement["completed"] is False
    assert student.get_module(mine.id).state == "unlocked"
