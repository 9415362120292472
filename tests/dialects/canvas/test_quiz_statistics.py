"""Canvas Quiz Statistics API: four students take a quiz of four question types with known answers (one of
them twice, one never finishing, a teacher previewing); the statistics are pinned exactly over raw HTTP and
through canvasapi's Quiz.get_statistics(), with all_versions, question groups, an empty quiz, refusals with
Canvas's whole bodies, and a fixed number of queries."""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime, timedelta

import pytest
from canvasapi.exceptions import Forbidden, ResourceDoesNotExist
from sqlalchemy import event, select

from courseport.db import is_sqlite
from courseport.schema import QuizAttempt, QuizSubmission
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


def _course(world, students=("ann", "bob", "cat", "dan", "eve")):
    course = world.course()
    cast = world.cast(course)
    pupils = {}
    for login in students:
        user, token = world.user_with_token(f"{login}{course.id}", name=login.title())
        world.enroll(user, course)
        pupils[login] = (user, token)
    return course, cast, pupils


def _quiz(c, course, **fields):
    """A published graded quiz: France (multiple choice, 2 points), Rome (true/false, 1), Coastal (multiple
    answers, 2) and Why (essay, 3): 8 points."""
    quiz = c.post(f"/api/v1/courses/{course.id}/quizzes", json={"quiz": {
        "title": "Capitals", "allowed_attempts": 2, **fields}}).json()
    base = f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}"
    made = {}
    for key, question in {
        "mc": {"question_name": "France", "question_text": "<p>Capital?</p>", "question_type":
               "multiple_choice_question", "points_possible": 2,
               "answers": [{"answer_text": "Paris", "answer_weight": 100}, {"answer_text": "Lyon", "answer_weight": 0},
                           {"answer_text": "Nice", "answer_weight": 0}]},
        "tf": {"question_name": "Rome", "question_text": "Rome is Italy's capital", "question_type":
               "true_false_question", "points_possible": 1,
               "answers": [{"answer_text": "True", "answer_weight": 100},
                           {"answer_text": "False", "answer_weight": 0}]},
        "many": {"question_name": "Coastal", "question_text": "Coastal capitals", "question_type":
                 "multiple_answers_question", "points_possible": 2,
                 "answers": [{"answer_text": "Lisbon", "answer_weight": 100},
                             {"answer_text": "Athens", "answer_weight": 100},
                             {"answer_text": "Vienna", "answer_weight": 0}]},
        "essay": {"question_name": "Why", "question_text": "Why?", "question_type": "essay_question",
                  "points_possible": 3},
    }.items():
        made[key] = c.post(f"{base}/questions", json={"question": question}).json()
    quiz = c.put(base, data={"quiz[published]": "true"}).json()
    return quiz, base, made


def _take(world, token, base, answers, *, finish=True):
    """Start an attempt, answer (question id -> answer) and complete it: the quiz submission."""
    with world.client(token) as c:
        qs = c.post(f"{base}/submissions").json()["quiz_submissions"][0]
        ticket = {"attempt": qs["attempt"], "validation_token": qs["validation_token"]}
        r = c.post(f"/api/v1/quiz_submissions/{qs['id']}/questions", json={
            **ticket, "quiz_questions": [{"id": k, "answer": v} for k, v in answers.items()]})
        assert r.status_code == 200, r.text
        if finish:
            r = c.post(f"{base}/submissions/{qs['id']}/complete", json=ticket)
            assert r.status_code == 200, r.text
    return qs


def _grade(c, base, qs, attempt, question, points):
    r = c.put(f"{base}/submissions/{qs['id']}", json={"quiz_submissions": [
        {"attempt": attempt, "questions": {str(question["id"]): {"score": points}}}]})
    assert r.status_code == 200, r.text


def _times(world, qs, attempt, start_after, seconds):
    """Set an attempt's start and finish (minutes after START, seconds taken): durations and order known."""
    with world.tx() as db:
        row = db.scalars(select(QuizAttempt).where(QuizAttempt.submission_id == qs["id"],
                                                   QuizAttempt.attempt == attempt)).one()
        row.started_at = START + timedelta(minutes=start_after)
        row.finished_at = row.started_at + timedelta(seconds=seconds)


def _ids(question):
    return [a["id"] for a in question["answers"]]


