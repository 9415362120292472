"""Core course-record rules on a real database: availability both ways, uniqueness among live
courses, durations and enrollment options following the course columns, copy records."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.core.courses import course_records, courses
from courseport.core.courses.course_records import Duration, EnrollmentOptions, RecordChanges
from courseport.core.courses.courses import CourseChanges
from courseport.core.kit.errors import Conflict, InvalidInput, NotFound
from courseport.schema import Course, User


def _as(world, fn, *args, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
    with world.tx() as db:
        return fn(db, db.get(User, world.admin.id), *args, **kw)


def _update(world, course_id, changes):  # noqa: ANN001, ANN202
    with world.tx() as db:
        return course_records.update_record(db, db.get(User, world.admin.id), db.get(Course, course_id), changes)


@pytest.mark.parametrize("available", list(course_records.AVAILABILITY))
def test_availability_round_trips_through_the_course_state(world, available):
    course = _as(world, course_records.create_record, RecordChanges(course_code="c", name="C", availability=available))
    assert (course.workflow_state, course.availability) == course_records.AVAILABILITY[available]
    with world.tx() as db:
        row = db.get(Course, course.id)
        assert course_records.availability_of(row) == available
        sql = db.scalar(select(course_records.availability_column()).where(Course.id == course.id))
        assert sql == available


def test_a_canvas_state_change_outranks_a_stale_learn_only_state(world):
    course = _as(world, course_records.create_record, RecordChanges(course_code="c", name="C", availability="disabled"))
    _as(world, courses.update_course, course.id, CourseChanges(), event="offer")  # published through Canvas
    with world.tx() as db:
        row = db.get(Course, course.id)
        assert course_records.availability_of(row) == "open"
        assert db.scalar(select(course_records.availability_column()).where(Course.id == course.id)) == "open"
    _as(world, courses.update_course, course.id, CourseChanges(), event="conclude")
    with world.tx() as db:
        assert course_records.availability_of(db.get(Course, course.id)) == "open"  # concluded: closedComplete


def test_course_ids_are_unique_among_live_courses_only(world):
    first = _as(world, course_records.create_record, RecordChanges(course_code="bio", name="Bio"))
    with pytest.raises(Conflict):
        _as(world, course_records.create_record, RecordChanges(course_code="bio", name="Again"))
    _as(world, course_records.delete_record, "id", first.id)
    again = _as(world, course_records.create_record, RecordChanges(course_code="bio", name="Again"))
    with world.tx() as db:
        assert course_records.resolve_record(db, "course_code", "bio").id == again.id
        with pytest.raises(NotFound):
            course_records.resolve_record(db, "id", first.id)


def test_durations_follow_the_course_dates(world):
    course = world.course("Canvas made")
    with world.tx() as db:
        assert course_records.duration_of(db.get(Course, course.id)) == Duration("continuous")
    _as(world, courses.update_course, course.id, CourseChanges(start_at=None, end_at=None))
    _update(world, course.id, RecordChanges(duration_kind="fixed_days", duration_days=10))
    with world.tx() as db:
        assert course_records.duration_of(db.get(Course, course.id)) == Duration("fixed_days", days=10)
    with pytest.raises(InvalidInput) as bad:
        _update(world, course.id, RecordChanges(duration_kind="date_range"))
    assert bad.value.field == "duration_start"


def test_enrollment_options_follow_self_enrollment(world):
    course = _as(world, course_records.create_record,
                 RecordChanges(course_code="c", name="C", enrollment_kind="email_enrolled"))
    with world.tx() as db:
        assert course_records.enrollment_of(db.get(Course, course.id)) == EnrollmentOptions("email_enrolled")
    _as(world, courses.update_course, course.id, CourseChanges(self_enrollment=True))
    with world.tx() as db:
        assert course_records.enrollment_of(db.get(Course, course.id)) == EnrollmentOptions("self_enrolled")
    with pytest.raises(InvalidInput) as bad:
        _update(world, course.id, RecordChanges(enrollment_kind="instructor_led", access_code="x"))
    assert bad.value.field == "access_code"


def test_a_copy_record_takes_the_source_record_under_a_new_course_id(world):
    source = _as(world, course_records.create_record, RecordChanges(
        course_code="src", name="Source", public_description="d", course_view="ultra", availability="closed"))
    with world.tx() as db:
        source = db.get(Course, source.id)
    copy = _as(world, course_records.create_copy_record, source, "dst")
    assert (copy.course_code, copy.external_id, copy.name, copy.public_description, copy.course_view) == (
        "dst", "dst", "Source", "d", "ultra")
    assert course_records.availability_of(copy) == "closed"
    assert course_records.copy_history_of(copy) == [source.uuid]
    with pytest.raises(Conflict):
        _as(world, course_records.create_copy_record, source, "src")


def test_the_course_view_is_one_of_core_words_and_set_on_create_only(world):
    course = _as(world, course_records.create_record, RecordChanges(course_code="c", name="C"))
    assert course.course_view == "undecided"
    with pytest.raises(InvalidInput) as bad:
        _as(world, course_records.create_record, RecordChanges(course_code="d", name="D", course_view="Ultra"))
    assert (bad.value.field, bad.value.message) == (
        "course_view", "course_view must be one of undecided, classic, ultra, ultra_preview, got 'Ultra'")
    with pytest.raises(InvalidInput) as bad:
        _update(world, course.id, RecordChanges(course_view="classic"))
    assert bad.value.field == "course_view"
