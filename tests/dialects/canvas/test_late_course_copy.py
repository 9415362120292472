"""A course copy into a course holding earlier copies rewrites their due dates in place: the target's late work
follows the copied date in the copy's own transaction (whole submission bodies and stored rows before and after),
as an edit of the due date would."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from tests.dialects.canvas.test_late_due_dates import DUE, _at, _body, _grade, _grading, _policy, _row, _submit_at


def _copy(world, source, target) -> None:
    with world.client(world.admin_token) as http:
        answer = http.post(f"/api/v1/courses/{target.id}/course_copy", data={"source_course": str(source.id)})
        assert answer.status_code == 200, answer.text
        world.run_jobs()
        done = http.get(f"/api/v1/courses/{target.id}/course_copy/{answer.json()['id']}").json()
    assert done["workflow_state"] == "completed", done


def test_a_recopied_due_date_regrades_the_targets_late_work(world, monkeypatch):
    source, target = world.course("Template"), world.course("Term course")
    (ann, ann_token), (tina, tina_token) = world.user_with_token("ann"), world.user_with_token("tina")
    world.enroll(ann, target, "StudentEnrollment")
    world.enroll(tina, target, "TeacherEnrollment")
    essay = world.assignment(source, "Essay", points=10.0, due_at=DUE)
    _copy(world, source, target)
    with world.client(tina_token) as http:
        copies = http.get(f"/api/v1/courses/{target.id}/assignments").json()
    assert [(c["name"], c["due_at"]) for c in copies] == [("Essay", _at(DUE))]
    copy = SimpleNamespace(id=copies[0]["id"])
    _policy(world, tina_token, target, late_submission_deduction_enabled=True, late_submission_deduction=10,
            late_submission_interval="hour")
    _submit_at(world, monkeypatch, target, copy, ann_token, DUE + timedelta(hours=2, minutes=30))
    _grade(world, tina_token, target, copy, ann, "10")
    before = _body(world, tina_token, target, copy, ann)
    assert before == {**before, **_grading(7.0, "7", 10.0, "10", 3.0, True, False, 9000, due=DUE)}

    with world.client(world.admin_token) as http:  # the template's date moves past the submission; copied again
        moved = http.put(f"/api/v1/courses/{source.id}/assignments/{essay.id}",
                         data={"assignment[due_at]": (DUE + timedelta(hours=3)).isoformat()})
        assert moved.status_code == 200, moved.text
    _copy(world, source, target)

    with world.client(tina_token) as http:
        again = http.get(f"/api/v1/courses/{target.id}/assignments").json()
    assert [(c["id"], c["due_at"]) for c in again] == [(copy.id, _at(DUE + timedelta(hours=3)))]
    assert _body(world, tina_token, target, copy, ann) == {**before, **_grading(
        10.0, "10", 10.0, "10", None, False, False, 0, due=DUE + timedelta(hours=3))}
    assert _row(world, copy, ann) == (10.0, "10", 10.0, "10", None, False, "graded")