def _scenario(world):
    """Ann 8 (essay graded 3), Bob 2 (essay blank, ungraded), Cat 3 (essay graded 1), Dan 0 then 4; Eve never
    finishes; the teacher previews. Finished last: Dan's 2nd, Dan's 1st, Cat, Bob, Ann."""
    course, cast, pupils = _course(world)
    with world.client(cast["teacher"]) as c:
        quiz, base, q = _quiz(c, course)
    mc, tf, many, essay = (_ids(q[k]) if k != "essay" else None for k in ("mc", "tf", "many", "essay"))
    ids = {k: v["id"] for k, v in q.items()}
    taken = {
        "ann": _take(world, pupils["ann"][1], base, {ids["mc"]: mc[0], ids["tf"]: tf[0],
                                                     ids["many"]: [many[0], many[1]], ids["essay"]: "because"}),
        "bob": _take(world, pupils["bob"][1], base, {ids["mc"]: mc[1], ids["tf"]: tf[0], ids["many"]: [many[0]]}),
        "cat": _take(world, pupils["cat"][1], base, {ids["mc"]: mc[0], ids["tf"]: tf[1],
                                                     ids["many"]: [many[0], many[2]], ids["essay"]: "hm"}),
        "dan": _take(world, pupils["dan"][1], base, {ids["tf"]: tf[1], ids["essay"]: "x"}),
    }
    _take(world, pupils["dan"][1], base, {ids["mc"]: mc[0], ids["tf"]: tf[0], ids["many"]: [many[1]],
                                          ids["essay"]: "y"})
    _take(world, pupils["eve"][1], base, {ids["mc"]: mc[1]}, finish=False)
    with world.client(cast["teacher"]) as c:
        preview = c.post(f"{base}/submissions", data={"preview": "true"}).json()["quiz_submissions"][0]
        c.post(f"{base}/submissions/{preview['id']}/complete", json={
            "attempt": 1, "validation_token": preview["validation_token"]})
        _grade(c, base, taken["ann"], 1, q["essay"], 3)
        _grade(c, base, taken["cat"], 1, q["essay"], 1)
    for who, attempt, start_after, seconds in (("ann", 1, 0, 60), ("bob", 1, 1, 120), ("cat", 1, 4, 30),
                                               ("dan", 1, 6, 10), ("dan", 2, 8, 90)):
        _times(world, taken[who], attempt, start_after, seconds)
    users = {k: v[0].id for k, v in pupils.items()}
    return course, cast, quiz, base, q, users


def _answer(question, n, user_ids, names, correct=None):
    answer = question["answers"][n]
    return {"id": str(answer["id"]), "text": answer["text"], "correct": answer["weight"] == 100 if correct is None
            else correct, "responses": len(user_ids), "user_ids": user_ids, "user_names": names}


def _biserial(chose, others, everyone):
    """(mean - mean_other) / sd * sqrt(p(1 - p)) over the respondents' quiz scores."""
    mean, mean_other = sum(chose) / len(chose), sum(others) / len(others)
    sd = math.sqrt(sum((s - sum(everyone) / len(everyone)) ** 2 for s in everyone) / len(everyone))
    p = len(chose) / len(everyone)
    return (mean - mean_other) / sd * math.sqrt(p * (1 - p))


