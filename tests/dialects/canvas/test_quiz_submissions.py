"""Canvas Quiz Submissions and Quiz Submission Questions APIs over raw HTTP: exact bodies, refusals in Canvas's
request-error shape (with nothing stored), time limits, paging, previews and grader score changes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from courseport.schema import ContentItem, QuizAttempt, QuizSubmission, Submission
from courseport.schema.base import utcnow
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _setup(world, students: int = 1, **quiz_fields):
    """A course with a teacher, students and a published graded quiz of one multiple-choice question (2 points)
    and one essay (3 points) unless `essay=False`."""
    course = world.course()
    teacher, teacher_token = world.user_with_token(f"teacher{course.id}")
    world.enroll(teacher, course, "TeacherEnrollment")
    pupils = []
    for n in range(students):
        user, token = world.user_with_token(f"student{course.id}x{n}")
        world.enroll(user, course)
        pupils.append((user, token))
    essay = quiz_fields.pop("essay", True)
    with world.client(teacher_token) as c:
        data = {f"quiz[{k}]": v for k, v in {"title": "Unit quiz", **quiz_fields}.items()}
        quiz = c.post(f"/api/v1/courses/{course.id}/quizzes", data=data).json()
        base = f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}"
        mc = c.post(f"{base}/questions", json={"question": {
            "question_name": "France", "question_text": "Capital?", "question_type": "multiple_choice_question",
            "points_possible": 2, "answers": [{"answer_text": "Paris", "answer_weight": 100},
                                              {"answer_text": "Lyon", "answer_weight": 0}]}}).json()
        if essay:
            c.post(f"{base}/questions", json={"question": {"question_name": "Why", "question_type": "essay_question",
                                                           "points_possible": 3}})
        quiz = c.put(base, data={"quiz[published]": "true"}).json()
    return course, quiz, mc, (teacher, teacher_token), pupils


def _attempts(world):
    with world.tx() as db:
        return [(a.attempt, a.workflow_state, a.score, a.data) for a in db.scalars(select(QuizAttempt)
                                                                                    .order_by(QuizAttempt.id))]


def _start(c, course, quiz, **data):
    return c.post(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/submissions", data=data)


def test_start_answer_complete_exact_bodies(world):
    course, quiz, mc, _, [(student, token)] = _setup(world, essay=False, allowed_attempts=2)
    origin = world.services.settings.base_url
    with world.client(token) as c:
        r = _start(c, course, quiz)
        assert r.status_code == 200, r.text
        qs = r.json()["quiz_submissions"][0]
        html = f"{origin}/courses/{course.id}/quizzes/{quiz['id']}/submissions/{qs['id']}"
        assert qs == {
            "id": qs["id"], "quiz_id": quiz["id"], "quiz_version": 1, "user_id": student.id, "submission_id": None,
            "score": None, "kept_score": None, "started_at": qs["started_at"], "end_at": None, "finished_at": None,
            "attempt": 1, "workflow_state": "untaken", "fudge_points": None, "quiz_points_possible": 2.0,
            "extra_attempts": None, "extra_time": None, "manually_unlocked": None, "score_before_regrade": None,
            "has_seen_results": None, "time_spent": None, "attempts_left": 1, "overdue_and_needs_submission": False,
            "excused?": False, "html_url": html, "validation_token": qs["validation_token"]}
        assert len(qs["validation_token"]) == 64
        questions = c.get(f"/api/v1/quiz_submissions/{qs['id']}/questions").json()
        assert questions == {"quiz_submission_questions": [{
            "id": mc["id"], "quiz_id": quiz["id"], "quiz_group_id": None, "assessment_question_id": None,
            "position": 1, "question_name": "France", "question_type": "multiple_choice_question",
            "question_text": "Capital?", "points_possible": 2.0,
            "answers": [{"id": a["id"], "text": a["text"], "html": ""} for a in mc["answers"]],
            "variables": None, "formulas": None, "matches": None, "flagged": False, "answer": None}]}
        r = c.post(f"/api/v1/quiz_submissions/{qs['id']}/questions", json={
            "attempt": 1, "validation_token": qs["validation_token"],
            "quiz_questions": [{"id": mc["id"], "answer": mc["answers"][0]["id"]}, {"id": 999999, "answer": 1}]})
        assert r.status_code == 200, r.text
        assert [(q["id"], q["answer"]) for q in r.json()["quiz_submission_questions"]] == [
            (mc["id"], mc["answers"][0]["id"])]
        r = c.post(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/submissions/{qs['id']}/complete",
                   data={"attempt": "1", "validation_token": qs["validation_token"]})
        assert r.status_code == 200, r.text
        done = r.json()["quiz_submissions"][0]
    with world.tx() as db:
        graded = db.scalars(select(Submission).where(Submission.item_id == quiz["assignment_id"])).one()
        assert (graded.score, graded.grade, graded.workflow_state) == (2.0, "2", "graded")
    assert {k: done[k] for k in ("score", "kept_score", "workflow_state", "submission_id", "attempts_left")} == {
        "score": 2.0, "kept_score": 2.0, "workflow_state": "complete", "submission_id": graded.id,
        "attempts_left": 1}
    assert done["result_url"] == f"{origin}/courses/{course.id}/quizzes/{quiz['id']}/history?quiz_submission_id=" \
                                 f"{qs['id']}&version=1"
    assert _attempts(world) == [(1, "complete", 2.0, {"answers": {str(mc["id"]): mc["answers"][0]["id"]},
                                                      "flagged": [], "scores": {str(mc["id"]): 2.0}})]


def test_starting_is_refused_with_canvas_bodies_and_nothing_is_stored(world):
    course, quiz, _, (_, teacher_token), [(_, token)] = _setup(world, access_code="sesame")
    with world.client(teacher_token) as c:
        r = _start(c, course, quiz)
        assert (r.status_code, r.json()) == (403, {"status": "forbidden",
                                                   "message": "you are not allowed to participate in this quiz"})
        draft = c.post(f"/api/v1/courses/{course.id}/quizzes", data={"quiz[title]": "Draft"}).json()
        locked = c.post(f"/api/v1/courses/{course.id}/quizzes", data={
            "quiz[title]": "Gone", "quiz[published]": "true", "quiz[lock_at]": "2020-01-01T00:00:00Z"}).json()
    with world.client(token) as c:
        r = _start(c, course, quiz, access_code="wrong")
        assert (r.status_code, r.json()) == (403, {"status": "forbidden", "message": "invalid access code"})
        r = _start(c, course, draft)
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
        r = _start(c, course, locked)
        assert (r.status_code, r.json()) == (400, {"status": "bad_request",
                                                   "message": "you are not allowed to participate in this quiz"})
        r = _start(c, course, quiz, preview="true")
        assert (r.status_code, r.json()) == (403, {"status": "forbidden",
                                                   "message": "you are not allowed to preview this quiz"})
        assert _attempts(world) == []
        assert _start(c, course, quiz, access_code="sesame").status_code == 200
        r = _start(c, course, quiz, access_code="sesame")
        assert (r.status_code, r.json()) == (409, {"status": "conflict", "message": "a quiz submission already exists"})
    assert [a[:2] for a in _attempts(world)] == [(1, "untaken")]


def test_answers_and_completion_are_refused_with_canvas_bodies(world):
    course, quiz, mc, _, [(_, token), (_, other_token)] = _setup(world, students=2)
    with world.client(token) as c:
        qs = _start(c, course, quiz).json()["quiz_submissions"][0]
        url = f"/api/v1/quiz_submissions/{qs['id']}/questions"
        answer = {"id": mc["id"], "answer": mc["answers"][0]["id"]}
        cases = [
            ({"attempt": 1, "validation_token": "nope", "quiz_questions": [answer]}, 403,
             {"status": "forbidden", "message": "invalid token"}),
            ({"attempt": 2, "validation_token": qs["validation_token"], "quiz_questions": [answer]}, 400,
             {"status": "bad_request", "message": "attempt 2 can not be modified"}),
            ({"validation_token": qs["validation_token"], "quiz_questions": [answer]}, 400,
             {"status": "bad_request", "message": "invalid attempt"}),
            ({"attempt": 1, "validation_token": qs["validation_token"],
              "quiz_questions": [{"id": mc["id"], "answer": 424242}]}, 400,
             {"status": "bad_request", "message": "Unknown answer '424242'."}),
            ({"attempt": 1, "validation_token": qs["validation_token"],
              "quiz_questions": [{"id": mc["id"], "answer": "Paris"}]}, 400,
             {"status": "bad_request", "message": "Parameter must be of type Integer."}),
        ]
        for body, status, error in cases:
            r = c.post(url, json=body)
            assert (r.status_code, r.json()) == (status, error), body
        complete = f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/submissions/{qs['id']}/complete"
        r = c.post(complete, data={"attempt": "1", "validation_token": "nope"})
        assert (r.status_code, r.json()) == (403, {"status": "forbidden", "message": "invalid token"})
        assert _attempts(world)[0][1:] == ("untaken", None, {"answers": {}, "flagged": [], "scores": {}})
        ticket = {"attempt": "1", "validation_token": qs["validation_token"]}
        assert c.post(complete, data=ticket).json()["quiz_submissions"][0]["workflow_state"] == "pending_review"
        r = c.post(complete, data=ticket)
        assert (r.status_code, r.json()) == (400, {"status": "bad_request",
                                                   "message": "quiz submission is already complete"})
        r = c.post(url, json={**ticket, "quiz_questions": [answer]})
        assert (r.status_code, r.json()) == (400, {"status": "bad_request",
                                                   "message": "quiz submission is already complete"})
        r = c.put(f"{url}/{mc['id']}/flag", data=ticket)
        assert (r.status_code, r.json()) == (400, {"status": "bad_request",
                                                   "message": "quiz submission is already complete"})
    with world.client(other_token) as c:
        assert (c.get(url).status_code, c.get(url).json()) == (403, FORBIDDEN)
        r = c.post(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/submissions/{qs['id']}/complete", data=ticket)
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    assert [(a[1], a[2]) for a in _attempts(world)] == [("pending_review", 0.0)]


def test_time_limit_end_at_overdue_answers_refused_and_completion_at_end(world):
    course, quiz, mc, _, [(_, token)] = _setup(world, essay=False, time_limit="10")
    with world.client(token) as c:
        qs = _start(c, course, quiz).json()["quiz_submissions"][0]
        with world.tx() as db:
            attempt = db.scalars(select(QuizAttempt)).one()
            assert attempt.end_at - attempt.started_at == timedelta(minutes=10)
        base = f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/submissions/{qs['id']}"
        timing = c.get(f"{base}/time").json()
        assert timing["end_at"] == qs["end_at"] and 595 <= timing["time_left"] <= 600
        ended = utcnow().replace(microsecond=0) - timedelta(seconds=30)
        with world.tx() as db:
            db.scalars(select(QuizAttempt)).one().end_at = ended
        ticket = {"attempt": 1, "validation_token": qs["validation_token"]}
        r = c.post(f"/api/v1/quiz_submissions/{qs['id']}/questions",
                   json={**ticket, "quiz_questions": [{"id": mc["id"], "answer": mc["answers"][0]["id"]}]})
        assert (r.status_code, r.json()) == (400, {"status": "bad_request", "message": "quiz submission is overdue"})
        assert _attempts(world)[0][3]["answers"] == {}
        shown = c.get(base).json()["quiz_submissions"][0]
        assert (shown["workflow_state"], shown["overdue_and_needs_submission"]) == ("untaken", True)
        assert -35 <= c.get(f"{base}/time").json()["time_left"] <= -29
        done = c.post(f"{base}/complete", data=ticket).json()["quiz_submissions"][0]
    assert (done["workflow_state"], done["score"], done["finished_at"]) == (
        "complete", 0.0, ended.strftime("%Y-%m-%dT%H:%M:%SZ"))


def test_listing_pages_for_graders_students_see_their_own_and_self(world):
    course, quiz, _, (_, teacher_token), pupils = _setup(world, students=3)
    ids = []
    for _, token in pupils[:2]:
        with world.client(token) as c:
            ids.append(_start(c, course, quiz).json()["quiz_submissions"][0]["id"])
    url = f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/submissions"
    with world.client(teacher_token) as c:
        r = c.get(url, params={"per_page": 1})
        assert [s["id"] for s in r.json()["quiz_submissions"]] == ids[:1]
        assert 'rel="next"' in r.headers["link"]
        assert "validation_token" not in r.json()["quiz_submissions"][0]
        assert [s["id"] for s in c.get(url, params={"per_page": 1, "page": 2}).json()["quiz_submissions"]] == ids[1:]
        r = c.get(f"{url}/self")
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.client(pupils[0][1]) as c:
        assert [s["id"] for s in c.get(url).json()["quiz_submissions"]] == ids[:1]
        assert [s["id"] for s in c.get(f"{url}/self").json()["quiz_submissions"]] == ids[:1]
        r = c.get(f"{url}/{ids[1]}")
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.client(pupils[2][1]) as c:
        assert c.get(f"{url}/self").json() == {"quiz_submissions": []}
        assert c.get(url).json() == {"quiz_submissions": []}


def test_teacher_preview_counts_for_nothing(world):
    course, quiz, mc, (teacher, teacher_token), _ = _setup(world, essay=False)
    with world.client(teacher_token) as c:
        qs = _start(c, course, quiz, preview="true").json()["quiz_submissions"][0]
        assert (qs["workflow_state"], qs["user_id"]) == ("preview", teacher.id)
        again = _start(c, course, quiz, preview="true").json()["quiz_submissions"][0]
        assert (again["id"], again["attempt"]) == (qs["id"], 1)
        ticket = {"attempt": "1", "validation_token": qs["validation_token"]}
        c.post(f"/api/v1/quiz_submissions/{qs['id']}/questions",
               json={**ticket, "quiz_questions": [{"id": mc["id"], "answer": mc["answers"][0]["id"]}]})
        r = c.post(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/submissions/{qs['id']}/complete", data=ticket)
        assert r.json()["quiz_submissions"][0]["score"] == 2.0
        assert c.get(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/submissions").json() == {
            "quiz_submissions": []}
    with world.tx() as db:
        assert db.scalars(select(Submission)).all() == []
        assert db.scalars(select(QuizSubmission)).one().preview is True


def test_grader_score_changes_are_refused_until_the_attempt_is_finished(world):
    course, quiz, _, (_, teacher_token), [(_, token)] = _setup(world)
    with world.client(token) as c:
        qs = _start(c, course, quiz).json()["quiz_submissions"][0]
    url = f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/submissions/{qs['id']}"
    with world.client(teacher_token) as c:
        r = c.put(url, json={"quiz_submissions": [{"attempt": 1, "fudge_points": 2}]})
        assert (r.status_code, r.json()) == (400, {"status": "bad_request",
                                                   "message": "quiz submission attempt must be complete"})
        r = c.put(url, json={"quiz_submissions": [{"attempt": 7, "fudge_points": 2}]})
        assert (r.status_code, r.json()) == (400, {"status": "bad_request", "message": "invalid attempt"})
        r = c.put(url, json={"fudge_points": 2})
        assert (r.status_code, r.json()) == (400, {"status": "bad_request",
                                                   "message": "missing required key :quiz_submissions"})
        r = c.put(url, json={"quiz_submissions": [{"attempt": 1, "questions": {"5": {"score": "lots"}}}]})
        assert (r.status_code, r.json()) == (400, {"status": "bad_request",
                                                   "message": "question score must be an unsigned decimal"})
    assert [(a[1], a[2]) for a in _attempts(world)] == [("untaken", None)]


def test_a_start_that_loses_the_race_for_the_attempt_number_is_refused(world):
    course, quiz, _, _, [(_, token)] = _setup(world, essay=False, allowed_attempts=3)
    with world.client(token) as c:
        qs = _start(c, course, quiz).json()["quiz_submissions"][0]
        c.post(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/submissions/{qs['id']}/complete",
               data={"attempt": "1", "validation_token": qs["validation_token"]})
        with world.tx() as db:  # a concurrent start made attempt 2 after this one read the submission
            db.add(QuizAttempt(submission_id=qs["id"], attempt=2, workflow_state="untaken", validation_token="x",
                               data={}))
        r = _start(c, course, quiz)
        assert (r.status_code, r.json()) == (409, {"status": "conflict", "message": "a quiz submission already exists"})
    with world.tx() as db:
        assert db.get(QuizSubmission, qs["id"]).attempt == 1
    assert [a[:2] for a in _attempts(world)] == [(1, "complete"), (2, "untaken")]


def test_a_started_practice_quiz_cannot_be_unpublished(world):
    course, quiz, _, (_, teacher_token), [(_, token)] = _setup(world, essay=False, quiz_type="practice_quiz")
    with world.client(teacher_token) as c:
        assert _start(c, course, quiz, preview="true").status_code == 200
        assert c.get(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}").json()["unpublishable"] is True
    with world.client(token) as c:
        assert _start(c, course, quiz).status_code == 200
    with world.client(teacher_token) as c:
        assert c.get(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}").json()["unpublishable"] is False
        r = c.put(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}", data={"quiz[published]": "false"})
        assert (r.status_code, r.json()) == (400, {"errors": [{
            "message": "quiz[published]: a quiz with submissions cannot be unpublished", "field": "quiz[published]"}]})
    with world.tx() as db:
        assert db.get(ContentItem, quiz["id"]).workflow_state == "published"


def test_an_override_of_the_quiz_assignment_opens_a_locked_quiz_to_its_student_until_its_lock_date(world):
    course, quiz, _, (_, teacher_token), [(student, token), (_, other_token)] = _setup(
        world, students=2, essay=False, lock_at="2020-01-01T00:00:00Z")
    with world.client(teacher_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/assignments/{quiz['assignment_id']}/overrides", data={
            "assignment_override[student_ids][]": str(student.id),
            "assignment_override[lock_at]": "2040-01-01T00:00:00Z"})
        assert r.status_code in (200, 201), r.text
    with world.client(other_token) as c:
        r = _start(c, course, quiz)
        assert (r.status_code, r.json()) == (400, {"status": "bad_request",
                                                   "message": "you are not allowed to participate in this quiz"})
    with world.client(token) as c:
        qs = _start(c, course, quiz).json()["quiz_submissions"][0]
    assert (qs["workflow_state"], qs["end_at"]) == ("untaken", "2040-01-01T00:00:00Z")
    assert [a[:2] for a in _attempts(world)] == [(1, "untaken")]


def test_starting_again_grades_an_overdue_attempt_even_when_no_attempt_is_left(world):
    course, quiz, mc, _, [(_, token)] = _setup(world, essay=False, time_limit="5")
    with world.client(token) as c:
        qs = _start(c, course, quiz).json()["quiz_submissions"][0]
        c.post(f"/api/v1/quiz_submissions/{qs['id']}/questions", json={
            "attempt": 1, "validation_token": qs["validation_token"],
            "quiz_questions": [{"id": mc["id"], "answer": mc["answers"][0]["id"]}]})
        ended = utcnow().replace(microsecond=0) - timedelta(minutes=1)
        with world.tx() as db:
            db.scalars(select(QuizAttempt)).one().end_at = ended
        r = _start(c, course, quiz)
        assert (r.status_code, r.json()) == (409, {"status": "conflict", "message": "a quiz submission already exists"})
    with world.tx() as db:
        attempt = db.scalars(select(QuizAttempt)).one()
        graded = db.scalars(select(Submission)).one()
        assert (attempt.workflow_state, attempt.score, attempt.finished_at) == ("complete", 2.0, ended)
        assert (graded.score, graded.submitted_at) == (2.0, ended)


def test_include_submission_quiz_and_user_come_back_as_sibling_lists(world):
    course, quiz, mc, (_, teacher_token), [(student, token)] = _setup(world, essay=False)
    base = f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}"
    with world.client(token) as c:
        qs = _start(c, course, quiz).json()["quiz_submissions"][0]
        c.post(f"/api/v1/quiz_submissions/{qs['id']}/questions", json={
            "attempt": 1, "validation_token": qs["validation_token"],
            "quiz_questions": [{"id": mc["id"], "answer": mc["answers"][0]["id"]}]})
        c.post(f"{base}/submissions/{qs['id']}/complete", data={"attempt": 1,
                                                                "validation_token": qs["validation_token"]})
        own_graded = c.get(f"/api/v1/courses/{course.id}/assignments/{quiz['assignment_id']}/submissions/"
                           f"{student.id}").json()
        mine = c.get(f"{base}/submissions/{qs['id']}", params={"include[]": "submission"}).json()
        assert set(mine) == {"quiz_submissions", "submissions"}
        assert mine["submissions"] == [own_graded]
        own = c.get(f"{base}/submissions/self", params={"include[]": ["user", "bogus"]}).json()
        assert set(own) == {"quiz_submissions", "users"}
    with world.tx() as db:
        row = db.get(type(student), student.id)
        person = {"id": row.id, "name": row.name, "created_at": row.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "sortable_name": row.sortable_name, "short_name": row.short_name}
    assert own["users"] == [person]
    with world.client(teacher_token) as c:
        graded = c.get(f"/api/v1/courses/{course.id}/assignments/{quiz['assignment_id']}/submissions/"
                       f"{student.id}").json()
        shown_quiz = c.get(base).json()
        r = c.get(f"{base}/submissions", params={"include[]": ["submission", "quiz", "user"]})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body == {"quiz_submissions": [c.get(f"{base}/submissions/{qs['id']}").json()["quiz_submissions"][0]],
                        "submissions": [graded], "quizzes": [shown_quiz], "users": [person]}
        assert graded["score"] == 2.0 and graded["user_id"] == student.id
        assert c.get(f"{base}/submissions", params={"include[]": "quiz"}).json().keys() == {
            "quiz_submissions", "quizzes"}
        practice = c.post(f"/api/v1/courses/{course.id}/quizzes", data={
            "quiz[title]": "Practice", "quiz[quiz_type]": "practice_quiz", "quiz[published]": "true"}).json()
        empty = c.get(f"/api/v1/courses/{course.id}/quizzes/{practice['id']}/submissions",
                      params={"include[]": ["submission", "quiz", "user"]}).json()
        assert empty == {"quiz_submissions": [], "submissions": [], "quizzes": [], "users": []}
