"""A change the store cannot make for another one holding its lock is refused with 503 and Retry-After in each
face's own error format (never a 500), nothing of it is written, and the same call succeeds once the lock is
gone. The lock is real: on SQLite another connection holds the write lock (BEGIN IMMEDIATE) past a short busy
timeout; on PostgreSQL another transaction holds the course's row lock past a short lock_timeout."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy import text

from courseport import db as store_db
from courseport.dialects.blackboard.protocol import learn_id
from courseport.schema import Course
from tests.dialects.d2l.org_ids import ou

LP = "/d2l/api/lp/1.4"


@contextlib.contextmanager
def _held(world, monkeypatch, course_id: int, pg_lock: str = "SELECT id FROM courses WHERE id = %s FOR UPDATE"
          ) -> Iterator[None]:
    """The store busy with another transaction that holds the lock a change of `course_id` needs (on
    PostgreSQL the lock `pg_lock` takes; SQLite's write lock is the whole store's)."""
    engine = world.services.engine
    if engine.dialect.name == "sqlite":
        monkeypatch.setattr(store_db, "LOCK_WAIT_SECONDS", 0.3)
        engine.dispose()  # the server's next connections wait 0.3 s for the write lock
        holder = sqlite3.connect(engine.url.database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
            monkeypatch.undo()
            engine.dispose()
        return
    database = engine.url.database
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'ALTER DATABASE "{database}" SET lock_timeout = 300'))
    engine.dispose()  # the server's next sessions wait 0.3 s for a row lock
    holder = engine.raw_connection()
    try:
        holder.cursor().execute(pg_lock, (course_id,) if "%s" in pg_lock else ())
        yield
    finally:
        holder.rollback()
        holder.close()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'ALTER DATABASE "{database}" RESET lock_timeout'))
        engine.dispose()


def _canvas(world, course: Course) -> Callable[[httpx.Client, str], httpx.Response]:
    return lambda http, name: http.put(f"/api/v1/courses/{course.id}", data={"course[name]": name})


def _d2l(world, course: Course) -> Callable[[httpx.Client, str], httpx.Response]:
    path = f"{LP}/courses/{ou(world, course)}"
    return lambda http, name: http.put(path, json={"Name": name, "Code": "C-1", "IsActive": True})


def _learn(world, course: Course) -> Callable[[httpx.Client, str], httpx.Response]:
    path, auth = f"/learn/api/public/v3/courses/{learn_id(course.id)}", f"Bearer {world.blackboard_token()}"
    return lambda http, name: http.patch(path, json={"name": name}, headers={"Authorization": auth})


def _canvas_body(answer: httpx.Response) -> str:
    return answer.json()["errors"][0]["message"]


def _d2l_body(answer: httpx.Response) -> str:
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["status"] == 503
    return answer.json()["detail"]


def _learn_body(answer: httpx.Response) -> str:
    assert answer.json()["status"] == 503
    return answer.json()["message"]


@pytest.mark.parametrize(("face", "message_of"), [(_canvas, _canvas_body), (_d2l, _d2l_body), (_learn, _learn_body)],
                         ids=["canvas", "d2l", "learn"])
def test_a_change_blocked_by_another_is_refused_busy_and_nothing_is_written(world, monkeypatch, face, message_of):
    course = world.course("Before")
    change = face(world, course)  # what it needs written first (a Learn token) is written before the store is held
    with world.client(world.admin_token) as http:
        with _held(world, monkeypatch, course.id):
            refused = change(http, "During")
        assert refused.status_code == 503, refused.text
        assert refused.headers["retry-after"] == "1"
        assert "busy" in message_of(refused) and "nothing was changed" in message_of(refused)
        with world.tx() as db:
            assert db.get(Course, course.id).name == "Before"  # the refused change left nothing
        again = change(http, "After")
        assert again.status_code == 200, again.text
    with world.tx() as db:
        assert db.get(Course, course.id).name == "After"


def test_only_refusals_for_another_change_are_busy():
    import psycopg
    from sqlalchemy.exc import IntegrityError, OperationalError

    from courseport.core.kit.errors import StoreBusy
    from courseport.dialects.error_status import busy_instead

    def wrapped(orig: Exception) -> Exception:
        return OperationalError("UPDATE courses ...", {}, orig)

    for busy in (psycopg.errors.DeadlockDetected("deadlock detected"), psycopg.errors.SerializationFailure("x"),
                 psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"),
                 sqlite3.OperationalError("database is locked")):
        assert isinstance(busy_instead(wrapped(busy)), StoreBusy), busy
        assert isinstance(busy_instead(busy), StoreBusy), busy  # raised straight from the driver (SQLite's BEGIN)
    for other in (wrapped(sqlite3.OperationalError("no such table: courses")),
                  sqlite3.OperationalError("disk I/O error"),
                  wrapped(psycopg.errors.QueryCanceled("canceling statement due to statement timeout")),
                  IntegrityError("INSERT ...", {}, psycopg.errors.UniqueViolation("duplicate key")), ValueError("x")):
        assert busy_instead(other) is other


def test_the_console_answers_a_busy_store_with_a_busy_page(world, monkeypatch):
    from tests.web.test_console_auth import console, csrf_of, sign_in

    course = world.course("Course")
    with console(world) as c:
        assert sign_in(c, access_token=world.admin_token).status_code == 303
        form = {"csrf_token": csrf_of(c.get(f"/console/courses/{course.id}/blueprint").text)}
        with _held(world, monkeypatch, course.id):
            refused = c.post(f"/console/courses/{course.id}/blueprint", data=form)
        assert (refused.status_code, refused.headers["retry-after"]) == (503, "1")
        assert "busy" in refused.text and "nothing was changed" in refused.text
        with world.tx() as db:
            assert db.get(Course, course.id).blueprint is False
        assert c.post(f"/console/courses/{course.id}/blueprint", data=form).status_code == 303
    with world.tx() as db:
        assert db.get(Course, course.id).blueprint is True


def test_the_tenants_api_answers_a_busy_store_with_a_canvas_503(world, monkeypatch):
    course = world.course("Course")
    with world.client(world.admin_token) as http:
        with _held(world, monkeypatch, course.id, "LOCK TABLE accounts IN EXCLUSIVE MODE"):
            refused = http.post("/_courseport/tenants", json={"name": "During"})
        assert (refused.status_code, refused.headers["retry-after"]) == (503, "1"), refused.text
        assert "busy" in _canvas_body(refused)
        assert "During" not in [t["name"] for t in http.get("/_courseport/tenants").json()]
        made = http.post("/_courseport/tenants", json={"name": "After"})
        assert made.status_code == 201, made.text
        assert "After" in [t["name"] for t in http.get("/_courseport/tenants").json()]