def test_statistics_exact_body(world):
    course, cast, quiz, base, q, u = _scenario(world)
    origin = world.services.settings.base_url
    with world.client(cast["teacher"]) as c:
        r = c.get(f"{base}/statistics")
    assert r.status_code == 200, r.text
    body = r.json()
    [stats] = body["quiz_statistics"]
    api = f"{origin}/api/v1/courses/{course.id}/quizzes/{quiz['id']}"
    html = f"{origin}/courses/{course.id}/quizzes/{quiz['id']}"
    questions = stats.pop("question_statistics")
    assert stats == {
        "id": quiz["id"], "quiz_id": quiz["id"], "url": f"{api}/statistics", "html_url": f"{html}/statistics",
        "multiple_attempts_exist": True, "generated_at": stats["generated_at"], "includes_all_versions": False,
        "includes_sis_ids": False, "points_possible": 8.0, "anonymous_survey": False,
        "speed_grader_url": f"{origin}/courses/{course.id}/gradebook/speed_grader?assignment_id="
                            f"{quiz['assignment_id']}",
        "quiz_submissions_zip_url": f"{html}/submissions?zip=1",
        "submission_statistics": {
            # kept attempts: Ann 8, Bob 2, Cat 3, Dan 4 (his second; keep_highest)
            "scores": {"25": 1, "38": 1, "50": 1, "100": 1}, "score_average": 4.25, "score_high": 8.0,
            "score_low": 2.0, "score_stdev": pytest.approx(math.sqrt(20.75 / 4)),
            "correct_count_average": 7 / 4, "incorrect_count_average": 3 / 4, "duration_average": 75.0,
            "unique_count": 4},
        "links": {"quiz": api}}
    assert datetime.fromisoformat(stats["generated_at"].replace("Z", "+00:00"))
    names = {"ann": "Ann", "bob": "Bob", "cat": "Cat", "dan": "Dan"}

    def who(*logins):
        return [u[k] for k in logins], [names[k] for k in logins]

    mc, tf, many, essay = questions
    everyone = [8.0, 2.0, 3.0, 4.0]
    paris = _biserial([4.0, 3.0, 8.0], [2.0], everyone)
    assert mc == {
        "id": str(q["mc"]["id"]), "question_type": "multiple_choice_question", "question_text": "<p>Capital?</p>",
        "position": 1, "responses": 4,
        "answers": [_answer(q["mc"], 0, *who("dan", "cat", "ann")), _answer(q["mc"], 1, *who("bob")),
                    _answer(q["mc"], 2, [], [])],
        "answered_student_count": 4, "top_student_count": 1, "middle_student_count": 2, "bottom_student_count": 1,
        "correct_student_count": 3, "incorrect_student_count": 1, "correct_student_ratio": 0.75,
        "incorrect_student_ratio": 0.25, "correct_top_student_count": 1, "correct_middle_student_count": 2,
        "correct_bottom_student_count": 0, "variance": 0.75, "stdev": pytest.approx(math.sqrt(0.75)),
        "difficulty_index": 0.75, "alpha": None,
        "point_biserials": [
            {"answer_id": q["mc"]["answers"][0]["id"], "point_biserial": pytest.approx(paris), "correct": True,
             "distractor": False},
            {"answer_id": q["mc"]["answers"][1]["id"], "point_biserial": pytest.approx(-paris), "correct": False,
             "distractor": True},
            {"answer_id": q["mc"]["answers"][2]["id"], "point_biserial": None, "correct": False,
             "distractor": True}]}
    assert paris == pytest.approx(0.5703, abs=1e-4)
    true = _biserial([4.0, 2.0, 8.0], [3.0], everyone)
    assert {k: tf[k] for k in ("responses", "answers", "correct_student_count", "incorrect_student_count",
                               "correct_top_student_count", "correct_middle_student_count",
                               "correct_bottom_student_count", "variance", "point_biserials")} == {
        "responses": 4, "answers": [_answer(q["tf"], 0, *who("dan", "bob", "ann")), _answer(q["tf"], 1, *who("cat"))],
        "correct_student_count": 3, "incorrect_student_count": 1, "correct_top_student_count": 1,
        "correct_middle_student_count": 1, "correct_bottom_student_count": 1, "variance": 0.1875,
        "point_biserials": [
            {"answer_id": q["tf"]["answers"][0]["id"], "point_biserial": pytest.approx(true), "correct": True,
             "distractor": False},
            {"answer_id": q["tf"]["answers"][1]["id"], "point_biserial": pytest.approx(-true), "correct": False,
             "distractor": True}]}
    assert many == {
        "id": str(q["many"]["id"]), "question_type": "multiple_answers_question", "question_text": "Coastal capitals",
        "position": 3, "responses": 4, "correct": 1, "partially_correct": 2,
        "answers": [_answer(q["many"], 0, *who("cat", "bob", "ann")), _answer(q["many"], 1, *who("dan", "ann")),
                    _answer(q["many"], 2, *who("cat"))]}
    assert essay == {
        "id": str(q["essay"]["id"]), "question_type": "essay_question", "question_text": "Why?", "position": 4,
        "responses": 3, "graded": 2, "full_credit": 1,
        "point_distribution": [{"score": 0.0, "count": 2}, {"score": 1.0, "count": 1}, {"score": 3.0, "count": 1}]}


