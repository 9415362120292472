"""Canvas late policies when dates move, over raw HTTP: editing an assignment's due date, or making, changing
and deleting an override that moves a student's due date, settles the late and missing deductions again in
the same call (whole submission bodies before and after, and the stored rows); and the periodic round that
gives work which became missing in the last day the missing deduction.

Time is the test's: the in-process server's submit clock (`submissions.utcnow`) is set to the moment a student
turns work in, so seconds late are exact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from courseport.core.coursework import missing_deductions
from courseport.core.coursework import submissions as core_submissions
from courseport.schema.content import Submission
from courseport.services import MissingDeductions

NOW = datetime.now(UTC).replace(microsecond=0)
DUE, SOON = NOW - timedelta(days=10), NOW + timedelta(days=3)


@pytest.fixture
def cls(world):
    course = world.course("Chemistry")
    people = {}
    for login, etype in (("tina", "TeacherEnrollment"), ("ann", "StudentEnrollment"), ("bob", "StudentEnrollment")):
        user, token = world.user_with_token(f"{login}{course.id}")
        world.enroll(user, course, etype)
        people[login] = (user, token)
    return course, people


def _policy(world, token, course, **fields) -> None:
    with world.client(token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/late_policy",
                   data={f"late_policy[{k}]": str(v).lower() for k, v in fields.items()})
    assert r.status_code == 201, r.text


def _submit_at(world, monkeypatch, course, assignment, token, at: datetime) -> None:
    monkeypatch.setattr(core_submissions, "utcnow", lambda: at)
    with world.client(token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/assignments/{assignment.id}/submissions",
                   data={"submission[submission_type]": "online_text_entry", "submission[body]": "work"})
    monkeypatch.undo()
    assert r.status_code == 201, r.text


def _grade(world, token, course, assignment, user, grade: str) -> None:
    with world.client(token) as c:
        r = c.put(f"/api/v1/courses/{course.id}/assignments/{assignment.id}/submissions/{user.id}",
                  data={"submission[posted_grade]": grade})
    assert r.status_code == 200, r.text


def _body(world, token, course, assignment, user) -> dict:
    with world.client(token) as c:
        r = c.get(f"/api/v1/courses/{course.id}/assignments/{assignment.id}/submissions/{user.id}")
    assert r.status_code == 200, r.text
    return r.json()


def _move_due(world, token, course, assignment, due_at: datetime) -> None:
    with world.client(token) as c:
        r = c.put(f"/api/v1/courses/{course.id}/assignments/{assignment.id}",
                  data={"assignment[due_at]": due_at.isoformat()})
    assert r.status_code == 200, r.text
    assert r.json()["due_at"] == _at(due_at)


def _at(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _row(world, assignment, user) -> tuple | None:
    with world.tx() as db:
        row = db.scalar(select(Submission).where(Submission.item_id == assignment.id, Submission.user_id == user.id))
        return None if row is None else (row.score, row.grade, row.entered_score, row.entered_grade,
                                         row.points_deducted, row.late, row.workflow_state)


def _grading(score, grade, entered_score, entered_grade, points_deducted, late, missing, seconds_late, *,
             due: datetime) -> dict:
    return {"cached_due_date": _at(due), "score": score, "grade": grade, "entered_score": entered_score,
            "entered_grade": entered_grade,
            "points_deducted": points_deducted, "late": late, "missing": missing, "seconds_late": seconds_late}


def test_moving_the_due_date_regrades_late_and_on_time_work(world, cls, monkeypatch):
    course, people = cls
    (ann, ann_token), (bob, bob_token), tina = people["ann"], people["bob"], people["tina"][1]
    essay = world.assignment(course, "Essay", points=10.0, due_at=DUE)
    _policy(world, tina, course, late_submission_deduction_enabled=True, late_submission_deduction=10,
            late_submission_interval="hour")
    _submit_at(world, monkeypatch, course, essay, ann_token, DUE + timedelta(hours=2, minutes=30))
    _submit_at(world, monkeypatch, course, essay, bob_token, DUE - timedelta(minutes=1))
    _grade(world, tina, course, essay, ann, "10")
    _grade(world, tina, course, essay, bob, "8")
    ann_before, bob_before = _body(world, tina, course, essay, ann), _body(world, tina, course, essay, bob)
    assert ann_before == {**ann_before, **_grading(7.0, "7", 10.0, "10", 3.0, True, False, 9000, due=DUE)}
    assert bob_before == {**bob_before, **_grading(8.0, "8", 8.0, "8", None, False, False, 0, due=DUE)}

    _move_due(world, tina, course, essay, DUE + timedelta(hours=3))  # ann on time now: her entered score back
    assert _body(world, tina, course, essay, ann) == {**ann_before, **_grading(
        10.0, "10", 10.0, "10", None, False, False, 0, due=DUE + timedelta(hours=3))}
    assert _body(world, tina, course, essay, bob) == {**bob_before, "cached_due_date": _at(DUE + timedelta(hours=3))}
    assert _row(world, essay, ann) == (10.0, "10", 10.0, "10", None, False, "graded")

    _move_due(world, tina, course, essay, DUE - timedelta(hours=1))  # both late: 4 hours and 1 hour started
    assert _body(world, tina, course, essay, ann) == {**ann_before, **_grading(
        6.0, "6", 10.0, "10", 4.0, True, False, 12600, due=DUE - timedelta(hours=1))}
    assert _body(world, tina, course, essay, bob) == {**bob_before, **_grading(
        7.0, "7", 8.0, "8", 1.0, True, False, 3540, due=DUE - timedelta(hours=1))}
    assert _row(world, essay, ann) == (6.0, "6", 10.0, "10", 4.0, True, "graded")
    assert _row(world, essay, bob) == (7.0, "7", 8.0, "8", 1.0, True, "graded")


def test_a_graders_late_status_wins_over_the_moved_date(world, cls, monkeypatch):
    course, people = cls
    (ann, ann_token), tina = people["ann"], people["tina"][1]
    essay = world.assignment(course, "Essay", points=10.0, due_at=DUE)
    _policy(world, tina, course, late_submission_deduction_enabled=True, late_submission_deduction=10,
            late_submission_interval="hour")
    _submit_at(world, monkeypatch, course, essay, ann_token, DUE + timedelta(hours=5))
    with world.client(tina) as c:
        r = c.put(f"/api/v1/courses/{course.id}/assignments/{essay.id}/submissions/{ann.id}",
                  data={"submission[posted_grade]": "10", "submission[late_policy_status]": "late",
                        "submission[seconds_late_override]": "3600"})
    assert r.status_code == 200, r.text
    before = _body(world, tina, course, essay, ann)
    _move_due(world, tina, course, essay, DUE + timedelta(days=1))  # on time by the dates; the grader said late
    assert _body(world, tina, course, essay, ann) == {**before, **_grading(9.0, "9", 10.0, "10", 1.0, True, False,
                                                                           3600, due=DUE + timedelta(days=1))}
    assert _row(world, essay, ann) == (9.0, "9", 10.0, "10", 1.0, False, "graded")  # `late` stored: by the dates


def test_overrides_that_move_a_students_due_date_regrade_them_only(world, cls, monkeypatch):
    course, people = cls
    (ann, ann_token), (bob, bob_token), tina = people["ann"], people["bob"], people["tina"][1]
    essay = world.assignment(course, "Essay", points=20.0, due_at=DUE)
    _policy(world, tina, course, late_submission_deduction_enabled=True, late_submission_deduction=5)
    for token in (ann_token, bob_token):
        _submit_at(world, monkeypatch, course, essay, token, DUE + timedelta(days=1, seconds=1))
    _grade(world, tina, course, essay, ann, "20")
    _grade(world, tina, course, essay, bob, "20")
    ann_before, bob_before = _body(world, tina, course, essay, ann), _body(world, tina, course, essay, bob)
    assert ann_before == {**ann_before, **_grading(18.0, "18", 20.0, "20", 2.0, True, False, 86401, due=DUE)}
    path = f"/api/v1/courses/{course.id}/assignments/{essay.id}/overrides"
    with world.client(tina) as c:
        made = c.post(path, data={"assignment_override[student_ids][]": str(ann.id),
                                  "assignment_override[due_at]": (DUE + timedelta(days=2)).isoformat()})
    assert made.status_code == 201, made.text
    assert _body(world, tina, course, essay, ann) == {**ann_before, **_grading(
        20.0, "20", 20.0, "20", None, False, False, 0, due=DUE + timedelta(days=2))}
    assert _body(world, tina, course, essay, bob) == bob_before
    with world.client(tina) as c:  # the override moved back before she turned it in: one day started
        edited = c.put(f"{path}/{made.json()['id']}", data={
            "assignment_override[due_at]": (DUE + timedelta(hours=12)).isoformat()})
    assert edited.status_code == 200, edited.text
    assert _body(world, tina, course, essay, ann) == {**ann_before, **_grading(
        19.0, "19", 20.0, "20", 1.0, True, False, 43201, due=DUE + timedelta(hours=12))}
    assert _row(world, essay, ann) == (19.0, "19", 20.0, "20", 1.0, True, "graded")
    with world.client(tina) as c:
        deleted = c.delete(f"{path}/{made.json()['id']}")
    assert deleted.status_code == 200, deleted.text
    assert _body(world, tina, course, essay, ann) == ann_before
    assert _row(world, essay, ann) == (18.0, "18", 20.0, "20", 2.0, True, "graded")
    assert _row(world, essay, bob) == (18.0, "18", 20.0, "20", 2.0, True, "graded")


def test_the_missing_deduction_follows_the_due_date(world, cls, monkeypatch):
    course, people = cls
    (ann, ann_token), (bob, _), tina = people["ann"], people["bob"], people["tina"][1]
    lab = world.assignment(course, "Lab", points=8.0, due_at=SOON)
    _policy(world, tina, course, missing_submission_deduction_enabled=True, missing_submission_deduction=25)
    _submit_at(world, monkeypatch, course, lab, ann_token, SOON - timedelta(days=5))
    ann_before, bob_before = _body(world, tina, course, lab, ann), _body(world, tina, course, lab, bob)
    assert bob_before == {**bob_before, **_grading(None, None, None, None, None, False, False, 0, due=SOON),
                          "workflow_state": "unsubmitted"}
    assert _row(world, lab, bob) is None

    _move_due(world, tina, course, lab, DUE)  # now past: bob's missing work takes the missing score
    bob_missing = _body(world, tina, course, lab, bob)
    assert bob_missing == {**bob_before, **_grading(6.0, "6", 6.0, "6", None, False, True, 0, due=DUE),
                           "workflow_state": "graded", "id": bob_missing["id"], "graded_at": bob_missing["graded_at"],
                           "posted_at": bob_missing["posted_at"]}
    assert bob_missing["graded_at"] is not None and bob_missing["id"] is not None
    assert _body(world, tina, course, lab, ann) == {**ann_before, "cached_due_date": _at(DUE), "late": True,
                                                    "seconds_late": 691200}  # turned in: 8 days late, not missing
    assert _row(world, lab, bob) == (6.0, "6", 6.0, "6", None, False, "graded")

    _move_due(world, tina, course, lab, SOON)  # back in the future: the missing grade is taken back
    assert _body(world, tina, course, lab, bob) == {**bob_missing, **_grading(
        None, None, None, None, None, False, False, 0, due=SOON), "workflow_state": "unsubmitted", "graded_at": None}
    assert _row(world, lab, bob) == (None, None, None, None, None, False, "unsubmitted")


def test_an_override_into_the_past_grades_that_students_missing_work(world, cls):
    course, people = cls
    (ann, _), (bob, _), tina = people["ann"], people["bob"], people["tina"][1]
    lab = world.assignment(course, "Lab", points=8.0, due_at=SOON)
    _policy(world, tina, course, missing_submission_deduction_enabled=True, missing_submission_deduction=50)
    with world.client(tina) as c:
        made = c.post(f"/api/v1/courses/{course.id}/assignments/{lab.id}/overrides",
                      data={"assignment_override[student_ids][]": str(bob.id),
                            "assignment_override[due_at]": DUE.isoformat()})
    assert made.status_code == 201, made.text
    assert _row(world, lab, bob) == (4.0, "4", 4.0, "4", None, False, "graded")
    assert _row(world, lab, ann) is None
    body = _body(world, tina, course, lab, bob)
    assert body == {**body, **_grading(4.0, "4", 4.0, "4", None, False, True, 0, due=DUE),
                    "workflow_state": "graded"}


def test_a_graders_grade_is_never_taken_back_when_the_date_moves_on(world, cls):
    course, people = cls
    (bob, _), tina = people["bob"], people["tina"][1]
    lab = world.assignment(course, "Lab", points=8.0, due_at=DUE)
    _policy(world, tina, course, missing_submission_deduction_enabled=True, missing_submission_deduction=25)
    _grade(world, tina, course, lab, bob, "5")
    before = _body(world, tina, course, lab, bob)
    _move_due(world, tina, course, lab, SOON)
    assert _body(world, tina, course, lab, bob) == {**before, "cached_due_date": _at(SOON)}
    assert _row(world, lab, bob) == (5.0, "5", 5.0, "5", None, False, "graded")


# --- the missing deduction as time passes (the serving process's periodic round) --------------------

def test_the_periodic_round_grades_work_that_became_missing_in_the_last_day(world, cls, monkeypatch):
    course, people = cls
    (ann, ann_token), (bob, _), tina = people["ann"], people["bob"], people["tina"][1]
    _policy(world, tina, course, missing_submission_deduction_enabled=True, missing_submission_deduction=25)
    other = world.course("No missing deduction")
    world.enroll(bob, other)
    lab = world.assignment(course, "Lab", points=8.0, due_at=NOW + timedelta(hours=1))
    old = world.assignment(course, "Old", points=8.0, due_at=NOW - timedelta(days=2))  # made after the policy
    draft = world.assignment(course, "Draft", points=8.0, due_at=NOW + timedelta(hours=1), state="unpublished")
    elsewhere = world.assignment(other, "Elsewhere", points=8.0, due_at=NOW + timedelta(hours=1))
    _submit_at(world, monkeypatch, course, lab, ann_token, NOW)
    before = _body(world, tina, course, lab, bob)
    with world.tx() as db:
        assert missing_deductions.apply_missing(db, NOW) == 0  # not due yet
    assert _body(world, tina, course, lab, bob) == before
    with world.tx() as db:
        assert missing_deductions.apply_missing(db, NOW + timedelta(hours=2)) == 1
    after = _body(world, tina, course, lab, bob)
    assert after == {**before, **_grading(6.0, "6", 6.0, "6", None, False, False, 0, due=NOW + timedelta(hours=1)),
                     "workflow_state": "graded", "id": after["id"], "graded_at": after["graded_at"],
                     "posted_at": after["posted_at"]}  # `missing` as read now: the due date is still ahead
    assert _row(world, lab, bob) == (6.0, "6", 6.0, "6", None, False, "graded")
    assert _row(world, lab, ann) == (None, None, None, None, None, False, "submitted")
    assert [_row(world, item, bob) for item in (old, draft, elsewhere)] == [None, None, None]
    with world.tx() as db:  # a second round (another serving process) changes nothing
        assert missing_deductions.apply_missing(db, NOW + timedelta(hours=3)) == 0
    assert _body(world, tina, course, lab, bob) == after


def test_the_serving_process_runs_the_round(world, cls):
    course, people = cls
    (bob, _), tina = people["bob"], people["tina"][1]
    _policy(world, tina, course, missing_submission_deduction_enabled=True, missing_submission_deduction=50)
    lab = world.assignment(course, "Lab", points=8.0, due_at=NOW - timedelta(hours=1))  # made after the policy
    assert _row(world, lab, bob) is None
    MissingDeductions(world.engine).run_once()
    assert _row(world, lab, bob) == (4.0, "4", 4.0, "4", None, False, "graded")
    assert _body(world, tina, course, lab, bob)["missing"] is True


def test_a_grade_given_while_the_due_date_moves_ends_settled_by_both(world, cls, monkeypatch):
    """The grader's PUT has read ann's late row when the due date moves past her work and the move settles her
    rows (PostgreSQL; SQLite's writers take turns): the grade holds her row's lock from its read, so the move
    settles after it commits, on the entered 10. Without that lock the move settled first and the grade then
    wrote its deduction of 3, read before the move, over a row no longer late."""
    import threading

    from courseport.core.coursework import late_regrades

    course, people = cls
    (ann, ann_token), tina = people["ann"], people["tina"][1]
    essay = world.assignment(course, "Essay", points=10.0, due_at=DUE)
    _policy(world, tina, course, late_submission_deduction_enabled=True, late_submission_deduction=10,
            late_submission_interval="hour")
    _submit_at(world, monkeypatch, course, essay, ann_token, DUE + timedelta(hours=2, minutes=30))
    settled = threading.Event()  # the move has settled (and locked) the rows; it commits next
    row_for, dates_moved = core_submissions.row_for, late_regrades.dates_moved

    def read_then_wait(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        row = row_for(*args, **kwargs)
        settled.wait(timeout=2.0)  # with the row's lock held, the move cannot settle: the wait runs out
        return row

    def settle_then_tell(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        changed = dates_moved(*args, **kwargs)
        settled.set()
        return changed

    monkeypatch.setattr(core_submissions, "row_for", read_then_wait)
    monkeypatch.setattr(late_regrades, "dates_moved", settle_then_tell)
    moving = threading.Thread(target=_move_due, args=(world, tina, course, essay, DUE + timedelta(hours=3)))
    moving.start()
    _grade(world, tina, course, essay, ann, "10")
    moving.join(timeout=30)
    assert settled.is_set()  # the move ran
    assert _row(world, essay, ann) == (10.0, "10", 10.0, "10", None, False, "graded")
