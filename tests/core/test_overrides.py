"""Core override rules on a real database: targets, validation, and each student's effective dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from courseport.core.content.due_dates import StudentDates, effective_dates
from courseport.core.coursework import assignment_overrides, assignments
from courseport.core.coursework.assignments import AssignmentChanges
from courseport.core.coursework.overrides import OverrideChanges
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.schema import AssignmentOverride, OverrideStudent, Section, User


def at(day: int, hour: int = 0) -> datetime:
    return datetime(2030, 1, day, hour, tzinfo=UTC)


def _as(world, user, fn, *args, **kw):
    with world.tx() as db:
        return fn(db, db.get(User, user.id), *args, **kw)


@pytest.fixture
def klass(world):
    """A course with a teacher, two sections (A: ann and bob, B: cat) and an assignment due Jan 10."""
    course = world.course("Overrides")
    teacher, _ = world.user_with_token("teacher")
    world.enroll(teacher, course, "TeacherEnrollment")
    with world.tx() as db:
        a, b = Section(course_id=course.id, name="A"), Section(course_id=course.id, name="B")
        db.add_all([a, b])
        db.flush()
        sections = {"A": a.id, "B": b.id}
    students = {}
    for login, section in (("ann", "A"), ("bob", "A"), ("cat", "B")):
        students[login] = world.user(login)
        world.enroll(students[login], course, section_id=sections[section])
    _, item = _as(world, teacher, assignments.create_assignment, course.id,
                  AssignmentChanges({"name": "Essay", "due_at": at(10), "published": True}))
    return course, teacher, sections, students, item


def _dates(world, course, item_ids=None, user_ids=None):
    with world.tx() as db:
        return effective_dates(db, course.id, item_ids, user_ids)


def _override(world, klass, **changes):
    course, teacher, _, _, item = klass
    return _as(world, teacher, assignment_overrides.create_override, course.id, str(item.id),
               OverrideChanges(**changes))


def test_without_overrides_everyone_has_the_assignment_dates(world, klass):
    course, _, _, s, item = klass
    expected = StudentDates(at(10), None, None, None)
    assert _dates(world, course) == {item.id: {s["ann"].id: expected, s["bob"].id: expected, s["cat"].id: expected}}


def test_section_and_student_overrides_beat_the_assignment_date(world, klass):
    course, _, sections, s, item = klass
    section = _override(world, klass, course_section_id=str(sections["A"]), dates={"due_at": at(12)})
    student = _override(world, klass, student_ids=[str(s["cat"].id)], dates={"due_at": at(8)})
    assert _dates(world, course)[item.id] == {
        s["ann"].id: StudentDates(at(12), None, None, section.override.id),
        s["bob"].id: StudentDates(at(12), None, None, section.override.id),
        s["cat"].id: StudentDates(at(8), None, None, student.override.id),
    }


def test_the_latest_applicable_override_wins_and_no_due_date_is_latest(world, klass):
    course, _, sections, s, item = klass
    _override(world, klass, course_section_id=str(sections["A"]), dates={"due_at": at(12)})
    later = _override(world, klass, student_ids=[str(s["ann"].id)], dates={"due_at": at(15)})
    assert _dates(world, course)[item.id][s["ann"].id] == StudentDates(at(15), None, None, later.override.id)
    earlier = _override(world, klass, student_ids=[str(s["bob"].id)], dates={"due_at": at(11)})
    bob = _dates(world, course)[item.id][s["bob"].id]
    assert (bob.due_at, bob.override_id != earlier.override.id) == (at(12), True)
    undated = _override(world, klass, course_section_id=str(sections["B"]), dates={"due_at": None})
    assert _dates(world, course)[item.id][s["cat"].id] == StudentDates(None, None, None, undated.override.id)


def test_an_override_without_a_due_date_keeps_the_assignment_due_date_but_moves_availability(world, klass):
    course, _, sections, s, item = klass
    _override(world, klass, course_section_id=str(sections["B"]), dates={"unlock_at": at(2), "lock_at": at(20)})
    assert _dates(world, course)[item.id][s["cat"].id] == StudentDates(at(10), at(2), at(20), None)
    assert _dates(world, course)[item.id][s["ann"].id] == StudentDates(at(10), None, None, None)


def test_only_visible_to_overrides_lists_only_covered_students(world, klass):
    course, teacher, sections, s, item = klass
    _as(world, teacher, assignments.update_assignment, course.id, str(item.id),
        AssignmentChanges({"only_visible_to_overrides": True}))
    assert _dates(world, course) == {item.id: {}}
    _override(world, klass, course_section_id=str(sections["B"]), dates={"due_at": at(11)})
    assert set(_dates(world, course)[item.id]) == {s["cat"].id}
    assert _dates(world, course, [item.id], [s["ann"].id, s["cat"].id])[item.id] == {
        s["cat"].id: StudentDates(at(11), None, None, _dates(world, course)[item.id][s["cat"].id].override_id)}


def test_deleted_overrides_and_unenrolled_students_no_longer_count(world, klass):
    course, teacher, _, s, item = klass
    view = _override(world, klass, student_ids=[str(s["ann"].id)], dates={"due_at": at(20)})
    _as(world, teacher, assignment_overrides.delete_override, course.id, str(item.id), str(view.override.id))
    assert _dates(world, course)[item.id][s["ann"].id].due_at == at(10)
    with world.tx() as db:
        from courseport.schema import Enrollment
        db.execute(Enrollment.__table__.update().where(Enrollment.user_id == s["bob"].id).values(
            workflow_state="deleted"))
    assert s["bob"].id not in _dates(world, course)[item.id]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({}, "student_ids", "one of student_ids or course_section_id is required"),
    ({"student_ids": ["1"], "course_section_id": "1"}, "course_section_id",
     "give either student_ids or course_section_id, not both"),
    ({"student_ids": ["nope"]}, "student_ids", "unknown student ids: nope"),
    ({"course_section_id": "999999"}, "course_section_id", "unknown section id '999999'"),
])
def test_override_targets_are_checked(world, klass, changes, field, message):
    with pytest.raises(InvalidInput) as err:
        _override(world, klass, **changes)
    assert (err.value.field, err.value.message) == (field, message)


def test_teachers_are_not_students_and_a_student_has_one_override_per_assignment(world, klass):
    course, teacher, sections, s, item = klass
    with pytest.raises(InvalidInput, match=f"unknown student ids: {teacher.id}"):
        _override(world, klass, student_ids=[str(teacher.id)])
    _override(world, klass, student_ids=[str(s["ann"].id)])
    with pytest.raises(InvalidInput) as err:
        _override(world, klass, student_ids=[str(s["bob"].id), str(s["ann"].id)])
    assert err.value.message == f"students already have another override of this assignment: {s['ann'].id}"
    _override(world, klass, course_section_id=str(sections["A"]))
    with pytest.raises(InvalidInput, match="already has an override"):
        _override(world, klass, course_section_id=str(sections["A"]))
    with world.tx() as db:
        assert db.scalar(select(AssignmentOverride.id).where(AssignmentOverride.item_id == item.id).order_by(
            AssignmentOverride.id.desc())) is not None
        assert len(list(db.scalars(select(OverrideStudent.user_id)))) == 1


def test_update_replaces_students_and_clears_dates_not_given(world, klass):
    course, teacher, _, s, item = klass
    view = _override(world, klass, student_ids=[str(s["ann"].id)], dates={"due_at": at(12), "lock_at": at(25)})
    assert view.override.title == "1 student"
    updated = _as(world, teacher, assignment_overrides.update_override, course.id, str(item.id), str(view.override.id),
                  OverrideChanges(student_ids=[str(s["bob"].id), str(s["cat"].id)], dates={"due_at": at(13)}))
    assert (updated.student_ids, updated.override.title) == (sorted([s["bob"].id, s["cat"].id]), "2 students")
    assert (updated.override.due_at, updated.override.lock_at, updated.override.lock_at_set) == (at(13), None, False)
    with world.tx() as db:
        assert sorted(db.scalars(select(OverrideStudent.user_id))) == sorted([s["bob"].id, s["cat"].id])


def test_students_cannot_write_and_see_only_their_overrides(world, klass):
    course, _, sections, s, item = klass
    _override(world, klass, course_section_id=str(sections["A"]), dates={"due_at": at(12)})
    _override(world, klass, student_ids=[str(s["ann"].id), str(s["cat"].id)], dates={"due_at": at(14)})
    with pytest.raises(NotAllowed):
        _as(world, s["ann"], assignment_overrides.create_override, course.id, str(item.id),
            OverrideChanges(student_ids=[str(s["ann"].id)]))
    seen = _as(world, s["cat"], assignment_overrides.list_overrides, course.id, str(item.id))
    assert [(v.override.course_section_id, v.student_ids) for v in seen] == [(None, [s["cat"].id])]
    assert len(_as(world, s["bob"], assignment_overrides.list_overrides, course.id, str(item.id))) == 1
    with pytest.raises(NotFound):
        _as(world, s["bob"], assignment_overrides.show_override, course.id, str(item.id), str(seen[0].override.id))