def test_all_versions_counts_every_finished_attempt(world):
    _, cast, _, base, q, u = _scenario(world)
    with world.client(cast["teacher"]) as c:
        [stats] = c.get(f"{base}/statistics", params={"all_versions": "true"}).json()["quiz_statistics"]
    scores = [8.0, 2.0, 3.0, 0.0, 4.0]
    assert (stats["includes_all_versions"], stats["multiple_attempts_exist"]) == (True, True)
    assert stats["submission_statistics"] == {
        # each student once in the percentiles (their latest attempt), every attempt in the rest
        "scores": {"25": 1, "38": 1, "50": 1, "100": 1}, "score_average": 3.4, "score_high": 8.0, "score_low": 0.0,
        "score_stdev": pytest.approx(math.sqrt(sum((s - 3.4) ** 2 for s in scores) / 5)),
        "correct_count_average": 7 / 5, "incorrect_count_average": 6 / 5, "duration_average": 62.0,
        "unique_count": 4}
    mc = stats["question_statistics"][0]
    assert (mc["responses"], [(a["id"], a["user_ids"]) for a in mc["answers"]]) == (4, [
        (str(q["mc"]["answers"][0]["id"]), [u["dan"], u["cat"], u["ann"]]),
        (str(q["mc"]["answers"][1]["id"]), [u["bob"]]), (str(q["mc"]["answers"][2]["id"]), []),
        ("none", [u["dan"]])])
    assert mc["answers"][-1] == {"id": "none", "text": "No Answer", "correct": False, "responses": 1,
                                 "user_ids": [u["dan"]], "user_names": ["Dan"]}
    # the item analysis reads each student's latest attempt whatever all_versions says
    assert (mc["answered_student_count"], mc["correct_student_count"]) == (4, 3)
    essay = stats["question_statistics"][3]
    assert (essay["responses"], essay["graded"], essay["point_distribution"]) == (
        4, 2, [{"score": 0.0, "count": 3}, {"score": 1.0, "count": 1}, {"score": 3.0, "count": 1}])


def test_canvasapi_reads_the_statistics(world):
    course, cast, quiz, _, q, u = _scenario(world)
    teacher_quiz = world.canvas(cast["teacher"]).get_course(course.id).get_quiz(quiz["id"])
    [stats] = list(teacher_quiz.get_statistics())
    assert str(stats) == f"Quiz Statistic {quiz['id']}"
    assert (stats.submission_statistics["score_average"], stats.submission_statistics["unique_count"]) == (4.25, 4)
    assert [s["id"] for s in stats.question_statistics] == [str(q[k]["id"]) for k in ("mc", "tf", "many", "essay")]
    assert stats.question_statistics[0]["answers"][0]["user_ids"] == [u["dan"], u["cat"], u["ann"]]
    [every] = list(teacher_quiz.get_statistics(all_versions=True))
    assert (every.includes_all_versions, every.submission_statistics["score_low"]) == (True, 0.0)
    # a TA grades, a designer manages content: both read them; a student may not
    for role in ("ta", "designer"):
        ta_quiz = world.canvas(cast[role]).get_course(course.id).get_quiz(quiz["id"])
        assert list(ta_quiz.get_statistics())[0].submission_statistics["score_high"] == 8.0
    student_quiz = world.canvas(cast["student"]).get_course(course.id).get_quiz(quiz["id"])
    with pytest.raises(Forbidden):
        list(student_quiz.get_statistics())


def test_a_quiz_without_attempts_has_empty_statistics(world):
    course, cast, _ = _course(world, students=())
    with world.client(cast["teacher"]) as c:
        quiz, base, _ = _quiz(c, course)
        # a preview is no attempt
        preview = c.post(f"{base}/submissions", data={"preview": "true"}).json()["quiz_submissions"][0]
        c.post(f"{base}/submissions/{preview['id']}/complete", json={
            "attempt": 1, "validation_token": preview["validation_token"]})
        [stats] = c.get(f"{base}/statistics").json()["quiz_statistics"]
    assert (stats["question_statistics"], stats["multiple_attempts_exist"], stats["points_possible"]) == (
        [], False, 8.0)
    assert stats["submission_statistics"] == {
        "scores": {}, "score_average": None, "score_high": None, "score_low": None, "score_stdev": None,
        "correct_count_average": 0.0, "incorrect_count_average": 0.0, "duration_average": 0.0, "unique_count": 0}


