"""canvasapi's external tool and feature flag calls against the live server: a course's tools created, listed,
edited and deleted, an account's tool seen with include_parents; a course's features listed, its enabled ones,
a flag shown, set and removed; the stored rows after each call and refusals as canvasapi's exceptions."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist
from canvasapi.external_tool import ExternalTool
from canvasapi.feature import Feature, FeatureFlag
from sqlalchemy import select

from courseport.schema import ExternalTool as ToolRow
from courseport.schema import FeatureFlag as FlagRow


@pytest.fixture
def cls(world):
    course = world.course("Physics")
    tina, tina_token = world.user_with_token("tina")
    ann, ann_token = world.user_with_token("ann")
    world.enroll(tina, course, "TeacherEnrollment")
    world.enroll(ann, course)
    return course, tina_token, ann_token


def _tools(world) -> list[tuple]:
    with world.tx() as db:
        return [(t.course_id, t.account_id, t.name, t.url, t.custom_fields, t.placements)
                for t in db.scalars(select(ToolRow).order_by(ToolRow.id))]


def _flags(world) -> list[tuple]:
    with world.tx() as db:
        return [(f.feature, f.course_id, f.state) for f in db.scalars(select(FlagRow).order_by(FlagRow.id))]


def test_course_tools_through_canvasapi(world, cls):
    course, tina_token, ann_token = cls
    teacher_course = world.canvas(tina_token).get_course(course.id)
    tool = teacher_course.create_external_tool(
        name="Lab Sim", privacy_level="name_only", consumer_key="k", shared_secret="s",
        url="https://sim.example.com/lti", custom_fields={"level": "2"},
        course_navigation={"enabled": True, "text": "Lab"})
    assert isinstance(tool, ExternalTool)
    assert (tool.name, tool.privacy_level, tool.parent_type, tool.parent_id) == (
        "Lab Sim", "name_only", "course", course.id)
    assert not hasattr(tool, "shared_secret")
    assert _tools(world) == [(course.id, None, "Lab Sim", "https://sim.example.com/lti", {"level": "2"},
                              {"course_navigation": {"enabled": True, "text": "Lab"}})]
    with pytest.raises(BadRequest):
        teacher_course.create_external_tool(name="Bad", privacy_level="public", consumer_key="k",
                                            shared_secret="s", url="gopher://x")
    account_tool = world.canvas().get_account(1).create_external_tool(
        "District", "public", "k2", "s2", domain="district.example.com")
    assert (account_tool.parent_type, account_tool.domain) == ("account", "district.example.com")

    listed = list(teacher_course.get_external_tools())
    assert [t.name for t in listed] == ["Lab Sim"]
    assert [t.name for t in teacher_course.get_external_tools(include_parents=True)] == ["Lab Sim", "District"]
    student_course = world.canvas(ann_token).get_course(course.id)
    shown = student_course.get_external_tool(tool.id)
    assert (shown.name, shown.custom_fields) == ("Lab Sim", {"level": "2"})
    with pytest.raises(Forbidden):
        shown.edit(name="Mine")
    with pytest.raises(ResourceDoesNotExist):
        student_course.get_external_tool(999999)

    edited = listed[0].edit(name="Lab Sim 2", editor_button={"enabled": "true", "url": "https://sim.example.com/e"})
    assert (edited.name, edited.editor_button) == ("Lab Sim 2", {"enabled": True, "url": "https://sim.example.com/e"})
    assert listed[0].name == "Lab Sim 2"
    assert [row[2] for row in _tools(world)] == ["Lab Sim 2", "District"]
    deleted = listed[0].delete()
    assert (deleted.id, deleted.workflow_state) == (tool.id, "deleted")
    assert [row[2] for row in _tools(world)] == ["District"]


def test_course_features_through_canvasapi(world, cls):
    course, tina_token, ann_token = cls
    teacher_course = world.canvas(tina_token).get_course(course.id)
    features = list(teacher_course.get_features())
    assert all(isinstance(f, Feature) for f in features)
    assert [(f.name, f.applies_to, f.feature_flag["state"]) for f in features] == [
        ("anonymous_marking", "Course", "allowed"), ("assignments_2_student", "Course", "allowed"),
        ("new_gradebook", "Course", "allowed_on"), ("quizzes_next", "Course", "allowed")]
    assert teacher_course.get_enabled_features() == ["new_gradebook"]
    flag = teacher_course.get_feature_flag("quizzes_next")
    assert isinstance(flag, FeatureFlag)
    assert (flag.feature, flag.state, flag.locked) == ("quizzes_next", "allowed", False)

    quizzes = features[3]
    set_flag = flag.set_feature_flag(quizzes, state="on")
    assert (set_flag.context_type, set_flag.context_id, set_flag.state) == ("Course", course.id, "on")
    assert _flags(world) == [("quizzes_next", course.id, "on")]
    assert sorted(teacher_course.get_enabled_features()) == ["new_gradebook", "quizzes_next"]
    with pytest.raises(BadRequest):
        flag.set_feature_flag(quizzes, state="sideways")
    student_flag = world.canvas(ann_token).get_course(course.id).get_feature_flag(quizzes)
    assert student_flag.state == "on"
    with pytest.raises(Forbidden):
        student_flag.set_feature_flag(Feature(world.canvas(ann_token)._Canvas__requester,
                                              {"name": "quizzes_next", "course_id": course.id}), state="off")
    assert _flags(world) == [("quizzes_next", course.id, "on")]

    removed = set_flag.delete(quizzes)
    assert (removed.feature, removed.state) == ("quizzes_next", "on")
    assert _flags(world) == []
    assert teacher_course.get_feature_flag("quizzes_next").state == "allowed"
    with pytest.raises(ResourceDoesNotExist):
        teacher_course.get_feature_flag("no_such_feature")
