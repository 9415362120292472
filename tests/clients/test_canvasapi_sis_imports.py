"""canvasapi 3.6.0, unmodified, against the live server: a roster loaded by SIS imports (a zip of every CSV
kind, then a CSV that updates it), polled until done, read back through the API and from the store."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import Forbidden
from sqlalchemy import select

from courseport.schema import Account, Course, Enrollment, Login, Section, Term, User
from tests.dialects.canvas import sis_csv


def _until_done(world, account, sis_import):
    """Poll as an integrator does; the test server runs jobs only when told to."""
    seen = [account.get_sis_import(sis_import).workflow_state]
    world.run_jobs()
    done = account.get_sis_import(sis_import)
    return seen, done


def test_a_zip_of_every_kind_loads_the_roster(world, tmp_path):
    archive = tmp_path / "roster.zip"
    archive.write_bytes(sis_csv.zip_of(sis_csv.ALL))
    account = world.canvas().get_account(1)
    started = account.create_sis_import(str(archive))
    assert (started.workflow_state, started.progress, started.data["import_type"]) == ("created", 0, "instructure_csv")
    seen, done = _until_done(world, account, started)
    assert seen == ["created"]
    assert (done.workflow_state, done.progress, done.processing_warnings, done.processing_errors) == (
        "imported", 100, [], [])
    assert done.data["supplied_batches"] == ["account", "term", "user", "course", "section", "enrollment"]
    counts = {k: v for k, v in done.data["counts"].items() if v}
    assert counts == {"accounts": 2, "terms": 1, "users": 3, "courses": 1, "sections": 1, "enrollments": 3}
    assert done.statistics["Pseudonym"]["created"] == 3 and done.statistics["total_state_changes"] == 11

    canvas = world.canvas()
    course = canvas.get_course("BIO101", use_sis_id=True)
    assert (course.name, course.course_code, course.workflow_state, course.sis_import_id) == (
        "Biology 101", "BIO 101", "available", done.id)
    assert [s.name for s in course.get_sections()] == ["Biology 101", "Section A"]
    roster = {(e.user["login_id"], e.type, e.enrollment_state, e.sis_import_id) for e in course.get_enrollments()}
    assert roster == {("tess", "TeacherEnrollment", "active", done.id),
                      ("alice", "StudentEnrollment", "active", done.id),
                      ("bob", "StudentEnrollment", "active", done.id)}
    alice = canvas.get_user("alice", "sis_login_id")
    assert (alice.name, alice.short_name, alice.sortable_name) == ("Alice Smith", "Ali", "Smith, Alice")
    biology = canvas.get_account("BIO", use_sis_id=True)
    assert (biology.name, biology.parent_account_id) == ("Biology", canvas.get_account("SCI", use_sis_id=True).id)
    assert [i.id for i in account.get_sis_imports()] == [done.id]
    with world.tx() as db:
        stored = db.scalar(select(Course).where(Course.sis_course_id == "BIO101"))
        term = db.scalar(select(Term).where(Term.sis_term_id == "T1"))
        assert (stored.enrollment_term_id, stored.account_id) == (
            term.id, db.scalar(select(Account.id).where(Account.sis_account_id == "BIO")))
        assert (term.name, term.start_at.isoformat(), term.end_at.isoformat()) == (
            "Fall 2026", "2026-09-01T00:00:00+00:00", "2026-12-20T00:00:00+00:00")
        assert {e.sis_import_id for e in db.scalars(select(Enrollment).where(Enrollment.course_id == stored.id))} == {
            done.id}
        section = db.scalar(select(Section).where(Section.sis_section_id == "BIO101-A"))
        in_section = db.scalars(select(Enrollment.user_id).where(Enrollment.course_section_id == section.id)).all()
        assert in_section == [db.scalar(select(Login.user_id).where(Login.sis_user_id == "u1"))]


def test_a_second_import_updates_what_the_first_made(world, tmp_path):
    first = tmp_path / "roster.zip"
    first.write_bytes(sis_csv.zip_of(sis_csv.ALL))
    account = world.canvas().get_account(1)
    _until_done(world, account, account.create_sis_import(str(first)))
    changes = tmp_path / "changes.zip"
    changes.write_bytes(sis_csv.zip_of({
        "users.csv": "user_id,login_id,full_name,status\nu1,alice.smith,Alice Smith-Jones,active\nu2,bob,,deleted\n",
        "courses.csv": "course_id,short_name,long_name,status\nBIO101,BIO 101,Biology One,completed\n",
        "enrollments.csv": "course_id,user_id,role,status\nBIO101,t1,teacher,inactive\n"}))
    _, done = _until_done(world, account, account.create_sis_import(str(changes), import_type="instructure_csv"))
    assert (done.workflow_state, done.processing_warnings) == ("imported", []), done.processing_warnings
    canvas = world.canvas()
    assert canvas.get_course("BIO101", use_sis_id=True).workflow_state == "completed"
    assert canvas.get_user("alice.smith", "sis_login_id").name == "Alice Smith-Jones"
    with world.tx() as db:
        bob = select(Login.user_id).where(Login.unique_id == "bob")
        assert db.scalar(select(User.workflow_state).where(User.id.in_(bob))) == "deleted"
        users = db.scalars(select(Login.sis_user_id).where(Login.sis_user_id.is_not(None))).all()
        assert sorted(users) == ["t1", "u1", "u2"]  # updated in place, none made twice
        states = dict(db.execute(select(Login.sis_user_id, Enrollment.workflow_state).join(
            Login, Login.user_id == Enrollment.user_id)).all())
        assert states == {"t1": "inactive", "u1": "active", "u2": "deleted"}
    assert [i.id for i in account.get_sis_imports()] == [done.id, done.id - 1]  # newest first


def test_abort_and_the_running_list_through_canvasapi(world, tmp_path):
    csv = tmp_path / "users.csv"
    csv.write_text(sis_csv.USERS)
    account = world.canvas().get_account(1)
    pending = account.create_sis_import(str(csv))
    assert list(account.get_sis_imports_running()) == []
    aborted = pending.abort()
    assert aborted.workflow_state == "aborted"
    again = account.create_sis_import(str(csv))
    assert account.abort_sis_imports_pending() is True
    assert world.run_jobs() == 0
    assert [(i.id, i.workflow_state) for i in account.get_sis_imports()] == [
        (again.id, "aborted"), (pending.id, "aborted")]
    with world.tx() as db:
        assert db.scalar(select(Login.id).where(Login.sis_user_id == "u1")) is None


def test_only_root_account_admins_import(world, tmp_path):
    csv = tmp_path / "users.csv"
    csv.write_text(sis_csv.USERS)
    _, token = world.user_with_token("teacher")
    with pytest.raises(Forbidden):
        world.canvas(token).get_account(1).create_sis_import(str(csv))
    with world.tx() as db:
        assert db.scalar(select(Login.id).where(Login.sis_user_id == "u1")) is None


def test_a_diffing_data_set_and_skip_deletes_through_canvasapi(world, tmp_path):
    account = world.canvas().get_account(1)
    full = tmp_path / "full.zip"
    full.write_bytes(sis_csv.zip_of(sis_csv.ALL))
    _, first = _until_done(world, account, account.create_sis_import(str(full), diffing_data_set_identifier="daily"))
    assert (first.workflow_state, first.diffing_data_set_identifier, first.diffed_against_import_id) == (
        "imported", "daily", None)
    less = tmp_path / "less.zip"
    less.write_bytes(sis_csv.zip_of({**sis_csv.ALL, "enrollments.csv": sis_csv.ENROLLMENTS.replace(
        "BIO101,,u2,student,active\n", "")}))
    _, skipped = _until_done(world, account, account.create_sis_import(
        str(less), diffing_data_set_identifier="daily", skip_deletes=True))
    assert (skipped.workflow_state, skipped.diffed_against_import_id, skipped.skip_deletes) == (
        "imported", first.id, True)
    assert {k: v for k, v in skipped.data["counts"].items() if v} == {}  # u2's drop was a delete: skipped
    _, back = _until_done(world, account, account.create_sis_import(str(full), diffing_data_set_identifier="daily"))
    assert back.diffed_against_import_id == skipped.id and back.data["counts"]["enrollments"] == 1  # u2's row is new
    _, dropped = _until_done(world, account, account.create_sis_import(str(less), diffing_data_set_identifier="daily"))
    assert dropped.diffed_against_import_id == back.id and dropped.data["counts"]["enrollments"] == 1
    course = world.canvas().get_course("BIO101", use_sis_id=True)
    assert sorted(e.user["login_id"] for e in course.get_enrollments()) == ["alice", "tess"]
    with world.tx() as db:
        states = dict(db.execute(select(Login.sis_user_id, Enrollment.workflow_state)
                                 .join(Login, Login.user_id == Enrollment.user_id)).all())
    assert states == {"t1": "active", "u1": "active", "u2": "deleted"}