def test_questions_of_a_group_count_only_the_students_given_them(world):
    course, cast, pupils = _course(world, students=("ann", "bob", "cat"))
    with world.client(cast["teacher"]) as c:
        quiz = c.post(f"/api/v1/courses/{course.id}/quizzes", json={"quiz": {"title": "Pool"}}).json()
        base = f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}"
        r = c.post(f"{base}/groups", json={"quiz_groups": [{"name": "Pool", "pick_count": 1, "question_points": 2}]})
        assert r.status_code == 201, r.text
        pool = [c.post(f"{base}/questions", json={"question": {
            "question_name": name, "question_type": "true_false_question", "points_possible": 1, "quiz_group_id": 1,
            "answers": [{"answer_text": "True", "answer_weight": 100},
                        {"answer_text": "False", "answer_weight": 0}]}}).json() for name in ("One", "Two")]
        c.put(base, data={"quiz[published]": "true"})
    given: dict[int, list[int]] = {p["id"]: [] for p in pool}
    for user, token in pupils.values():
        with world.client(token) as c:
            qs = c.post(f"{base}/submissions").json()["quiz_submissions"][0]
            [shown] = c.get(f"/api/v1/quiz_submissions/{qs['id']}/questions").json()["quiz_submission_questions"]
            c.post(f"/api/v1/quiz_submissions/{qs['id']}/questions", json={
                "attempt": 1, "validation_token": qs["validation_token"],
                "quiz_questions": [{"id": shown["id"], "answer": shown["answers"][0]["id"]}]})
            c.post(f"{base}/submissions/{qs['id']}/complete", json={
                "attempt": 1, "validation_token": qs["validation_token"]})
        given[shown["id"]].insert(0, user.id)  # newest finished first
    with world.client(cast["teacher"]) as c:
        [stats] = c.get(f"{base}/statistics").json()["quiz_statistics"]
    assert stats["submission_statistics"]["score_average"] == 2.0  # each worth the group's 2 points
    assert [(s["id"], s["responses"], s["answered_student_count"], s["answers"][0]["user_ids"])
            for s in stats["question_statistics"]] == [
        (str(p["id"]), len(given[p["id"]]), len(given[p["id"]]), given[p["id"]]) for p in pool if given[p["id"]]]


def test_who_may_read_them_and_unknown_ids(world):
    course, cast, quiz, base, _, _ = _scenario(world)
    other = world.course("Other")
    with world.client(cast["teacher"]) as c:
        draft = c.post(f"/api/v1/courses/{course.id}/quizzes", json={"quiz": {"title": "Draft"}}).json()
        assert c.get(f"/api/v1/courses/{course.id}/quizzes/{draft['id']}/statistics").status_code == 200
    for role in ("student", "observer", "outsider"):
        with world.client(cast[role]) as c:
            r = c.get(f"{base}/statistics")
            assert (r.status_code, r.json()) == (403, FORBIDDEN), role
    with world.client(cast["student"]) as c:
        r = c.get(f"/api/v1/courses/{course.id}/quizzes/{draft['id']}/statistics")
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
    with world.client(cast["admin"]) as c:
        for path in (f"/api/v1/courses/{course.id}/quizzes/999999/statistics",
                     f"/api/v1/courses/999999/quizzes/{quiz['id']}/statistics",
                     f"/api/v1/courses/{other.id}/quizzes/{quiz['id']}/statistics"):
            r = c.get(path)
            assert (r.status_code, r.json()) == (404, NOT_FOUND), path
    gone = world.canvas(cast["teacher"]).get_course(course.id).get_quiz(quiz["id"])
    gone.id = 999999
    with pytest.raises(ResourceDoesNotExist):
        list(gone.get_statistics())
    with world.tx() as db:  # reading wrote nothing
        assert db.scalar(select(QuizSubmission).where(QuizSubmission.quiz_id == draft["id"])) is None


def test_reads_are_a_fixed_number_of_queries(world):
    if not is_sqlite(world.engine):
        pytest.skip("counted through the engine's events; PostgreSQL's server reads run on the loop's own cursor")
    course, cast, quiz, base, q, _ = _scenario(world)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
        statements.append(statement)

    def reads() -> int:
        statements.clear()
        event.listen(world.engine, "before_cursor_execute", count)
        try:
            with world.client(cast["teacher"]) as c:
                assert c.get(f"{base}/statistics").status_code == 200
        finally:
            event.remove(world.engine, "before_cursor_execute", count)
        # the fault rules are reloaded now and then, whatever the route: not this read's
        return len([s for s in statements if "FROM fault_rules" not in s])

    before = reads()
    for n in range(3):
        user, token = world.user_with_token(f"late{course.id}x{n}")
        world.enroll(user, course)
        _take(world, token, base, {q["mc"]["id"]: q["mc"]["answers"][0]["id"]})
    assert reads() == before


