"""Plain-row reads hold what the ORM's entities hold, on SQLite and on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from courseport.db import transaction
from courseport.row_reads import RowRead
from courseport.schema import Course, Enrollment

_COURSE = RowRead.of(Course, Course.id == bindparam("course_id"))
_ENROLLMENTS = RowRead.of(Enrollment, Enrollment.course_id.in_(bindparam("ids", expanding=True)),
                          Enrollment.workflow_state.in_(("active", "invited")))


def test_a_row_equals_the_entity_attribute_for_attribute(world):
    course = world.course("Rows", blueprint=True, blueprint_restrictions={"content": True, "points": False})
    with transaction(world.engine, write=False) as db:
        row = _COURSE.first(db, course_id=course.id)
        entity = db.get(Course, course.id)
        for attr in Course.__mapper__.column_attrs:
            assert getattr(row, attr.key) == getattr(entity, attr.key), attr.key
        assert row.created_at.tzinfo is not None and row.blueprint is True
        assert row.blueprint_restrictions == {"content": True, "points": False}
        assert _COURSE.first(db, course_id=-1) is None


def test_lists_expand_per_length_and_constants_stay(world):
    courses = [world.course(f"C{n}") for n in range(3)]
    for n, course in enumerate(courses):
        world.enroll(world.user(f"s{n}"), course, state="active" if n else "deleted")
    with transaction(world.engine, write=False) as db:
        got = {r.course_id for r in _ENROLLMENTS.all(db, ids=[c.id for c in courses])}
        assert got == {courses[1].id, courses[2].id}  # the deleted one is left out by the constant list
        assert [r.course_id for r in _ENROLLMENTS.all(db, ids=[courses[2].id])] == [courses[2].id]
        assert _ENROLLMENTS.all(db, ids=[]) == []
        orm = db.scalars(select(Enrollment.id).where(Enrollment.course_id.in_([c.id for c in courses]),
                                                     Enrollment.workflow_state.in_(("active", "invited"))))
        assert sorted(orm) == sorted(r.id for r in _ENROLLMENTS.all(db, ids=[c.id for c in courses]))
