"""A course using its term's grading periods, Q1 (closed) and Q2 (now), with work due in each, graded by an admin:
the class tests/dialects/canvas/test_grading_period_scores.py describes and works its scores out for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from courseport.core.identity import accounts
from courseport.schema import Course

_NOW = datetime.now(UTC).replace(microsecond=0)


def iso_in(days: int) -> str:
    return (_NOW + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_term_class(world):
    """(course, people {login: (user, token)}, work {name: assignment}, (Q1 id, Q2 id))."""
    course = world.course("Biology", apply_assignment_group_weights=True)
    with world.tx() as db:
        term = accounts.create_term(db, 1, f"Year {course.id}")
        db.get(Course, course.id).enrollment_term_id = term.id
        term_id = term.id
    people = {}
    for login, etype in (("tina", "TeacherEnrollment"), ("ann", "StudentEnrollment"), ("bob", "StudentEnrollment")):
        user, token = world.user_with_token(f"{login}{course.id}")
        world.enroll(user, course, etype)
        people[login] = (user, token)
    with world.client(world.admin_token) as c:
        made = c.post("/api/v1/accounts/1/grading_period_sets",
                      json={"grading_period_set": {"title": "Year"}, "enrollment_term_ids": [term_id]})
        assert made.status_code == 201, made.text
        set_id = made.json()["grading_period_set"]["id"]
        periods = c.patch(f"/api/v1/grading_period_sets/{set_id}/grading_periods/batch_update", json={
            "grading_periods": [
                {"title": "Q1", "start_date": iso_in(-120), "end_date": iso_in(-30), "close_date": iso_in(-20)},
                {"title": "Q2", "start_date": iso_in(-30), "end_date": iso_in(60)}]})
        assert periods.status_code == 200, periods.text
    q1, q2 = (p["id"] for p in periods.json()["grading_periods"])
    homework, exams = world.assignment_group(course, "Homework", 40), world.assignment_group(course, "Exams", 60)
    work = {
        "hw1": world.assignment(course, "HW1", group=homework, points=10, due_at=_NOW - timedelta(days=60)),
        "midterm": world.assignment(course, "Midterm", group=exams, points=100, due_at=_NOW - timedelta(days=50)),
        "hw2": world.assignment(course, "HW2", group=homework, points=10, due_at=_NOW - timedelta(days=5)),
        "final": world.assignment(course, "Final", group=exams, points=50),
        "quiz": world.assignment(course, "Quiz", group=homework, points=20, due_at=_NOW + timedelta(days=10)),
    }
    (ann, _), (bob, _) = people["ann"], people["bob"]
    with world.client(world.admin_token) as c:
        moved = c.post(f"/api/v1/courses/{course.id}/assignments/{work['quiz'].id}/overrides",
                       data={"assignment_override[student_ids][]": bob.id,
                             "assignment_override[due_at]": iso_in(-40)})
        assert moved.status_code == 201, moved.text
        # an admin grades work in the closed period too
        for name, student, grade in (("hw1", ann, "8"), ("midterm", ann, "60"), ("hw2", ann, "9"),
                                     ("final", ann, "40"), ("hw1", bob, "10"), ("hw2", bob, "5"),
                                     ("quiz", bob, "20")):
            r = c.put(f"/api/v1/courses/{course.id}/assignments/{work[name].id}/submissions/{student.id}",
                      data={"submission[posted_grade]": grade})
            assert r.status_code == 200, r.text
    return course, people, work, (int(q1), int(q2))