def _two_questions(c, course, **fields):
    """A published quiz of France (multiple choice, 2 points) and Rome (true/false, 1)."""
    quiz = c.post(f"/api/v1/courses/{course.id}/quizzes", json={"quiz": {"title": "Short", **fields}}).json()
    base = f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}"
    mc = c.post(f"{base}/questions", json={"question": {
        "question_name": "France", "question_type": "multiple_choice_question", "points_possible": 2,
        "answers": [{"answer_text": "Paris", "answer_weight": 100},
                    {"answer_text": "Lyon", "answer_weight": 0}]}}).json()
    tf = c.post(f"{base}/questions", json={"question": {
        "question_name": "Rome", "question_type": "true_false_question", "points_possible": 1,
        "answers": [{"answer_text": "True", "answer_weight": 100},
                    {"answer_text": "False", "answer_weight": 0}]}}).json()
    quiz = c.put(base, data={"quiz[published]": "true"}).json()
    return quiz, base, mc, tf


def test_the_kept_attempt_follows_the_scoring_policy_and_items_read_the_latest(world):
    course, cast, pupils = _course(world, students=("ann", "bob"))
    with world.client(cast["teacher"]) as c:
        quiz, base, mc, tf = _two_questions(c, course, allowed_attempts=2)
    (ann, ann_token), (bob, bob_token) = pupils["ann"], pupils["bob"]
    paris, lyon = (a["id"] for a in mc["answers"])
    _take(world, ann_token, base, {mc["id"]: paris, tf["id"]: tf["answers"][0]["id"]})  # 3
    _take(world, ann_token, base, {mc["id"]: lyon, tf["id"]: tf["answers"][1]["id"]})  # 0
    _take(world, bob_token, base, {mc["id"]: paris, tf["id"]: tf["answers"][1]["id"]})  # 2
    with world.client(cast["teacher"]) as c:
        [highest] = c.get(f"{base}/statistics").json()["quiz_statistics"]
        assert c.put(base, data={"quiz[scoring_policy]": "keep_latest"}).status_code == 200
        [latest] = c.get(f"{base}/statistics").json()["quiz_statistics"]
    # keep_highest keeps Ann's first attempt: no counted attempt is a second one
    assert (highest["multiple_attempts_exist"], highest["submission_statistics"]["score_average"],
            highest["submission_statistics"]["scores"]) == (False, 2.5, {"67": 1, "100": 1})
    [france, _] = highest["question_statistics"]
    assert [(a["text"], a["user_ids"]) for a in france["answers"]] == [("Paris", [bob.id, ann.id]), ("Lyon", [])]
    # the item analysis reads each student's latest attempt: Ann chose Lyon last
    assert (france["correct_student_count"], france["incorrect_student_count"], france["point_biserials"][0]) == (
        1, 1, {"answer_id": paris, "point_biserial": 1.0, "correct": True, "distractor": False})
    assert (latest["multiple_attempts_exist"], latest["submission_statistics"]["score_average"],
            latest["submission_statistics"]["scores"]) == (True, 1.0, {"0": 1, "67": 1})
    assert [(a["text"], a["user_ids"]) for a in latest["question_statistics"][0]["answers"]] == [
        ("Paris", [bob.id]), ("Lyon", [ann.id])]


def test_an_anonymous_survey_names_nobody(world):
    course, cast, pupils = _course(world, students=("ann",))
    with world.client(cast["teacher"]) as c:
        quiz, base, mc, _ = _two_questions(c, course, quiz_type="survey", anonymous_submissions=True)
    _take(world, pupils["ann"][1], base, {mc["id"]: mc["answers"][0]["id"]})
    with world.client(cast["teacher"]) as c:
        [stats] = c.get(f"{base}/statistics").json()["quiz_statistics"]
    assert (stats["anonymous_survey"], stats["speed_grader_url"]) == (True, None)
    assert stats["question_statistics"][0]["answers"] == [
        {"id": str(mc["answers"][0]["id"]), "text": "Paris", "correct": True, "responses": 1},
        {"id": str(mc["answers"][1]["id"]), "text": "Lyon", "correct": False, "responses": 0}]
    assert [a["id"] for a in stats["question_statistics"][1]["answers"]][-1] == "none"


