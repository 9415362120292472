"""Canvas attempts and Assignment Extensions over raw HTTP: a student's submissions count against the assignment's
allowed_attempts plus their extra_attempts (refused past it, naming `attempt`), a grader sets extra attempts (the
exact AssignmentExtension bodies, Canvas's refusals and per-student errors, nothing half-kept), and two submits at
the last attempt take turns."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from courseport.schema.content import Submission
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND
from tests.races import meeting

ATTEMPTS = {"errors": [{"message": "you have reached the maximum number of allowed attempts for this assignment",
                        "field": "attempt"}]}


@pytest.fixture
def cls(world):
    course = world.course("Writing")
    cast = world.cast(course)
    people = {}
    for login in ("ann", "bob"):
        user, cast[login] = world.user_with_token(f"{login}{course.id}")
        world.enroll(user, course)
        people[login] = user
    return course, cast, people


def _essay(world, course, allowed: int | None = 2, types=("online_text_entry",)):
    data = {"submission_types": list(types)}
    if allowed is not None:
        data["allowed_attempts"] = allowed
    return world.assignment(course, "Essay", data=data)


def _submit(world, token, course, assignment, body: str = "draft"):
    with world.client(token) as c:
        return c.post(f"/api/v1/courses/{course.id}/assignments/{assignment.id}/submissions",
                      data={"submission[submission_type]": "online_text_entry", "submission[body]": body})


def _extend(world, token, course, assignment, data):
    with world.client(token) as c:
        path = f"/api/v1/courses/{course.id}/assignments/{assignment.id}/extensions"
        if isinstance(data, dict):
            return c.post(path, json=data)
        return c.post(path, content=urlencode(data), headers={"Content-Type": "application/x-www-form-urlencoded"})


def _kept(world, assignment) -> list[tuple]:
    with world.tx() as db:
        return db.execute(select(Submission.user_id, Submission.attempt, Submission.extra_attempts, Submission.body)
                          .where(Submission.item_id == assignment.id).order_by(Submission.user_id)).all()


def test_submissions_count_up_and_stop_at_allowed_attempts(world, cls):
    course, cast, people = cls
    essay = _essay(world, course, allowed=2)
    first, second = _submit(world, cast["ann"], course, essay, "one"), _submit(world, cast["ann"], course, essay, "two")
    assert (first.status_code, first.json()["attempt"], second.status_code, second.json()["attempt"]) == (
        201, 1, 201, 2)
    third = _submit(world, cast["ann"], course, essay, "three")
    assert (third.status_code, third.json()) == (400, ATTEMPTS)
    assert _kept(world, essay) == [(people["ann"].id, 2, None, "two")]


@pytest.mark.parametrize("allowed, types", [(-1, ("online_text_entry",)), (None, ("online_text_entry",)),
                                            (1, ("online_text_entry", "on_paper"))])
def test_unlimited_attempts_are_never_refused(world, cls, allowed, types):
    """-1 or no allowed_attempts is unlimited; a governed type among others still counts (the last case)."""
    course, cast, people = cls
    essay = _essay(world, course, allowed=allowed, types=types)
    codes = [_submit(world, cast["ann"], course, essay, str(n)).status_code for n in range(3)]
    assert codes == ([201, 400, 400] if allowed == 1 else [201, 201, 201])


def test_teacher_extends_and_the_student_submits_again(world, cls):
    course, cast, people = cls
    ann, bob = people["ann"], people["bob"]
    essay = _essay(world, course, allowed=1)
    assert _submit(world, cast["ann"], course, essay).status_code == 201
    r = _extend(world, cast["teacher"], course, essay, [
        ("assignment_extensions[][user_id]", str(ann.id)), ("assignment_extensions[][extra_attempts]", "2"),
        ("assignment_extensions[][user_id]", str(bob.id)), ("assignment_extensions[][extra_attempts]", "1")])
    assert (r.status_code, r.json()) == (200, {"assignment_extensions": [
        {"assignment_id": essay.id, "user_id": ann.id, "extra_attempts": 2},
        {"assignment_id": essay.id, "user_id": bob.id, "extra_attempts": 1}]})
    assert _kept(world, essay) == [(ann.id, 1, 2, "draft"), (bob.id, None, 1, None)]
    codes = [_submit(world, cast["ann"], course, essay, f"again {n}").status_code for n in range(3)]
    assert codes == [201, 201, 400]
    shown = _submit(world, cast["bob"], course, essay).json()
    assert (shown["attempt"], shown["extra_attempts"]) == (1, 1)
    with world.client(cast["teacher"]) as c:
        read = c.get(f"/api/v1/courses/{course.id}/assignments/{essay.id}/submissions/{ann.id}").json()
    assert (read["attempt"], read["extra_attempts"]) == (3, 2)
    assert _kept(world, essay) == [(ann.id, 3, 2, "again 1"), (bob.id, 1, 1, "draft")]


def test_json_body_clears_with_null_and_passes_over_non_students_and_repeats(world, cls):
    course, cast, people = cls
    ann, bob = people["ann"], people["bob"]
    essay = _essay(world, course)
    r = _extend(world, cast["teacher"], course, essay, {"assignment_extensions": [
        {"user_id": bob.id, "extra_attempts": 5}, {"user_id": 999999, "extra_attempts": 1},
        {"user_id": "nobody", "extra_attempts": 1}, {"user_id": ann.id, "extra_attempts": 3},
        {"user_id": bob.id, "extra_attempts": 4}]})
    assert (r.status_code, r.json()) == (200, {"assignment_extensions": [
        {"assignment_id": essay.id, "user_id": bob.id, "extra_attempts": 4},
        {"assignment_id": essay.id, "user_id": ann.id, "extra_attempts": 3}]})
    cleared = _extend(world, cast["teacher"], course, essay, {"assignment_extensions": [
        {"user_id": ann.id, "extra_attempts": None}]})
    assert (cleared.status_code, cleared.json()) == (200, {"assignment_extensions": [
        {"assignment_id": essay.id, "user_id": ann.id, "extra_attempts": None}]})
    assert _kept(world, essay) == [(ann.id, None, None, None), (bob.id, None, 4, None)]
    empty = _extend(world, cast["teacher"], course, essay, {"assignment_extensions": []})
    assert (empty.status_code, empty.json()) == (200, {"assignment_extensions": []})


def test_invalid_extensions_answer_each_student_and_keep_nothing(world, cls):
    course, cast, people = cls
    ann, bob = people["ann"], people["bob"]
    essay = _essay(world, course)
    r = _extend(world, cast["teacher"], course, essay, {"assignment_extensions": [
        {"user_id": ann.id, "extra_attempts": 2}, {"user_id": bob.id, "extra_attempts": -1}]})
    assert (r.status_code, r.json()) == (400, {"errors": [
        {"user_id": bob.id, "errors": ["Extra attempts must be greater than or equal to 0"]}]})
    assert _kept(world, essay) == []
    paper = world.assignment(course, "Poster", data={"submission_types": ["on_paper"], "allowed_attempts": 1})
    r = _extend(world, cast["teacher"], course, paper, {"assignment_extensions": [
        {"user_id": ann.id, "extra_attempts": -2}]})
    assert (r.status_code, r.json()) == (400, {"errors": [{"user_id": ann.id, "errors": [
        "Extra attempts must be greater than or equal to 0",
        "Extra attempts can only be set on submissions for an assignment with a type of online_upload, online_url, "
        "or online_text_entry"]}]})
    assert _kept(world, paper) == []


@pytest.mark.parametrize("data, message", [
    ({"other": 1}, "missing required key :assignment_extensions"),
    ({"assignment_extensions": "3"}, "missing required key :assignment_extensions"),
    ({"assignment_extensions": [{"user_id": 1}]},
     ":assignment_extensions must be in this format: { user_id: 1, extra_attempts: 2 }"),
    ({"assignment_extensions": [{"extra_attempts": 1}]},
     ":assignment_extensions must be in this format: { user_id: 1, extra_attempts: 2 }"),
])
def test_malformed_calls_are_refused_as_canvas_rejects_them(world, cls, data, message):
    course, cast, people = cls
    essay = _essay(world, course)
    r = _extend(world, cast["teacher"], course, essay, data)
    assert (r.status_code, r.json()) == (400, {"status": "bad_request", "message": message})
    assert _kept(world, essay) == []


def test_a_count_that_is_not_a_number_names_the_field(world, cls):
    course, cast, people = cls
    essay = _essay(world, course)
    r = _extend(world, cast["teacher"], course, essay, [
        ("assignment_extensions[][user_id]", str(people["ann"].id)), ("assignment_extensions[][extra_attempts]", "x")])
    assert (r.status_code, r.json()) == (400, {"errors": [{
        "message": "assignment_extensions[][extra_attempts] must be an integer, got 'x'",
        "field": "assignment_extensions[][extra_attempts]"}]})
    assert _kept(world, essay) == []


def test_only_those_who_manage_assignments_extend(world, cls):
    course, cast, people = cls
    ann = people["ann"]
    essay = _essay(world, course)
    for who in ("ann", "student", "observer"):
        r = _extend(world, cast[who], course, essay, {"assignment_extensions": [{"user_id": ann.id,
                                                                                 "extra_attempts": 9}]})
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    r = _extend(world, cast["ann"], course, essay, {"other": 1})  # rights are asked before the body, as Canvas does
    assert (r.status_code, r.json()) == (403, FORBIDDEN)
    assert _kept(world, essay) == []
    for n, who in enumerate(("admin", "ta", "designer"), start=1):
        r = _extend(world, cast[who], course, essay, {"assignment_extensions": [{"user_id": ann.id,
                                                                                 "extra_attempts": n}]})
        assert (r.status_code, r.json()) == (200, {"assignment_extensions": [
            {"assignment_id": essay.id, "user_id": ann.id, "extra_attempts": n}]})
    assert _kept(world, essay) == [(ann.id, None, 3, None)]


def test_an_unknown_or_deleted_assignment_is_not_found(world, cls):
    course, cast, people = cls
    gone = world.assignment(course, "Gone", state="deleted")
    body = {"assignment_extensions": [{"user_id": people["ann"].id, "extra_attempts": 1}]}
    with world.client(cast["teacher"]) as c:
        for assignment_id in (gone.id, 987654321, "nope"):
            r = c.post(f"/api/v1/courses/{course.id}/assignments/{assignment_id}/extensions", json=body)
            assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert _kept(world, gone) == []


def test_two_submits_at_the_last_attempt_leave_one(world, cls, monkeypatch):
    """Both would read the count before either wrote it (PostgreSQL; SQLite's writers take turns): the second waits
    for the first's row lock, reads its attempt and is refused."""
    from courseport.core.coursework import submissions

    course, cast, people = cls
    essay = _essay(world, course, allowed=2)
    assert _submit(world, cast["ann"], course, essay, "one").status_code == 201
    monkeypatch.setattr(submissions, "row_for", meeting(submissions.row_for, after=True))

    with ThreadPoolExecutor(2) as pool:
        codes = sorted(pool.map(lambda body: _submit(world, cast["ann"], course, essay, body).status_code,
                                ["two", "three"]))
    assert codes == [201, 400]
    assert [row[:3] for row in _kept(world, essay)] == [(people["ann"].id, 2, None)]
