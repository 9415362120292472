"""The one course-code policy (core/courses/course_codes.py), whichever face writes the code:
records own their codes; other courses may share a code, but never a live record's."""

from __future__ import annotations

import pytest

from courseport.core.courses import course_records, courses
from courseport.core.courses.course_records import RecordChanges
from courseport.core.courses.courses import CourseChanges
from courseport.core.kit.errors import Conflict
from courseport.schema import User


def _as(world, fn, *args, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
    with world.tx() as db:
        return fn(db, db.get(User, world.admin.id), *args, **kw)


def test_courses_that_are_not_records_may_share_a_code(world):
    first, second = world.course("A", course_code="BIO"), world.course("B")
    _as(world, courses.update_course, second.id, CourseChanges(course_code="BIO"))
    assert (first.course_code, _as(world, courses.update_course, second.id, CourseChanges()).course_code) == (
        "BIO", "BIO")


def test_no_course_takes_a_live_records_code(world):
    record = _as(world, course_records.create_record, RecordChanges(course_code="bio101", name="Bio"))
    other = world.course("Other")
    with pytest.raises(Conflict) as taken:
        _as(world, courses.update_course, other.id, CourseChanges(course_code="bio101"))
    assert taken.value.message == "A course with course_code 'bio101' already exists"
    assert taken.value.spelled({"course_code": "Code"}).message == "A course with Code 'bio101' already exists"
    _as(world, course_records.delete_record, "id", record.id)
    assert _as(world, courses.update_course, other.id, CourseChanges(course_code="bio101")).course_code == "bio101"


def test_a_record_takes_no_code_another_live_course_holds(world):
    world.course("Canvas made", course_code="chem")
    with pytest.raises(Conflict):
        _as(world, course_records.create_record, RecordChanges(course_code="chem", name="Chem"))
    record = _as(world, course_records.create_record, RecordChanges(course_code="chem2", name="Chem"))
    with pytest.raises(Conflict):  # written to a record from any face
        _as(world, courses.update_course, record.id, CourseChanges(course_code="chem"))
