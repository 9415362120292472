"""canvasapi 3.6.0, unmodified, against the live server: the Sections API."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden

from courseport.schema import Enrollment, Section


def test_create_edit_list_get_and_delete(world):
    canvas = world.canvas()
    course = canvas.get_course(world.course("Biology").id)
    created = course.create_course_section(course_section={
        "name": "Section A", "sis_section_id": "BIO-A", "start_at": "2027-01-10T00:00:00Z",
        "restrict_enrollments_to_section_dates": True})
    assert (created.name, created.course_id, created.sis_section_id, created.start_at) == (
        "Section A", course.id, "BIO-A", "2027-01-10T00:00:00Z")
    assert created.restrict_enrollments_to_section_dates is True
    created.edit(course_section={"name": "Section Alpha", "end_at": "2027-05-01T00:00:00Z"})
    assert (created.name, created.end_at) == ("Section Alpha", "2027-05-01T00:00:00Z")
    assert canvas.get_section("BIO-A", use_sis_id=True).id == created.id
    assert course.get_section(created.id).name == "Section Alpha"
    assert [s.name for s in course.get_sections()] == ["Biology", "Section Alpha"]
    deleted = canvas.get_section(created.id).delete()
    assert deleted.id == created.id
    assert [s.name for s in course.get_sections()] == ["Biology"]
    with world.tx() as db:
        stored = db.get(Section, created.id)
        assert (stored.workflow_state, stored.name, stored.sis_section_id) == ("deleted", "Section Alpha", "BIO-A")


def test_list_with_students_and_counts(world):
    canvas = world.canvas()
    course = canvas.get_course(world.course("Chemistry").id)
    section = course.create_course_section(course_section={"name": "Lab"})
    student = world.user("ann", name="Ann Archer")
    world.enroll(student, course, section_id=section.id)
    world.enroll(world.user("tess"), course, "TeacherEnrollment", section_id=section.id)
    [default, lab] = course.get_sections(include=["students", "total_students", "enrollments"])
    assert (default.students, default.total_students) == (None, 0)
    assert lab.total_students == 1
    assert [(s["id"], s["name"]) for s in lab.students] == [(student.id, "Ann Archer")]
    assert [(e["type"], e["course_section_id"]) for e in lab.students[0]["enrollments"]] == [
        ("StudentEnrollment", section.id)]


def test_crosslist_and_back(world):
    canvas = world.canvas()
    home = canvas.get_course(world.course("Home").id)
    other = canvas.get_course(world.course("Other").id)
    section = home.create_course_section(course_section={"name": "Moving"})
    enrollment = world.enroll(world.user("sam"), home, section_id=section.id)
    moved = section.cross_list_section(other)
    assert (moved.course_id, moved.nonxlist_course_id) == (other.id, home.id)
    assert [s.name for s in other.get_sections()] == ["Moving", "Other"]
    with world.tx() as db:
        assert db.get(Enrollment, enrollment.id).course_id == other.id
    back = moved.decross_list_section()
    assert (back.course_id, back.nonxlist_course_id) == (home.id, None)
    with world.tx() as db:
        assert db.get(Enrollment, enrollment.id).course_id == home.id
    with pytest.raises(BadRequest):
        back.decross_list_section()


def test_students_cannot_create_and_enrolled_sections_stay(world):
    course = world.course("Physics")
    student, token = world.user_with_token("stu")
    world.enroll(student, course)
    as_student = world.canvas(token).get_course(course.id)
    with pytest.raises(Forbidden):
        as_student.create_course_section(course_section={"name": "Mine"})
    default = world.canvas().get_course(course.id).get_sections()[0]
    with pytest.raises(BadRequest):
        default.delete()
