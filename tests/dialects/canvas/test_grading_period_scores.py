"""Grading period scores over raw HTTP: the current period's scores in course JSON, enrollments' grades of a period
(grading_period_id), and the refusal of a teacher's grade on work in a closed period, each value worked out by hand.

The course weights its groups (Homework 40, Exams 60) and uses its term's set: Q1 (closed), Q2 (now).
Work: HW1 (10 pts) and Midterm (100) due in Q1; HW2 (10) due in Q2; Final (50) undated, so in the last period, Q2;
Quiz (Homework, 20) due in Q2, but an override moves bob's due date into Q1.
Grades: ann HW1 8, Midterm 60, HW2 9, Final 40; bob HW1 10, HW2 5, Quiz 20.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.schema.content import Submission
from tests.dialects.canvas.errors import FORBIDDEN
from tests.grading_period_class import iso_in, make_term_class


@pytest.fixture
def term_class(world):
    return make_term_class(world)


def test_course_json_gives_the_current_periods_own_scores(world, term_class):
    course, people, _, (_, q2) = term_class
    (ann, ann_token) = people["ann"]
    with world.client(ann_token) as c:
        r = c.get(f"/api/v1/courses/{course.id}",
                  params={"include[]": ["total_scores", "current_grading_period_scores"]})
        listed = c.get("/api/v1/courses", params={"include[]": ["total_scores", "current_grading_period_scores"]})
    assert r.status_code == listed.status_code == 200
    [enrollment] = r.json()["enrollments"]
    assert [x for x in listed.json() if x["id"] == course.id][0]["enrollments"] == [enrollment]
    # course: HW 17/20 -> 34, Exams 100/150 -> 40: 74; final: HW 17/40 -> 17, Exams 40: 57
    # Q2 (HW2, Final, Quiz): HW 9/10 -> 36, Exams 40/50 -> 48: 84; final: HW 9/30 -> 12, Exams 48: 60
    assert enrollment == {
        "type": "student", "role": "StudentEnrollment", "role_id": enrollment["role_id"], "user_id": ann.id,
        "enrollment_state": "active", "limit_privileges_to_course_section": False,
        "computed_current_score": 74.0, "computed_final_score": 57.0, "computed_current_grade": None,
        "computed_final_grade": None, "multiple_grading_periods_enabled": True, "has_grading_periods": True,
        "totals_for_all_grading_periods_option": True, "current_grading_period_title": "Q2",
        "current_grading_period_id": q2, "current_period_computed_current_score": 84.0,
        "current_period_computed_final_score": 60.0, "current_period_computed_current_grade": None,
        "current_period_computed_final_grade": None}
    assert r.json()["has_grading_periods"] is True


def _grades(world, token, path, **params) -> dict:
    with world.client(token) as c:
        r = c.get(path, params={"type[]": "StudentEnrollment", **params})
    assert r.status_code == 200, r.text
    return {e["user_id"]: {k: e["grades"][k] for k in ("current_score", "final_score", "current_grade",
                                                        "final_grade")} for e in r.json()}


def _scores(current, final) -> dict:
    return {"current_score": current, "final_score": final, "current_grade": None, "final_grade": None}


def test_enrollments_grading_period_id_gives_that_periods_grades(world, term_class):
    course, people, _, (q1, q2) = term_class
    (ann, _), (bob, _), tina_token = people["ann"], people["bob"], people["tina"][1]
    path = f"/api/v1/courses/{course.id}/enrollments"
    # Q1 ann: HW1 8/10 -> 32, Midterm 60/100 -> 36: 68 (nothing ungraded); bob (HW1, Quiz moved in; Midterm
    # ungraded): current HW 30/30 -> 40 of 40: 100; final HW 40 + Exams 0: 40
    assert _grades(world, tina_token, path, grading_period_id=q1) == {ann.id: _scores(68.0, 68.0),
                                                                     bob.id: _scores(100.0, 40.0)}
    # Q2 bob (HW2; Final ungraded): current HW 5/10 -> 20 of 40: 50; final 20 + 0: 20
    assert _grades(world, tina_token, path, grading_period_id=str(q2)) == {ann.id: _scores(84.0, 60.0),
                                                                          bob.id: _scores(50.0, 20.0)}
    # no period: the course totals (bob: HW 35/40 -> 35 of 40: 87.5; final 35 + Exams 0/150: 35)
    assert _grades(world, tina_token, path) == {ann.id: _scores(74.0, 57.0), bob.id: _scores(87.5, 35.0)}
    # a user's own list: the period is one of their courses'
    ann_token = people["ann"][1]
    assert _grades(world, ann_token, f"/api/v1/users/{ann.id}/enrollments", grading_period_id=q1) == {
        ann.id: _scores(68.0, 68.0)}


def test_enrollments_refuse_a_period_the_course_does_not_use(world, term_class):
    course, people, _, _ = term_class
    tina_token = people["tina"][1]
    other = world.course("Other")
    with world.client(world.admin_token) as c:
        own = c.patch(f"/api/v1/courses/{other.id}/grading_periods/batch_update", json={"grading_periods": [
            {"title": "Elsewhere", "start_date": iso_in(-10), "end_date": iso_in(10)}]})
        assert own.status_code == 200, own.text
    elsewhere = own.json()["grading_periods"][0]["id"]
    with world.client(tina_token) as c:
        for ref in (elsewhere, "999999", "Q1"):
            r = c.get(f"/api/v1/courses/{course.id}/enrollments", params={"grading_period_id": ref})
            assert r.status_code == 400, r.text
            assert "grading_period_id" in r.text and "invalid grading_period_id" in r.text


def _stored(world, assignment, student) -> tuple | None:
    with world.tx() as db:
        row = db.scalar(select(Submission).where(Submission.item_id == assignment.id,
                                                 Submission.user_id == student.id))
        return None if row is None else (row.score, row.grade, row.excused, row.grader_id)


def test_a_teacher_cannot_grade_work_in_a_closed_period(world, term_class):
    course, people, work, _ = term_class
    (ann, _), (bob, _), tina_token = people["ann"], people["bob"], people["tina"][1]
    base = f"/api/v1/courses/{course.id}/assignments"
    refused = [(work["hw1"], ann), (work["midterm"], bob), (work["quiz"], bob)]  # bob's Quiz is due in Q1
    before = {(a.id, s.id): _stored(world, a, s) for a, s in refused}
    with world.client(tina_token) as c:
        for assignment, student in refused:
            for form in ({"submission[posted_grade]": "1"}, {"submission[excuse]": "true"}):
                r = c.put(f"{base}/{assignment.id}/submissions/{student.id}", data=form)
                assert (r.status_code, r.json()) == (403, FORBIDDEN)
        assert {(a.id, s.id): _stored(world, a, s) for a, s in refused} == before
        # open work (ann's Quiz, due in Q2) is graded as ever; a comment alone on closed work is taken
        ok = c.put(f"{base}/{work['quiz'].id}/submissions/{ann.id}", data={"submission[posted_grade]": "15"})
        assert (ok.status_code, ok.json()["score"]) == (200, 15.0)
        commented = c.put(f"{base}/{work['hw1'].id}/submissions/{ann.id}", data={"comment[text_comment]": "ok"})
        assert commented.status_code == 200, commented.text
    assert _stored(world, work["quiz"], ann)[:2] == (15.0, "15")
    assert _stored(world, work["hw1"], ann) == before[(work["hw1"].id, ann.id)]


def test_bulk_grading_in_a_closed_period_keeps_nothing(world, term_class):
    course, people, work, _ = term_class
    (ann, _), tina_token = people["ann"], people["tina"][1]
    before = (_stored(world, work["hw1"], ann), _stored(world, work["hw2"], ann))
    with world.client(tina_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/submissions/update_grades",
                   data={f"grade_data[{work['hw2'].id}][{ann.id}][posted_grade]": "2",
                         f"grade_data[{work['hw1'].id}][{ann.id}][posted_grade]": "3"})
    assert r.status_code == 200, r.text
    world.run_jobs()
    with world.client(tina_token) as c:
        progress = c.get(f"/api/v1/progress/{r.json()['id']}").json()
    assert progress["workflow_state"] == "failed"
    assert progress["message"] == (f"assignment {work['hw1'].id}, user {ann.id}: "
                                   "user not authorized to perform that action")
    assert (_stored(world, work["hw1"], ann), _stored(world, work["hw2"], ann)) == before


def test_course_users_current_grading_period_scores(world, term_class):
    course, people, _, (_, q2) = term_class
    (ann, _), (bob, _), tina_token = people["ann"], people["bob"], people["tina"][1]

    def grades(*includes) -> dict:
        with world.client(tina_token) as c:
            r = c.get(f"/api/v1/courses/{course.id}/users",
                      params={"enrollment_type[]": "student", "include[]": ["enrollments", *includes]})
        assert r.status_code == 200, r.text
        return {u["id"]: {k: v for k, v in u["enrollments"][0]["grades"].items()
                          if k in ("current_score", "final_score", "grading_period_id")} for u in r.json()}

    assert grades("current_grading_period_scores") == {
        ann.id: {"current_score": 84.0, "final_score": 60.0, "grading_period_id": q2},
        bob.id: {"current_score": 50.0, "final_score": 20.0, "grading_period_id": q2}}
    assert grades() == {ann.id: {"current_score": 74.0, "final_score": 57.0},
                        bob.id: {"current_score": 87.5, "final_score": 35.0}}
