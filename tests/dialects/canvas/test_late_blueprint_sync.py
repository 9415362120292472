"""Canvas late policies when a blueprint sync moves a due date, over raw HTTP: the associated course's copy of
the assignment takes the blueprint's new due date and its late policy settles its students' work again, as an
edit in the course does (whole submission bodies before and after, and the stored rows); an edit and a sync each
settle once."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from courseport.core.coursework import late_regrades
from tests.dialects.canvas.test_late_due_dates import DUE, _at, _body, _grade, _grading, _policy, _row, _submit_at


def _counting(monkeypatch) -> list[int]:
    """The ids of the assignments `dates_moved` settles from now on, once per call."""
    seen: list[int] = []
    real = late_regrades.dates_moved

    def counted(db, item, **kw):
        seen.append(item.id)
        return real(db, item, **kw)

    monkeypatch.setattr(late_regrades, "dates_moved", counted)
    return seen


def test_a_synced_due_date_regrades_the_associated_courses_late_work(world, monkeypatch):
    blueprint, section = world.course("Blueprint", blueprint=True), world.course("Section")
    (ann, ann_token), (tina, tina_token) = world.user_with_token("ann"), world.user_with_token("tina")
    world.enroll(ann, section, "StudentEnrollment")
    world.enroll(tina, section, "TeacherEnrollment")
    essay = world.assignment(blueprint, "Essay", points=10.0, due_at=DUE)
    world.sync_blueprint(blueprint, section)
    with world.client(world.admin_token) as http:
        copies = http.get(f"/api/v1/courses/{section.id}/assignments").json()
    assert [(c["name"], c["due_at"]) for c in copies] == [("Essay", _at(DUE))]
    copy = SimpleNamespace(id=copies[0]["id"])  # the section's copy, as the helpers name an assignment
    _policy(world, tina_token, section, late_submission_deduction_enabled=True, late_submission_deduction=10,
            late_submission_interval="hour")
    _submit_at(world, monkeypatch, section, copy, ann_token, DUE + timedelta(hours=2, minutes=30))
    _grade(world, tina_token, section, copy, ann, "10")
    before = _body(world, tina_token, section, copy, ann)
    assert before == {**before, **_grading(7.0, "7", 10.0, "10", 3.0, True, False, 9000, due=DUE)}
    assert _row(world, copy, ann) == (7.0, "7", 10.0, "10", 3.0, True, "graded")

    settled = _counting(monkeypatch)
    with world.client(world.admin_token) as http:
        moved = http.put(f"/api/v1/courses/{blueprint.id}/assignments/{essay.id}",
                         data={"assignment[due_at]": (DUE + timedelta(hours=3)).isoformat()})
        assert (moved.status_code, moved.json()["due_at"]) == (200, _at(DUE + timedelta(hours=3)))
        assert settled == [essay.id]  # the edit settles the blueprint's own assignment once, not again by the hook
        world.sync_blueprint(blueprint)
    assert settled == [essay.id, copy.id]  # the sync settles the copy once

    assert _body(world, tina_token, section, copy, ann) == {**before, **_grading(
        10.0, "10", 10.0, "10", None, False, False, 0, due=DUE + timedelta(hours=3))}
    assert _row(world, copy, ann) == (10.0, "10", 10.0, "10", None, False, "graded")
