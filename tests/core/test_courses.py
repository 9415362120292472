"""Core course rules on a real database: id forms, create, update rights, events, reset."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.core.courses import courses
from courseport.core.courses.courses import CourseChanges
from courseport.core.identity import accounts
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.schema import Course, Enrollment, Section, User


def _as(world, user, fn, *args, **kw):
    with world.tx() as db:
        return fn(db, db.get(User, user.id), *args, **kw)


def test_resolve_by_every_id_form(world):
    course = world.course("Ids", sis_course_id="S1", integration_id="I1")
    with world.tx() as db:
        for ref in (course.id, str(course.id), "sis_course_id:S1", "sis_integration_id:I1",
                    f"lti_context_id:{course.lti_context_id}", f"uuid:{course.uuid}"):
            assert courses.resolve_course(db, ref).id == course.id
        for ref in ("sis_course_id:nope", "abc", "999999", "sis_user_id:S1"):
            with pytest.raises(NotFound):
                courses.resolve_course(db, ref)


def test_deleted_courses_resolve_only_when_asked(world):
    course = world.course("Gone")
    _as(world, world.admin, courses.delete_or_conclude, course.id, "delete")
    with world.tx() as db:
        with pytest.raises(NotFound):
            courses.resolve_course(db, course.id)
        assert courses.resolve_course(db, course.id, include_deleted=True).workflow_state == "deleted"


@pytest.mark.parametrize(("name", "code"), [("Biology 101", "Biology 101"), ("Intro to Chem 2 lab", "Intro 2"),
                                            ("Art", "Art"), ("", "")])
def test_derived_course_code(name, code):
    assert courses.derive_course_code(name) == code


def test_create_offers_enrolls_and_defaults(world):
    course = _as(world, world.admin, courses.create_course, 1, CourseChanges(name="  "), offer=True, enroll_me=True)
    with world.tx() as db:
        default_term = accounts.default_term(db, 1).id
    assert (course.name, course.workflow_state, course.enrollment_term_id) == (
        "Unnamed Course", "available", default_term)
    with world.tx() as db:
        [section] = db.scalars(select(Section).where(Section.course_id == course.id)).all()
        [teacher] = db.scalars(select(Enrollment).where(Enrollment.course_id == course.id)).all()
    assert section.default_section and (teacher.user_id, teacher.type, teacher.course_section_id) == (
        world.admin.id, "TeacherEnrollment", section.id)


def test_only_account_admins_create(world):
    teacher = world.user("teacher")
    with pytest.raises(NotAllowed):
        _as(world, teacher, courses.create_course, 1, CourseChanges(name="Mine"))
    with pytest.raises(NotFound):
        _as(world, world.admin, courses.create_course, 99999999, CourseChanges(name="Nowhere"))


@pytest.mark.parametrize(("fields", "field"), [
    ({"license": "mine"}, "license"), ({"time_zone": "Nowhere/Land"}, "time_zone"),
    ({"time_zone": "../etc/passwd"}, "time_zone"), ({"storage_quota_mb": -1}, "storage_quota_mb"),
    ({"blueprint_restrictions": {"content": True, "colour": True}}, "blueprint_restrictions"),
    ({"blueprint_restrictions_by_object_type": {"rubric": {"content": True}}},
     "blueprint_restrictions_by_object_type"),
    ({"blueprint_restrictions_by_object_type": {"quiz": True}}, "blueprint_restrictions_by_object_type"),
])
def test_invalid_values_name_the_field(world, fields, field):
    course = world.course("C")
    with pytest.raises(InvalidInput) as err:
        _as(world, world.admin, courses.update_course, course.id, CourseChanges(**fields))
    assert err.value.field == field


def test_stranger_cannot_touch_a_course_even_with_an_empty_update(world):
    course = world.course("C")
    stranger = world.user("stranger")
    for fields, event in (({}, None), ({"name": "X"}, None), ({}, "offer")):
        with pytest.raises(NotAllowed):
            _as(world, stranger, courses.update_course, course.id, CourseChanges(**fields), event=event)


def test_designer_edits_the_syllabus_only(world):
    course = world.course("C")
    designer = world.user("designer")
    world.enroll(designer, course, "DesignerEnrollment")
    updated = _as(world, designer, courses.update_course, course.id, CourseChanges(syllabus_body="<p>ok</p>"))
    assert updated.syllabus_body == "<p>ok</p>"
    for fields, event in (({"syllabus_body": "<p>x</p>", "name": "X"}, None), ({}, "conclude")):
        with pytest.raises(NotAllowed):
            _as(world, designer, courses.update_course, course.id, CourseChanges(**fields), event=event)


def test_teacher_may_not_set_admin_fields(world):
    course = world.course("C")
    teacher = world.user("teacher")
    world.enroll(teacher, course, "TeacherEnrollment")
    for field, value in (("sis_course_id", "T1"), ("storage_quota_mb", 9000), ("blueprint", True),
                         ("account_id", 1), ("template", True)):
        with pytest.raises(NotAllowed):
            _as(world, teacher, courses.update_course, course.id, CourseChanges(**{field: value}))
    assert _as(world, teacher, courses.update_course, course.id, CourseChanges(name="Mine")).name == "Mine"


def test_events_and_undelete(world):
    course = world.course("C", sis_course_id="SIS-C")
    teacher = world.user("teacher")
    world.enroll(teacher, course, "TeacherEnrollment")
    for event, state in (("claim", "unpublished"), ("offer", "available"), ("conclude", "completed")):
        changed = _as(world, teacher, courses.update_course, course.id, CourseChanges(), event=event)
        assert changed.workflow_state == state
    with pytest.raises(InvalidInput):
        _as(world, world.admin, courses.update_course, course.id, CourseChanges(), event="undelete")  # not deleted
    assert _as(world, teacher, courses.update_course, course.id, CourseChanges(), event="delete").sis_course_id is None
    with pytest.raises(NotAllowed):
        _as(world, teacher, courses.update_course, course.id, CourseChanges(), event="undelete")
    with pytest.raises(NotFound):
        _as(world, teacher, courses.update_course, course.id, CourseChanges(), event="offer")
    back = _as(world, world.admin, courses.update_course, course.id, CourseChanges(), event="undelete")
    assert back.workflow_state == "unpublished"
    world.course("Takes the SIS id", sis_course_id="SIS-C")  # a deleted course released it


def test_delete_or_conclude(world):
    course = world.course("C")
    with pytest.raises(InvalidInput) as err:
        _as(world, world.admin, courses.delete_or_conclude, course.id, None)
    assert err.value.field == "event"
    with pytest.raises(NotFound):
        _as(world, world.admin, courses.delete_or_conclude, 999999, None)
    assert _as(world, world.admin, courses.delete_or_conclude, course.id, "conclude") == "conclude"


def test_reset_moves_people_and_replaces_the_course(world):
    course = world.course("Old", sis_course_id="R", syllabus_body="<p>content</p>", default_view="syllabus",
                          license="cc_by", time_zone="Europe/Paris")
    student = world.user("student")
    world.enroll(student, course)
    fresh = _as(world, world.admin, courses.reset_content, course.id)
    assert fresh.id != course.id and fresh.uuid != course.uuid
    assert (fresh.name, fresh.sis_course_id, fresh.license, fresh.time_zone) == ("Old", "R", "cc_by", "Europe/Paris")
    assert (fresh.workflow_state, fresh.syllabus_body, fresh.default_view) == ("unpublished", None, "modules")
    with world.tx() as db:
        old = db.get(Course, course.id)
        assert (old.workflow_state, old.sis_course_id) == ("deleted", None)
        assert {e.course_id for e in db.scalars(select(Enrollment))} == {fresh.id}
        assert {s.course_id for s in db.scalars(select(Section))} == {fresh.id}
