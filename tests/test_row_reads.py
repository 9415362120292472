"""Plain-row reads hold what the ORM's entities hold, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Float, LargeBinary, String, TypeDecorator, bindparam, cast, literal_column, select
from sqlalchemy.dialects.postgresql import psycopg as postgresql_psycopg

from courseport.db import is_sqlite, transaction
from courseport.row_reads import RowRead, entity_columns
from courseport.schema import Course, Enrollment
from courseport.schema.base import UTCDateTime

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


_NAMED_LIKE = RowRead(select(Course.id.label("id"), Course.name.label("name")).where(
    Course.name.like("50%% off%"), Course.account_id == bindparam("account_id"),
    Course.id != bindparam("not_id"),
    Course.enrollment_term_id.is_(None) | (Course.account_id == bindparam("account_id")),
    Course.id.in_(bindparam("ids", expanding=True))).order_by(Course.id))


def test_a_percent_sign_a_repeated_parameter_and_a_list_read_as_the_orm_reads_them(world):
    """PostgreSQL's plans are compiled with numbered placeholders and run on a RawCursor: a `%` in the
    statement's own text is no placeholder, and one value fills every place its name appears."""
    made = [world.course(name) for name in ("50% off maths", "50% off art", "5 off", "50%% off")]
    ids = [c.id for c in made]
    with transaction(world.engine, write=False) as db:
        rows = _NAMED_LIKE.all(db, account_id=made[0].account_id, not_id=made[1].id, ids=ids)
        orm = db.execute(_NAMED_LIKE.statement, {"account_id": made[0].account_id, "not_id": made[1].id,
                                                 "ids": ids}).all()
        again = _NAMED_LIKE.all(db, account_id=made[0].account_id, not_id=-1, ids=ids[:2])
    expected = [(made[0].id, "50% off maths"), (made[3].id, "50%% off")]  # "50%% off%": two wildcards, then " off"
    assert [(r.id, r.name) for r in rows] == [tuple(r) for r in orm] == expected
    assert [r.name for r in again] == ["50% off maths", "50% off art"]


_PACKED_COURSES = RowRead(select(*entity_columns(Course)).where(Course.id.in_(bindparam("ids", expanding=True)))
                          .order_by(Course.id.desc()), "CourseRow", packed=True)


def test_a_packed_read_holds_what_the_driver_read_holds(world):
    """SQLite writes a packed read's rows as JSON arrays (row_reads._packed): text of every kind, NULLs,
    dates, booleans and JSON columns come back as an unpacked read gives them, in the statement's order,
    and a float column comes beside the array, exactly. PostgreSQL reads it unpacked."""
    awkward = 'Ünïcødé "quoted" \\ back\tslash\n\u2028 \U0001f600 </script> \x01'
    made = [world.course(awkward, blueprint=True, blueprint_restrictions={"content": True, "points": False}),
            world.course("Plain"), world.course("")]
    with transaction(world.engine, write=True) as db:
        db.get(Course, made[0].id).storage_quota_used_bytes = 0.1 + 0.2  # 0.30000000000000004: 17 digits
    ids = [c.id for c in made]
    unpacked = RowRead(_PACKED_COURSES.statement, "CourseRow")
    with transaction(world.engine, write=False) as db:
        packed_rows, plain_rows = _PACKED_COURSES.all(db, ids=ids), unpacked.all(db, ids=ids)
        entities = {c.id: c for c in db.scalars(select(Course).where(Course.id.in_(ids)))}
    assert [r.id for r in packed_rows] == sorted(ids, reverse=True)
    assert packed_rows == plain_rows
    for row in packed_rows:
        for attr in Course.__mapper__.column_attrs:
            assert getattr(row, attr.key) == getattr(entities[row.id], attr.key), attr.key
    first = packed_rows[-1]
    assert first.name == awkward and first.blueprint is True and first.created_at.tzinfo is not None
    assert first.blueprint_restrictions == {"content": True, "points": False} and first.sis_course_id is None
    assert first.storage_quota_used_bytes == 0.1 + 0.2
    plan = _PACKED_COURSES._plans[(world.engine.dialect.name, 3)]
    assert (plan.packed is not None) is is_sqlite(world.engine)


def test_columns_json_would_change_come_beside_the_arrays_and_wide_rows_take_several():
    names = [c.name for c in entity_columns(Course)]
    packing = RowRead(select(*entity_columns(Course)), packed=True).packing
    assert packing is not None and packing.arrays == 1
    assert [names[n] for n in packing.plain] == ["storage_quota_used_bytes"]  # a float: 15 digits in JSON
    binary = RowRead(select(Course.id, Course.name, cast(Course.name, LargeBinary)), packed=True).packing
    assert binary is not None and binary.plain == (2,)  # no bytes in JSON
    wide = RowRead(select(*[Course.id.label(f"c{n}") for n in range(150)]), packed=True).packing
    assert wide is not None and (wide.arrays, wide.plain) == (2, ())  # json_array takes at most 100
    assert RowRead(select(Course.id, cast(Course.id, Float)), packed=True).packing is None  # one: no gain
    assert RowRead(select(Course.id, Course.name)).packing is None  # packing is asked for