def test_answers_and_answer_sets_of_the_other_question_types(world):
    course, cast, pupils = _course(world, students=("ann", "bob", "cat"))
    with world.client(cast["teacher"]) as c:
        quiz = c.post(f"/api/v1/courses/{course.id}/quizzes", json={"quiz": {"title": "Mixed"}}).json()
        base = f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}"
        q = {key: c.post(f"{base}/questions", json={"question": {"question_name": key, "points_possible": 2,
                                                                 **question}}).json()
             for key, question in {
            "short": {"question_type": "short_answer_question", "answers": [{"answer_text": "Madrid",
                                                                              "answer_weight": 100}]},
            "number": {"question_type": "numerical_question", "answers": [
                {"numerical_answer_type": "exact_answer", "answer_exact": 7, "answer_error_margin": 0}]},
            "fill": {"question_type": "fill_in_multiple_blanks_question", "answers": [
                {"answer_text": "red", "blank_id": "c1", "answer_weight": 100},
                {"answer_text": "green", "blank_id": "c2", "answer_weight": 100}]},
            "drop": {"question_type": "multiple_dropdowns_question", "answers": [
                {"answer_text": "red", "blank_id": "c1", "answer_weight": 100},
                {"answer_text": "blue", "blank_id": "c1", "answer_weight": 0},
                {"answer_text": "big", "blank_id": "size", "answer_weight": 100}]},
            "match": {"question_type": "matching_question", "matching_answer_incorrect_matches": "Paris", "answers": [
                {"answer_match_left": "Germany", "answer_match_right": "Berlin"},
                {"answer_match_left": "Italy", "answer_match_right": "Rome"}]},
        }.items()}
        c.put(base, data={"quiz[published]": "true"})
    red, blue, big = (a["id"] for a in q["drop"]["answers"])
    germany, italy = q["match"]["answers"]
    berlin, rome, paris = (m["match_id"] for m in q["match"]["matches"])
    ids = {k: v["id"] for k, v in q.items()}
    for login, answers in (
        ("ann", {ids["short"]: " madrid ", ids["number"]: "7", ids["fill"]: {"c1": "Red", "c2": "green"},
                 ids["drop"]: {"c1": red, "size": big},
                 ids["match"]: [{"answer_id": germany["id"], "match_id": berlin},
                                {"answer_id": italy["id"], "match_id": rome}]}),
        ("bob", {ids["short"]: "Barcelona", ids["number"]: "8", ids["fill"]: {"c1": "red", "c2": "blue"},
                 ids["drop"]: {"c1": blue}, ids["match"]: [{"answer_id": germany["id"], "match_id": berlin}]}),
        ("cat", {ids["fill"]: {"c1": "pink"}, ids["match"]: [{"answer_id": germany["id"], "match_id": rome}]}),
    ):
        _take(world, pupils[login][1], base, answers)
    u = {k: v[0].id for k, v in pupils.items()}
    names = {u[k]: k.title() for k in u}
    with world.client(cast["teacher"]) as c:
        [stats] = c.get(f"{base}/statistics").json()["quiz_statistics"]
    short, number, fill, drop, match = stats["question_statistics"]
    fill_red, fill_green = (a["id"] for a in q["fill"]["answers"])

    def answer(answer_id, text, correct, *logins):
        return {"id": str(answer_id), "text": text, "correct": correct, "responses": len(logins),
                "user_ids": [u[k] for k in logins], "user_names": [names[u[k]] for k in logins]}

    def md5(text):
        return hashlib.md5(text.encode()).hexdigest()

    assert {k: short[k] for k in ("responses", "correct", "answers")} == {
        "responses": 2, "correct": 1, "answers": [answer(q["short"]["answers"][0]["id"], "Madrid", True, "ann"),
                                                  answer("other", "Other", False, "bob"),
                                                  answer("none", "No Answer", False, "cat")]}
    assert "partially_correct" not in short
    assert {k: number[k] for k in ("responses", "correct", "full_credit", "incorrect", "answers")} == {
        "responses": 2, "correct": 1, "full_credit": 1, "incorrect": 2, "answers": [
            {**answer(q["number"]["answers"][0]["id"], "7.00", True, "ann"), "value": [7.0, 7.0], "margin": 0.0,
             "is_range": False},
            answer("other", "Other", False, "bob"), answer("none", "No Answer", False, "cat")]}
    assert fill == {
        "id": str(ids["fill"]), "question_type": "fill_in_multiple_blanks_question", "question_text": "Question text",
        "position": 3, "responses": 3, "answered": 2, "correct": 1, "partially_correct": 1, "incorrect": 1,
        "answer_sets": [
            {"id": md5("c1"), "text": "c1", "answers": [answer(fill_red, "red", True, "bob", "ann"),
                                                        answer("other", "Other", False, "cat")]},
            {"id": md5("c2"), "text": "c2", "answers": [answer(fill_green, "green", True, "ann"),
                                                        answer("other", "Other", False, "bob"),
                                                        answer("none", "No Answer", False, "cat")]}]}
    assert {k: drop[k] for k in ("responses", "answered", "correct", "partially_correct", "incorrect",
                                 "answer_sets")} == {
        "responses": 2, "answered": 1, "correct": 1, "partially_correct": 0, "incorrect": 2, "answer_sets": [
            {"id": md5("c1"), "text": "c1", "answers": [answer(red, "red", True, "ann"),
                                                        answer(blue, "blue", False, "bob"),
                                                        answer("none", "No Answer", False, "cat")]},
            {"id": md5("size"), "text": "size", "answers": [answer(big, "big", True, "ann"),
                                                            answer("none", "No Answer", False, "cat", "bob")]}]}
    assert {k: match[k] for k in ("responses", "answered", "correct", "partially_correct", "incorrect",
                                  "answer_sets")} == {
        "responses": 3, "answered": 1, "correct": 1, "partially_correct": 1, "incorrect": 1, "answer_sets": [
            {"id": str(germany["id"]), "text": "Germany", "answers": [
                answer(berlin, "Berlin", True, "bob", "ann"), answer(rome, "Rome", False, "cat"),
                answer(paris, "Paris", False)]},
            {"id": str(italy["id"]), "text": "Italy", "answers": [
                answer(berlin, "Berlin", False), answer(rome, "Rome", True, "ann"), answer(paris, "Paris", False),
                answer("none", "No Answer", False, "cat", "bob")]}]}


