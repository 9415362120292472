"""Canvas late policies over raw HTTP: the policy's exact bodies and refusals (nothing stored), and what it does
to grades: late deductions from what the grader entered, the floor, the student's own due date, re-grading
when the policy changes, and the missing deduction on save.

Time is the test's: the in-process server's submit clock (`submissions.utcnow`) is set to the moment a student
turns work in, so seconds late are exact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from courseport.core.coursework import submissions as core_submissions
from courseport.schema import LatePolicy
from courseport.schema.content import Submission
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

DUE = datetime.now(UTC).replace(microsecond=0) - timedelta(days=10)


@pytest.fixture
def cls(world):
    course = world.course("History")
    people = {}
    for login, etype in (("tina", "TeacherEnrollment"), ("ann", "StudentEnrollment"), ("bob", "StudentEnrollment")):
        user, token = world.user_with_token(f"{login}{course.id}")
        world.enroll(user, course, etype)
        people[login] = (user, token)
    return course, people


def _policy_path(course) -> str:
    return f"/api/v1/courses/{course.id}/late_policy"


def _stored(world, course) -> tuple | None:
    with world.tx() as db:
        p = db.scalar(select(LatePolicy).where(LatePolicy.course_id == course.id))
        return None if p is None else (
            p.missing_submission_deduction_enabled, p.missing_submission_deduction, p.late_submission_deduction_enabled,
            p.late_submission_deduction, p.late_submission_interval, p.late_submission_minimum_percent_enabled,
            p.late_submission_minimum_percent)


def _form(**fields) -> dict:
    return {f"late_policy[{k}]": str(v).lower() if isinstance(v, bool) else str(v) for k, v in fields.items()}


def _make_policy(world, token, course, **fields):
    with world.client(token) as c:
        r = c.post(_policy_path(course), data=_form(**fields))
    assert r.status_code == 201, r.text
    return r.json()["late_policy"]


def _submit_at(world, monkeypatch, course, assignment, token, at: datetime) -> None:
    monkeypatch.setattr(core_submissions, "utcnow", lambda: at)
    with world.client(token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/assignments/{assignment.id}/submissions",
                   data={"submission[submission_type]": "online_text_entry", "submission[body]": "work"})
    monkeypatch.undo()
    assert r.status_code == 201, r.text


def _put(world, token, course, assignment, user, **fields):
    with world.client(token) as c:
        return c.put(f"/api/v1/courses/{course.id}/assignments/{assignment.id}/submissions/{user.id}",
                     data={f"submission[{k}]": str(v) for k, v in fields.items()})


def _shown(world, token, course, assignment, user) -> tuple:
    with world.client(token) as c:
        b = c.get(f"/api/v1/courses/{course.id}/assignments/{assignment.id}/submissions/{user.id}").json()
    return (b["score"], b["grade"], b["entered_score"], b["entered_grade"], b["points_deducted"], b["late"],
            b["missing"], b["seconds_late"], b["late_policy_status"])


# --- the policy ------------------------------------------------------------------------------------

def test_create_show_and_patch_answer_canvas_bodies(world, cls):
    course, people = cls
    token = people["tina"][1]
    with world.client(token) as c:
        none_yet = c.get(_policy_path(course))
        patched_none = c.patch(_policy_path(course), data=_form(late_submission_deduction=5))
        made = c.post(_policy_path(course), data=_form(late_submission_deduction_enabled=True,
                                                       late_submission_deduction=12.5, late_submission_interval="hour"))
    assert (none_yet.status_code, none_yet.json()) == (404, NOT_FOUND)  # Canvas shows no unsaved default
    assert (patched_none.status_code, patched_none.json()) == (404, NOT_FOUND)
    body = made.json()["late_policy"]
    assert (made.status_code, made.json()) == (201, {"late_policy": {
        "id": body["id"], "course_id": course.id, "missing_submission_deduction_enabled": False,
        "missing_submission_deduction": 0.0, "late_submission_deduction_enabled": True,
        "late_submission_deduction": 12.5, "late_submission_interval": "hour",
        "late_submission_minimum_percent_enabled": False, "late_submission_minimum_percent": 0.0,
        "created_at": body["created_at"], "updated_at": body["updated_at"]}})
    assert body["created_at"].endswith("Z") and isinstance(body["id"], int)
    with world.client(token) as c:
        shown = c.get(_policy_path(course))
        again = c.post(_policy_path(course), data=_form(late_submission_deduction=50))
        patched = c.patch(_policy_path(course), data=_form(late_submission_interval="day",
                                                           late_submission_minimum_percent_enabled=True,
                                                           late_submission_minimum_percent=40))
        after = c.get(_policy_path(course)).json()["late_policy"]
    assert (shown.status_code, shown.json()) == (200, made.json())
    assert (again.status_code, again.json()) == (400, {
        "status": "bad_request", "errors": [{"message": "only one late policy per course is allowed"}]})
    assert (patched.status_code, patched.content) == (204, b"")
    assert _stored(world, course) == (False, 0.0, True, 12.5, "day", True, 40.0)
    assert (after["id"], after["created_at"], after["late_submission_interval"]) == (body["id"], body["created_at"],
                                                                                      "day")
    assert after["updated_at"] >= body["updated_at"]


@pytest.mark.parametrize("fields, field, message", [
    ({"missing_submission_deduction": 101}, "late_policy[missing_submission_deduction]",
     "late_policy[missing_submission_deduction] must be a number from 0 to 100"),
    ({"late_submission_deduction": -1}, "late_policy[late_submission_deduction]",
     "late_policy[late_submission_deduction] must be a number from 0 to 100"),
    ({"late_submission_minimum_percent": 100.5}, "late_policy[late_submission_minimum_percent]",
     "late_policy[late_submission_minimum_percent] must be a number from 0 to 100"),
    ({"late_submission_interval": "week"}, "late_policy[late_submission_interval]",
     "late_policy[late_submission_interval] must be day or hour"),
    ({"late_submission_deduction": "lots"}, "late_policy[late_submission_deduction]",
     "late_policy[late_submission_deduction] must be a number, got 'lots'"),
    ({"late_submission_deduction_enabled": "maybe"}, "late_policy[late_submission_deduction_enabled]",
     "late_policy[late_submission_deduction_enabled] must be a boolean (true or false), got 'maybe'"),
])
def test_bad_values_are_400_naming_the_field_and_change_nothing(world, cls, fields, field, message):
    course, people = cls
    token = people["tina"][1]
    with world.client(token) as c:
        refused = c.post(_policy_path(course), data=_form(**fields))
    assert (refused.status_code, refused.json()) == (400, {"errors": [{"message": message, "field": field}]})
    assert _stored(world, course) is None
    _make_policy(world, token, course, late_submission_deduction=10)
    with world.client(token) as c:
        with_a_good_one = {"late_submission_minimum_percent_enabled": True, **fields}
        refused = c.patch(_policy_path(course), data=_form(**with_a_good_one))
    assert (refused.status_code, refused.json()) == (400, {"errors": [{"message": message, "field": field}]})
    assert _stored(world, course) == (False, 0.0, False, 10.0, "day", False, 0.0)


def test_who_may_read_and_write_the_policy(world, cls):
    course, people = cls
    ann_token, tina_token = people["ann"][1], people["tina"][1]
    other = world.course("Elsewhere")
    stranger, stranger_token = world.user_with_token(f"tina{other.id}")
    world.enroll(stranger, other, "TeacherEnrollment")
    with world.client(ann_token) as c:
        student_post = c.post(_policy_path(course), data=_form(late_submission_deduction=5))
    assert (student_post.status_code, student_post.json()) == (403, FORBIDDEN)
    assert _stored(world, course) is None
    _make_policy(world, tina_token, course, late_submission_deduction=5)
    with world.client(ann_token) as c:
        student_get = c.get(_policy_path(course))
        student_patch = c.patch(_policy_path(course), data=_form(late_submission_deduction=0))
    with world.client(stranger_token) as c:
        foreign = c.get(_policy_path(course))
        foreign_patch = c.patch(_policy_path(course), data=_form(late_submission_deduction=0))
        unknown = c.get("/api/v1/courses/987654321/late_policy")
    assert (student_get.status_code, student_get.json()) == (403, FORBIDDEN)
    assert (student_patch.status_code, student_patch.json()) == (403, FORBIDDEN)
    assert (foreign.status_code, foreign.json()) == (403, FORBIDDEN)
    assert (foreign_patch.status_code, foreign_patch.json()) == (403, FORBIDDEN)
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
    assert _stored(world, course) == (False, 0.0, False, 5.0, "day", False, 0.0)


# --- what it does to grades ------------------------------------------------------------------------

def test_late_work_loses_points_per_interval_with_a_floor_and_regrades_on_change(world, cls, monkeypatch):
    course, people = cls
    (ann, ann_token), (bob, bob_token), tina_token = people["ann"], people["bob"], people["tina"][1]
    essay = world.assignment(course, "Essay", points=10.0, due_at=DUE)
    _submit_at(world, monkeypatch, course, essay, ann_token, DUE + timedelta(hours=2, minutes=30))
    _submit_at(world, monkeypatch, course, essay, bob_token, DUE - timedelta(minutes=1))
    assert _put(world, tina_token, course, essay, ann, posted_grade="9").status_code == 200
    # no policy yet: late, but nothing deducted
    assert _shown(world, tina_token, course, essay, ann) == (9.0, "9", 9.0, "9", None, True, False, 9000, None)

    _make_policy(world, tina_token, course, late_submission_deduction_enabled=True, late_submission_deduction=10,
                 late_submission_interval="hour")  # 2.5 h counts as 3 hours: 30% of 10 points
    assert _shown(world, tina_token, course, essay, ann) == (6.0, "6", 9.0, "9", 3.0, True, False, 9000, None)
    r = _put(world, tina_token, course, essay, bob, posted_grade="8")  # on time: untouched
    assert (r.json()["score"], r.json()["points_deducted"], r.json()["late"]) == (8.0, None, False)

    with world.client(tina_token) as c:
        c.patch(_policy_path(course), data=_form(late_submission_minimum_percent_enabled=True,
                                                 late_submission_minimum_percent=70))
    assert _shown(world, tina_token, course, essay, ann) == (7.0, "7", 9.0, "9", 2.0, True, False, 9000, None)
    r = _put(world, tina_token, course, essay, ann, posted_grade="6")  # below the floor already: kept
    assert (r.json()["score"], r.json()["entered_score"], r.json()["points_deducted"]) == (6.0, 6.0, 0.0)
    _put(world, tina_token, course, essay, ann, posted_grade="10")
    with world.client(tina_token) as c:
        c.patch(_policy_path(course), data=_form(late_submission_interval="day"))  # one day: 10%
    assert _shown(world, tina_token, course, essay, ann) == (9.0, "9", 10.0, "10", 1.0, True, False, 9000, None)
    with world.client(tina_token) as c:
        c.patch(_policy_path(course), data=_form(late_submission_deduction_enabled=False))
    assert _shown(world, tina_token, course, essay, ann) == (10.0, "10", 10.0, "10", 0.0, True, False, 9000, None)
    with world.tx() as db:
        row = db.scalar(select(Submission).where(Submission.item_id == essay.id, Submission.user_id == ann.id))
        assert (row.score, row.entered_score, row.points_deducted, row.workflow_state) == (10.0, 10.0, 0.0, "graded")


def test_the_students_own_due_date_decides_lateness(world, cls, monkeypatch):
    course, people = cls
    (ann, ann_token), (bob, bob_token), tina_token = people["ann"], people["bob"], people["tina"][1]
    essay = world.assignment(course, "Essay", points=20.0, due_at=DUE)
    with world.client(tina_token) as c:
        made = c.post(f"/api/v1/courses/{course.id}/assignments/{essay.id}/overrides",
                      data={"assignment_override[student_ids][]": str(ann.id),
                            "assignment_override[due_at]": (DUE + timedelta(days=2)).isoformat()})
    assert made.status_code == 201, made.text
    _make_policy(world, tina_token, course, late_submission_deduction_enabled=True, late_submission_deduction=5)
    for token in (ann_token, bob_token):
        _submit_at(world, monkeypatch, course, essay, token, DUE + timedelta(days=1, seconds=1))
    assert _put(world, tina_token, course, essay, ann, posted_grade="20").json()["points_deducted"] is None
    assert _put(world, tina_token, course, essay, bob, posted_grade="20").status_code == 200
    assert _shown(world, tina_token, course, essay, ann) == (20.0, "20", 20.0, "20", None, False, False, 0, None)
    # two days started: 10% of 20 points
    assert _shown(world, tina_token, course, essay, bob) == (18.0, "18", 20.0, "20", 2.0, True, False, 86401, None)


def test_missing_deduction_grades_missing_work_when_the_policy_is_saved(world, cls, monkeypatch):
    course, people = cls
    (ann, ann_token), (bob, _), tina_token = people["ann"], people["bob"], people["tina"][1]
    past = world.assignment(course, "Past", points=8.0, due_at=DUE)
    future = world.assignment(course, "Future", points=8.0, due_at=datetime.now(UTC) + timedelta(days=3))
    paper = world.assignment(course, "Paper", points=8.0, due_at=DUE, data={"submission_types": ["on_paper"]})
    excused = world.assignment(course, "Excused", points=8.0, due_at=DUE)
    _submit_at(world, monkeypatch, course, past, ann_token, DUE - timedelta(hours=1))
    assert _put(world, tina_token, course, excused, bob, excuse="true").status_code == 200
    assert _shown(world, tina_token, course, past, bob)[6] is True  # missing before any policy, ungraded
    _make_policy(world, tina_token, course, missing_submission_deduction_enabled=True, missing_submission_deduction=25)
    assert _shown(world, tina_token, course, past, bob) == (6.0, "6", 6.0, "6", None, False, True, 0, None)
    assert _shown(world, tina_token, course, past, ann)[:2] == (None, None)  # turned in: not missing
    assert _shown(world, tina_token, course, future, bob)[:2] == (None, None)
    assert _shown(world, tina_token, course, paper, bob)[:2] == (None, None)
    assert _shown(world, tina_token, course, excused, bob) == (None, None, None, None, None, False, False, 0, None)
    assert _shown(world, tina_token, course, excused, ann)[:2] == (6.0, "6")  # ann never turned that one in
    with world.tx() as db:
        row = db.scalar(select(Submission).where(Submission.item_id == past.id, Submission.user_id == bob.id))
        assert (row.workflow_state, row.score, row.submitted_at) == ("graded", 6.0, None)
    # a grader's own grade replaces it and the work is no longer shown missing
    r = _put(world, tina_token, course, past, bob, posted_grade="3")
    assert (r.json()["score"], r.json()["missing"]) == (3.0, False)


# --- a grader's late status on a submission --------------------------------------------------------

def test_late_policy_status_and_seconds_late_override(world, cls, monkeypatch):
    course, people = cls
    (ann, ann_token), (bob, _), tina_token = people["ann"], people["bob"], people["tina"][1]
    essay = world.assignment(course, "Essay", points=10.0, due_at=DUE)
    _make_policy(world, tina_token, course, late_submission_deduction_enabled=True, late_submission_deduction=10,
                 late_submission_interval="hour", missing_submission_deduction_enabled=True,
                 missing_submission_deduction=50)
    _submit_at(world, monkeypatch, course, essay, ann_token, DUE + timedelta(hours=5))
    _put(world, tina_token, course, essay, ann, posted_grade="10")
    assert _shown(world, tina_token, course, essay, ann) == (5.0, "5", 10.0, "10", 5.0, True, False, 18000, None)

    r = _put(world, tina_token, course, essay, ann, late_policy_status="none")
    assert r.status_code == 200, r.text
    assert _shown(world, tina_token, course, essay, ann) == (10.0, "10", 10.0, "10", None, False, False, 0, "none")
    r = _put(world, tina_token, course, essay, ann, late_policy_status="late", seconds_late_override=3600)
    assert (r.json()["late_policy_status"], r.json()["seconds_late"], r.json()["points_deducted"]) == ("late", 3600,
                                                                                                       1.0)
    assert _shown(world, tina_token, course, essay, ann) == (9.0, "9", 10.0, "10", 1.0, True, False, 3600, "late")
    r = _put(world, tina_token, course, essay, ann, seconds_late_override=7201)  # still late: 3 hours started
    assert (r.json()["score"], r.json()["seconds_late"]) == (7.0, 7201)
    _put(world, tina_token, course, essay, ann, late_policy_status="extended")
    assert _shown(world, tina_token, course, essay, ann) == (10.0, "10", 10.0, "10", None, False, False, 0,
                                                             "extended")
    # bob turned nothing in; marked missing by hand he takes the missing score
    r = _put(world, tina_token, course, essay, bob, late_policy_status="missing")
    assert _shown(world, tina_token, course, essay, bob) == (5.0, "5", 5.0, "5", None, False, True, 0, "missing")
    r = _put(world, tina_token, course, essay, ann, late_policy_status="missing")
    assert (r.json()["missing"], r.json()["late"], r.json()["score"]) == (True, False, 10.0)  # graded work kept


@pytest.mark.parametrize("fields, field, message", [
    ({"late_policy_status": "tardy"}, "submission[late_policy_status]",
     "submission[late_policy_status] must be one of late, missing, extended, none"),
    ({"late_policy_status": "none", "seconds_late_override": "60"}, "submission[seconds_late_override]",
     "submission[seconds_late_override] is only taken with submission[late_policy_status]=late"),
    ({"seconds_late_override": "60"}, "submission[seconds_late_override]",
     "submission[seconds_late_override] is only taken with submission[late_policy_status]=late"),
    ({"late_policy_status": "late", "seconds_late_override": "-5"}, "submission[seconds_late_override]",
     "submission[seconds_late_override] must not be negative"),
    ({"late_policy_status": "late", "seconds_late_override": "soon"}, "submission[seconds_late_override]",
     "submission[seconds_late_override] must be an integer, got 'soon'"),
])
def test_bad_late_status_is_400_naming_the_field_and_keeps_the_grade(world, cls, monkeypatch, fields, field,
                                                                     message):
    course, people = cls
    (ann, ann_token), tina_token = people["ann"], people["tina"][1]
    essay = world.assignment(course, "Essay", points=10.0, due_at=DUE)
    _make_policy(world, tina_token, course, late_submission_deduction_enabled=True, late_submission_deduction=10)
    _submit_at(world, monkeypatch, course, essay, ann_token, DUE + timedelta(hours=5))
    _put(world, tina_token, course, essay, ann, posted_grade="10")
    before = _shown(world, tina_token, course, essay, ann)
    r = _put(world, tina_token, course, essay, ann, posted_grade="4", **fields)
    assert (r.status_code, r.json()) == (400, {"errors": [{"message": message, "field": field}]})
    assert _shown(world, tina_token, course, essay, ann) == before == (9.0, "9", 10.0, "10", 1.0, True, False, 18000,
                                                                       None)


def test_a_student_may_not_set_a_late_status(world, cls, monkeypatch):
    course, people = cls
    (ann, ann_token), tina_token = people["ann"], people["tina"][1]
    essay = world.assignment(course, "Essay", points=10.0, due_at=DUE)
    _submit_at(world, monkeypatch, course, essay, ann_token, DUE + timedelta(hours=5))
    r = _put(world, ann_token, course, essay, ann, late_policy_status="none")
    assert (r.status_code, r.json()) == (403, FORBIDDEN)
    assert _shown(world, tina_token, course, essay, ann)[5:] == (True, False, 18000, None)


def test_a_students_comment_never_grades_their_missing_work(world, cls):
    course, people = cls
    (ann, ann_token), tina_token = people["ann"], people["tina"][1]
    other = world.course("Other")
    _make_policy(world, tina_token, course, missing_submission_deduction_enabled=True, missing_submission_deduction=10)
    essay = world.assignment(course, "Essay", points=10.0, due_at=DUE)  # made after the policy: not graded yet
    with world.client(ann_token) as c:
        r = c.put(f"/api/v1/courses/{course.id}/assignments/{essay.id}/submissions/{ann.id}",
                  data={"comment[text_comment]": "sorry, I was ill"})
        foreign = c.put(f"/api/v1/courses/{other.id}/assignments/{essay.id}/submissions/{ann.id}",
                        data={"submission[late_policy_status]": "none"})
    assert r.status_code == 200, r.text
    assert (r.json()["score"], r.json()["missing"], r.json()["workflow_state"]) == (None, True, "unsubmitted")
    assert (foreign.status_code, foreign.json()) == (403, FORBIDDEN)
    # the grader's next call on it (here a comment) applies the missing deduction
    with world.client(tina_token) as c:
        r = c.put(f"/api/v1/courses/{course.id}/assignments/{essay.id}/submissions/{ann.id}",
                  data={"comment[text_comment]": "get well"})
    assert (r.json()["score"], r.json()["missing"], r.json()["workflow_state"]) == (9.0, True, "graded")


def test_a_later_resubmission_deducts_more_from_the_kept_grade(world, cls, monkeypatch):
    course, people = cls
    (ann, ann_token), tina_token = people["ann"], people["tina"][1]
    essay = world.assignment(course, "Essay", points=10.0, due_at=DUE)
    _make_policy(world, tina_token, course, late_submission_deduction_enabled=True, late_submission_deduction=10,
                 late_submission_interval="hour")
    _submit_at(world, monkeypatch, course, essay, ann_token, DUE + timedelta(minutes=20))
    _put(world, tina_token, course, essay, ann, posted_grade="10")
    assert _shown(world, tina_token, course, essay, ann)[:5] == (9.0, "9", 10.0, "10", 1.0)
    _submit_at(world, monkeypatch, course, essay, ann_token, DUE + timedelta(hours=2, minutes=20))
    assert _shown(world, tina_token, course, essay, ann) == (7.0, "7", 10.0, "10", 3.0, True, False, 8400, None)