def test_a_row_wider_than_one_array_reads_whole(world):
    made = world.course("Wide")
    wide = select(*[(Course.id + n).label(f"c{n}") for n in range(150)], cast(Course.id, Float).label("f"),
                  Course.name.label("name")).where(Course.id == bindparam("id"))
    with transaction(world.engine, write=False) as db:
        row = RowRead(wide, packed=True).first(db, id=made.id)
    assert list(row) == [made.id + n for n in range(150)] + [float(made.id), "Wide"]


class _NullAsText(TypeDecorator):
    """A type that gives NULL a value of its own (as no type of the store does)."""

    impl = String
    cache_ok = True

    def process_result_value(self, value, dialect):  # noqa: ANN001, ANN201
        return "no value" if value is None else value


@pytest.mark.parametrize("packed", [False, True])
def test_each_column_passes_its_processor_nulls_included_where_the_processor_gives_them_a_value(world, packed):
    made = world.course("Processed", sis_course_id=None)
    read = RowRead(select(cast(Course.sis_course_id, _NullAsText()).label("sis"), Course.blueprint.label("blueprint"),
                          Course.created_at.label("created_at"), Course.end_at.label("end_at"),
                          Course.name.label("name")).where(Course.id == bindparam("id")), packed=packed)
    with transaction(world.engine, write=False) as db:
        row = read.first(db, id=made.id)
        again = read.first(db, id=made.id)  # the converter made on the first read serves the next
    assert row == again and row.sis == "no value" and row.name == "Processed" and row.end_at is None
    assert row.blueprint is False and row.created_at.tzinfo is not None  # a bool, not SQLite's 0


_CONSTANTS = RowRead(select(Course.id.label("id"), Course.name.label("name")).where(
    Course.workflow_state.in_(("available", "unpublished")), Course.name != "it's $1; --", Course.blueprint == False,  # noqa: E712
    Course.storage_quota_mb > -1, Course.account_id == bindparam("account_id"),
    Course.name != literal_column("'$2 text'")).order_by(Course.id))


def test_a_statements_own_plain_constants_are_written_into_the_postgresql_text():
    """PostgreSQL's generic plan of a prepared statement sees a constant only where it is written in the text:
    integers, booleans and text of safe characters are; other text stays a parameter, and a `$n` inside a quoted
    literal is no placeholder."""
    plan = _CONSTANTS._compile(postgresql_psycopg.dialect(), "pg", {})
    sql = plan.sql.decode()
    assert "'available'::VARCHAR" in sql and "'unpublished'::VARCHAR" in sql and "> -1" in sql, sql
    assert "= false" in sql and "'$2 text'" in sql and "it's" not in sql, sql
    [kept] = set(plan.param_order) - {"account_id"}
    assert len(plan.param_order) == 2 and plan.constants == {kept: "it's $1; --"}, plan
    assert sql.count("$1") == 1 and sql.count("$2") == 2, sql  # once as a placeholder, once quoted


def test_constants_written_in_read_what_the_orm_reads(world):
    made = [world.course(name) for name in ("it's $1; --", "Plain", "Other")]
    with world.tx() as db:
        db.get(Course, made[2].id).workflow_state = "completed"
    with transaction(world.engine, write=False) as db:
        rows = _CONSTANTS.all(db, account_id=made[0].account_id)
        orm = db.execute(_CONSTANTS.statement, {"account_id": made[0].account_id}).all()
    assert [tuple(r) for r in rows] == [tuple(r) for r in orm]
    assert made[1].id in [r.id for r in rows] and {made[0].id, made[2].id}.isdisjoint(r.id for r in rows)


def test_postgresql_datetimes_come_in_utc():
    processor = UTCDateTime().dialect_impl(postgresql_psycopg.dialect()).result_processor(
        postgresql_psycopg.dialect(), None)
    naive = datetime(2026, 12, 7, 1, 2, 3, 456789)
    assert processor(naive) == naive.replace(tzinfo=UTC) and processor(naive).tzinfo is UTC
    assert processor(datetime(2026, 12, 7, 3, 2, 3, tzinfo=timezone(timedelta(hours=2)))) == naive.replace(
        microsecond=0, tzinfo=UTC)
    assert processor(None) is None
