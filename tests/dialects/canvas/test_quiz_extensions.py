"""Canvas Quiz Extensions and Course Quiz Extensions APIs over raw HTTP: exact bodies, what is stored, how the
extensions bind when the student takes the quiz, and refusals (with nothing stored)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy import select

from courseport.schema import QuizAttempt, QuizSubmission
from courseport.schema.base import utcnow
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND
from tests.dialects.canvas.test_quiz_submissions import _setup, _start

_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _extend(c, course, quiz, *entries):
    return c.post(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/extensions",
                  json={"quiz_extensions": list(entries)})


def _rows(world):
    with world.tx() as db:
        return [(r.user_id, r.attempt, r.extra_attempts, r.extra_time, r.manually_unlocked)
                for r in db.scalars(select(QuizSubmission).order_by(QuizSubmission.id))]


def _body(quiz, user, extra_attempts=None, extra_time=None, manually_unlocked=None, end_at=None):
    return {"quiz_id": quiz["id"], "user_id": user.id, "extra_attempts": extra_attempts, "extra_time": extra_time,
            "manually_unlocked": manually_unlocked, "end_at": end_at}


def test_extensions_before_a_start_are_kept_and_bind_when_the_student_starts(world):
    course, quiz, _, (_, teacher_token), [(student, token), (other, _)] = _setup(
        world, students=2, essay=False, time_limit="10")
    with world.client(teacher_token) as c:
        pairs = [("quiz_extensions[][user_id]", student.id), ("quiz_extensions[][extra_attempts]", 2),
                 ("quiz_extensions[][extra_time]", 15), ("quiz_extensions[][user_id]", other.id),
                 ("quiz_extensions[][manually_unlocked]", "true")]
        r = c.post(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/extensions", content=urlencode(pairs),
                   headers=_FORM)
        assert r.status_code == 200, r.text
        assert r.json() == {"quiz_extensions": [_body(quiz, student, 2, 15),
                                                _body(quiz, other, manually_unlocked=True)]}
        # a row made for extensions alone is no submission yet
        listed = c.get(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/submissions").json()
        assert listed == {"quiz_submissions": []}
    assert _rows(world) == [(student.id, 0, 2, 15, None), (other.id, 0, None, None, True)]
    with world.client(token) as c:
        assert c.get(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/submissions/self").json() == {
            "quiz_submissions": []}
        qs = _start(c, course, quiz).json()["quiz_submissions"][0]
    assert (qs["attempt"], qs["extra_attempts"], qs["extra_time"], qs["manually_unlocked"], qs["attempts_left"]) == (
        1, 2, 15, None, 2)
    with world.tx() as db:
        attempt = db.scalars(select(QuizAttempt)).one()
        assert attempt.end_at - attempt.started_at == timedelta(minutes=25)
    assert _rows(world)[0] == (student.id, 1, 2, 15, None)


def test_extra_attempts_let_a_student_start_again_up_to_the_new_limit(world):
    course, quiz, _, (_, teacher_token), [(student, token)] = _setup(world, essay=False)
    with world.client(token) as c:
        qs = _start(c, course, quiz).json()["quiz_submissions"][0]
        base = f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/submissions/{qs['id']}"
        c.post(f"{base}/complete", data={"attempt": 1, "validation_token": qs["validation_token"]})
        assert _start(c, course, quiz).status_code == 409
    with world.client(teacher_token) as c:
        r = _extend(c, course, quiz, {"user_id": student.id, "extra_attempts": 1})
        assert r.json() == {"quiz_extensions": [_body(quiz, student, extra_attempts=1)]}
    with world.client(token) as c:
        assert c.get(base).json()["quiz_submissions"][0]["attempts_left"] == 1
        second = _start(c, course, quiz).json()["quiz_submissions"][0]
        assert (second["id"], second["attempt"], second["attempts_left"]) == (qs["id"], 2, 0)
        c.post(f"{base}/complete", data={"attempt": 2, "validation_token": second["validation_token"]})
        r = _start(c, course, quiz)
        assert (r.status_code, r.json()) == (409, {"status": "conflict", "message": "a quiz submission already exists"})
    assert [a.attempt for a in _attempt_rows(world)] == [1, 2]


def _attempt_rows(world):
    with world.tx() as db:
        return list(db.scalars(select(QuizAttempt).order_by(QuizAttempt.attempt)))


def test_extend_from_now_and_from_end_at_move_a_running_attempt(world):
    course, quiz, mc, (_, teacher_token), [(student, token)] = _setup(world, essay=False, time_limit="10")
    with world.client(token) as c:
        qs = _start(c, course, quiz).json()["quiz_submissions"][0]
    with world.tx() as db:
        db.scalars(select(QuizAttempt)).one().end_at = utcnow() - timedelta(minutes=1)  # overdue
    with world.client(teacher_token) as c:
        before = utcnow()
        r = _extend(c, course, quiz, {"user_id": student.id, "extend_from_now": 30, "extend_from_end_at": 5})
        assert r.status_code == 200, r.text
        moved = _attempt_rows(world)[0].end_at
        assert before + timedelta(minutes=30) <= moved <= utcnow() + timedelta(minutes=30)
        assert r.json() == {"quiz_extensions": [_body(quiz, student, end_at=moved.strftime("%Y-%m-%dT%H:%M:%SZ"))]}
        r = _extend(c, course, quiz, {"user_id": student.id, "extend_from_end_at": 15})
        assert _attempt_rows(world)[0].end_at == moved + timedelta(minutes=15)
    with world.client(token) as c:
        r = c.post(f"/api/v1/quiz_submissions/{qs['id']}/questions", json={
            "attempt": 1, "validation_token": qs["validation_token"],
            "quiz_questions": [{"id": mc["id"], "answer": mc["answers"][0]["id"]}]})
        assert r.status_code == 200, r.text  # no longer overdue
    assert _rows(world) == [(student.id, 1, None, None, None)]


def test_manually_unlocked_opens_a_locked_quiz_without_its_lock_date_as_the_end(world):
    course, quiz, _, (_, teacher_token), [(student, token), (_, other_token)] = _setup(
        world, students=2, essay=False, lock_at="2020-01-01T00:00:00Z")
    with world.client(teacher_token) as c:
        later = c.post(f"/api/v1/courses/{course.id}/quizzes", data={
            "quiz[title]": "Later", "quiz[published]": "true", "quiz[unlock_at]": "2040-01-01T00:00:00Z"}).json()
        assert _extend(c, course, quiz, {"user_id": student.id, "manually_unlocked": True}).status_code == 200
        assert _extend(c, course, later, {"user_id": student.id, "manually_unlocked": True}).status_code == 200
    locked = {"status": "bad_request", "message": "you are not allowed to participate in this quiz"}
    with world.client(other_token) as c:
        r = _start(c, course, quiz)
        assert (r.status_code, r.json()) == (400, locked)
    with world.client(token) as c:
        qs = _start(c, course, quiz).json()["quiz_submissions"][0]
        assert (qs["workflow_state"], qs["end_at"], qs["manually_unlocked"]) == ("untaken", None, True)
        assert _start(c, course, later).status_code == 200
    with world.client(teacher_token) as c:
        assert _extend(c, course, later, {"user_id": student.id, "manually_unlocked": False}).status_code == 200
    assert [a.workflow_state for a in _attempt_rows(world)] == ["untaken", "untaken"]
    assert [r[4] for r in _rows(world)] == [True, False]


def test_refusals_pin_canvas_bodies_and_store_nothing(world):
    course, quiz, _, (teacher, teacher_token), [(student, token)] = _setup(world, essay=False)
    stranger = world.user(f"stranger{course.id}")
    with world.client(token) as c:
        r = _extend(c, course, quiz, {"user_id": student.id, "extra_attempts": 1})
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.client(teacher_token) as c:
        for user_id in (stranger.id, teacher.id, "nope"):
            r = _extend(c, course, quiz, {"user_id": student.id, "extra_time": 5}, {"user_id": user_id})
            assert (r.status_code, r.json()) == (404, NOT_FOUND)
        for field, value, message in [
                ("extra_attempts", 1001, "must be between 0 and 1000"),
                ("extra_time", -1, "must be between 0 and 10080"),
                ("extra_time", 10081, "must be between 0 and 10080"),
                ("extend_from_now", 1441, "must be between 0 and 1440"),
                ("extend_from_end_at", -5, "must be between 0 and 1440")]:
            r = _extend(c, course, quiz, {"user_id": student.id, "extra_attempts": 1},
                        {"user_id": student.id, field: value})
            name = f"quiz_extensions[][{field}]"
            assert (r.status_code, r.json()) == (400, {"errors": [{"message": f"{name} {message}", "field": name}]})
        r = _extend(c, course, quiz, {"user_id": student.id, "extra_time": "long"})
        name = "quiz_extensions[][extra_time]"
        assert (r.status_code, r.json()) == (400, {"errors": [{"message": f"{name} must be an integer, got 'long'",
                                                               "field": name}]})
        r = _extend(c, course, quiz, {"extra_time": 5})
        name = "quiz_extensions[][user_id]"
        assert (r.status_code, r.json()) == (400, {"errors": [{"message": f"{name} is required", "field": name}]})
        r = _extend(c, course, quiz)
        assert (r.status_code, r.json()) == (400, {"errors": [{
            "message": "quiz_extensions must name at least one student", "field": "quiz_extensions"}]})
        r = c.post(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/extensions", json={"user_id": student.id})
        assert (r.status_code, r.json()) == (400, {"status": "bad_request",
                                                   "message": "missing required key :quiz_extensions"})
        r = c.post(f"/api/v1/courses/{course.id}/quizzes/999999/extensions",
                   json={"quiz_extensions": [{"user_id": student.id}]})
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert _rows(world) == []


def test_course_quiz_extensions_apply_to_every_quiz_of_the_course(world):
    course, quiz, _, (_, teacher_token), [(student, token)] = _setup(world, essay=False)
    with world.client(teacher_token) as c:
        practice = c.post(f"/api/v1/courses/{course.id}/quizzes", data={
            "quiz[title]": "Practice", "quiz[quiz_type]": "practice_quiz"}).json()
        r = c.post(f"/api/v1/courses/{course.id}/quiz_extensions", json={"quiz_extensions": [
            {"user_id": student.id, "extra_attempts": 3, "extra_time": 20}]})
        assert (r.status_code, r.json()) == (200, {"quiz_extensions": [
            _body(quiz, student, 3, 20), _body(practice, student, 3, 20)]})
        # a quiz a student only has extensions on has no submissions: it can still be unpublished
        r = c.put(f"/api/v1/courses/{course.id}/quizzes/{practice['id']}", data={"quiz[published]": "false"})
        assert r.status_code == 200, r.text
    with world.client(token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/quiz_extensions", json={"quiz_extensions": [
            {"user_id": student.id, "extra_attempts": 3}]})
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
        assert _start(c, course, quiz).json()["quiz_submissions"][0]["attempts_left"] == 3
    assert _rows(world) == [(student.id, 1, 3, 20, None), (student.id, 0, 3, 20, None)]
