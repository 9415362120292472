"""canvasapi 3.6.0, unmodified, against the live server: the Enrollment Terms API."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from canvasapi.exceptions import BadRequest, Forbidden

from courseport.schema import Term, TermOverride


def test_create_edit_list_and_delete_a_term(world):
    account = world.canvas().get_account(1)
    term = account.create_enrollment_term(enrollment_term={
        "name": "Fall 2027", "start_at": "2027-09-01T00:00:00Z", "end_at": "2027-12-20T00:00:00Z",
        "sis_term_id": "F27", "overrides": {"StudentEnrollment": {"start_at": "2027-09-03T00:00:00Z"}}})
    assert (term.name, term.start_at, term.end_at, term.sis_term_id) == (
        "Fall 2027", "2027-09-01T00:00:00Z", "2027-12-20T00:00:00Z", "F27")
    assert term.overrides == {"StudentEnrollment": {"start_at": "2027-09-03T00:00:00Z", "end_at": None}}
    edited = term.edit(enrollment_term={"name": "Autumn 2027", "overrides": {
        "teacher_enrollment": {"end_at": "2027-12-31T00:00:00Z"}}})
    assert edited.name == "Autumn 2027" and edited.start_at == "2027-09-01T00:00:00Z"
    assert set(edited.overrides) == {"StudentEnrollment", "TeacherEnrollment"}
    listed = list(account.get_enrollment_terms(include=["overrides"]))
    assert [t.name for t in listed] == ["Default Term", "Autumn 2027"]  # start descending, undated first
    assert listed[1].overrides["TeacherEnrollment"] == {"start_at": None, "end_at": "2027-12-31T00:00:00Z"}
    shown = account.get_enrollment_term(term.id)
    assert (shown.id, shown.name, shown.sis_term_id) == (term.id, "Autumn 2027", "F27")
    deleted = listed[1].delete()
    assert (deleted.id, deleted.workflow_state) == (term.id, "deleted")
    assert [t.name for t in account.get_enrollment_terms()] == ["Default Term"]
    assert [t.name for t in account.get_enrollment_terms(workflow_state=["deleted"])] == ["Autumn 2027"]
    with world.tx() as db:
        stored = db.get(Term, term.id)
        assert (stored.name, stored.workflow_state, stored.sis_term_id) == ("Autumn 2027", "deleted", "F27")
        assert db.get(TermOverride, (term.id, "StudentEnrollment")).start_at == datetime(2027, 9, 3, tzinfo=UTC)


def test_terms_page_past_a_hundred(world):
    account = world.canvas().get_account(1)
    with world.tx() as db:
        for n in range(105):
            db.add(Term(root_account_id=1, name=f"T{n:03}", start_at=datetime(2000 + n % 50, 1, 1, tzinfo=UTC)))
    names = [t.name for t in account.get_enrollment_terms(per_page=100)]
    assert len(names) == 106 and len(set(names)) == 106


def test_teachers_read_terms_and_students_are_refused(world):
    course = world.course("Algebra")
    teacher, teacher_token = world.user_with_token("teacher")
    student, student_token = world.user_with_token("student")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(student, course)
    as_teacher = _account(world.canvas(teacher_token))
    assert [t.name for t in as_teacher.get_enrollment_terms()] == ["Default Term"]
    assert not hasattr(list(as_teacher.get_enrollment_terms())[0], "sis_term_id")
    with pytest.raises(Forbidden):
        as_teacher.create_enrollment_term(enrollment_term={"name": "Mine"})
    with pytest.raises(Forbidden):
        list(_account(world.canvas(student_token)).get_enrollment_terms())


def test_bad_dates_are_refused(world):
    account = world.canvas().get_account(1)
    with pytest.raises(BadRequest):
        account.create_enrollment_term(enrollment_term={
            "name": "Backwards", "start_at": "2027-09-01T00:00:00Z", "end_at": "2027-01-01T00:00:00Z"})


def _account(canvas):
    from canvasapi.account import Account

    return Account(canvas._Canvas__requester, {"id": 1})