def test_numerical_answers_show_their_bounds_and_the_first_that_fits(world):
    course, cast, pupils = _course(world, students=("ann", "bob", "cat"))
    with world.client(cast["teacher"]) as c:
        quiz = c.post(f"/api/v1/courses/{course.id}/quizzes", json={"quiz": {"title": "Numbers"}}).json()
        base = f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}"
        number = c.post(f"{base}/questions", json={"question": {
            "question_name": "N", "question_type": "numerical_question", "points_possible": 1, "answers": [
                {"numerical_answer_type": "exact_answer", "answer_exact": 15, "answer_error_margin": 1.5},
                {"numerical_answer_type": "range_answer", "answer_range_start": 3, "answer_range_end": 54.12},
                {"numerical_answer_type": "precision_answer", "answer_approximate": 1.5,
                 "answer_precision": 2}]}}).json()
        c.put(base, data={"quiz[published]": "true"})
    for login, value in (("ann", "16"), ("bob", "40"), ("cat", "1.5")):
        _take(world, pupils[login][1], base, {number["id"]: value})
    with world.client(cast["teacher"]) as c:
        [stats] = c.get(f"{base}/statistics").json()["quiz_statistics"]
    exact, span, approx = number["answers"]
    assert [{k: a[k] for k in ("id", "text", "value", "margin", "is_range", "user_ids")}
            for a in stats["question_statistics"][0]["answers"]] == [
        {"id": str(exact["id"]), "text": "15.00", "value": [13.5, 16.5], "margin": 1.5, "is_range": False,
         "user_ids": [pupils["ann"][0].id]},
        {"id": str(span["id"]), "text": "[3.00..54.12]", "value": [3.0, 54.12], "margin": 0.0, "is_range": True,
         "user_ids": [pupils["bob"][0].id]},
        {"id": str(approx["id"]), "text": "1.5 (with precision: 2)", "value": [-0.5, 3.5], "margin": 0.0,
         "is_range": False, "user_ids": [pupils["cat"][0].id]}]
    assert stats["question_statistics"][0]["correct"] == 3
