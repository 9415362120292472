"""The fast read path (db.py's lazy BEGIN and idle ping, the caller read with their tenant and
administered accounts, course views by id range): what it skips never changes an answer."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, select, text

from courseport import db as db_module
from courseport.core.identity import accounts, tokens
from courseport.db import is_sqlite, make_engine, transaction
from courseport.row_reads import RowRead
from courseport.schema import Course, CourseNickname

_COURSE = RowRead.of(Course, Course.id == bindparam("course_id"))


def _rename_then_fail(world, course_id: int, *, write: bool) -> None:
    with pytest.raises(RuntimeError), transaction(world.engine, write=write) as db:
        tokens.token_viewer(db, world.admin_token)  # a plain-row read first: on PostgreSQL no BEGIN yet
        db.get(Course, course_id).name = "Changed"
        db.flush()
        raise RuntimeError("fails after the write")


def _name(world, course_id: int) -> str:
    with transaction(world.engine, write=False) as db:
        return db.get(Course, course_id).name


def test_a_read_that_writes_is_undone_whole_when_it_fails(world):
    course = world.course("Kept")
    _rename_then_fail(world, course.id, write=False)
    assert _name(world, course.id) == "Kept"


def test_a_connection_a_read_used_begins_the_next_write_as_before(world):
    course = world.course("Kept")
    for _ in range(3):  # reads and writes take turns on the pooled connections
        with transaction(world.engine, write=False) as db:
            assert tokens.token_viewer(db, world.admin_token).id == world.admin.id
        _rename_then_fail(world, course.id, write=True)
    assert _name(world, course.id) == "Kept"


def test_a_connection_dropped_while_idle_is_replaced_not_failed(world, monkeypatch):
    if is_sqlite(world.engine):
        pytest.skip("PostgreSQL: SQLite has no server to drop a connection")
    engine = make_engine(world.engine.url.render_as_string(hide_password=False))
    try:
        with engine.connect() as connection:
            pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with world.engine.connect() as other:
            assert other.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})").scalar() is True
        time.sleep(0.05)
        monkeypatch.setattr(db_module, "PING_AFTER_IDLE", 0.0)  # the dropped connection counts as idle
        with transaction(engine, write=False) as db:
            assert db.scalar(select(Course.id).where(Course.id == -1)) is None
            assert db.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar() != pid
    finally:
        engine.dispose()


def test_a_write_sees_the_administrators_it_makes(world):
    user, token = world.user_with_token("teacher")
    with transaction(world.engine, write=True) as db:
        me = tokens.authenticate(db, token)  # read with no administered account
        assert not accounts.is_admin_of(db, me.id, accounts.ROOT_ACCOUNT_ID)
        accounts.make_admin(db, me.id, accounts.ROOT_ACCOUNT_ID)
        assert accounts.is_admin_of(db, me.id, accounts.ROOT_ACCOUNT_ID)


def test_each_read_sees_the_administrators_of_its_moment(world):
    course = world.course("Biology")
    user, token = world.user_with_token("teacher")
    world.enroll(user, course, "TeacherEnrollment")
    with world.client(token) as c:
        assert "sis_import_id" not in c.get(f"/api/v1/courses/{course.id}").json()
        with world.tx() as db:
            accounts.make_admin(db, user.id)
        assert "sis_import_id" in c.get(f"/api/v1/courses/{course.id}").json()  # admins see the SIS import
        assert "sis_import_id" in c.get("/api/v1/courses").json()[0]


def test_a_page_of_courses_carries_its_own_enrollments_and_nicknames(world):
    student, token = world.user_with_token("student")
    shown, hidden, last = world.course("One"), world.course("Two", offer=False), world.course("Three")
    for course in (shown, hidden, last):
        world.enroll(student, course)
    with world.tx() as db:
        db.add_all([CourseNickname(user_id=student.id, course_id=hidden.id, nickname="Hidden"),
                    CourseNickname(user_id=student.id, course_id=last.id, nickname="Mine")])
    with world.client(token) as c:
        page = c.get("/api/v1/courses", params={"per_page": 1, "page": 2})
        whole = c.get("/api/v1/courses")
    assert page.status_code == 200 and whole.status_code == 200
    [course] = page.json()  # the unpublished course in between is not a student's to see
    assert (course["id"], course["name"], course["original_name"]) == (last.id, "Mine", "Three")
    assert [(e["user_id"], e["type"]) for e in course["enrollments"]] == [(student.id, "student")]
    assert [(c["id"], c["name"], len(c["enrollments"])) for c in whole.json()] == [(shown.id, "One", 1),
                                                                                   (last.id, "Mine", 1)]


@pytest.mark.parametrize(("stored", "read"), [
    ("2026-12-03 18:00:00.123456", datetime(2026, 12, 3, 18, 0, 0, 123456, tzinfo=UTC)),
    ("2026-12-03 18:00:00", datetime(2026, 12, 3, 18, tzinfo=UTC)),
    ("2026-12-03", datetime(2026, 12, 3, tzinfo=UTC)),
    ("2026-12-03T18:00:00Z", datetime(2026, 12, 3, 18, tzinfo=UTC)),
    ("2026-12-03 18:00:00+02:00", datetime(2026, 12, 3, 18, tzinfo=UTC)),  # as ever: the zone is taken as UTC
])
def test_sqlite_datetimes_read_as_utc_in_every_stored_form(world, stored, read):
    if not is_sqlite(world.engine):
        pytest.skip("SQLite stores datetimes as text")
    course = world.course("Dated")
    with world.tx() as db:
        db.execute(text("UPDATE courses SET start_at = :at WHERE id = :id"), {"at": stored, "id": course.id})
    with transaction(world.engine, write=False) as db:
        assert _COURSE.first(db, course_id=course.id).start_at == read
        assert db.get(Course, course.id).start_at == read


def test_course_lists_keep_a_bounded_number_of_compiled_reads(world):
    from courseport.core.views import course_lists

    student, token = world.user_with_token("student")
    course = world.course("One")
    world.enroll(student, course)
    with world.client(token) as c:
        for role_id in range(1, course_lists._LIST_READS_KEPT + 10):  # a compiled read per filter set asked
            assert c.get("/api/v1/courses", params={"enrollment_role_id": role_id}).status_code == 200
        assert [x["id"] for x in c.get("/api/v1/courses").json()] == [course.id]
        assert c.get("/api/v1/courses", params={"enrollment_type": "teacher"}).json() == []
    assert len(course_lists._LIST_READS) <= course_lists._LIST_READS_KEPT
