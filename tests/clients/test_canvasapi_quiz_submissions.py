"""canvasapi 3.6.0, unmodified, against the live server: a student takes a classic quiz, it is graded, and the
kept score reaches the quiz's assignment; attempts are limited; a teacher's extensions give a student more
attempts, more time and a locked quiz."""

from __future__ import annotations

from datetime import timedelta

import pytest
from canvasapi.exceptions import BadRequest, Conflict, Forbidden

from courseport.schema import QuizAttempt, Submission


def _build_quiz(teacher_course, **settings):
    quiz = teacher_course.create_quiz({"title": "Capitals", "quiz_type": "assignment", **settings})
    made = {}
    made["mc"] = quiz.create_question(question={
        "question_name": "France", "question_type": "multiple_choice_question", "points_possible": 2,
        "answers": [{"answer_text": "Paris", "answer_weight": 100}, {"answer_text": "Lyon", "answer_weight": 0}]})
    made["tf"] = quiz.create_question(question={
        "question_name": "Rome", "question_type": "true_false_question", "points_possible": 1,
        "answers": [{"answer_text": "True", "answer_weight": 100}, {"answer_text": "False", "answer_weight": 0}]})
    made["short"] = quiz.create_question(question={
        "question_name": "Spain", "question_type": "short_answer_question", "points_possible": 1,
        "answers": [{"answer_text": "Madrid", "answer_weight": 100}]})
    made["many"] = quiz.create_question(question={
        "question_name": "Coastal", "question_type": "multiple_answers_question", "points_possible": 4,
        "answers": [{"answer_text": "Lisbon", "answer_weight": 100}, {"answer_text": "Athens", "answer_weight": 100},
                    {"answer_text": "Vienna", "answer_weight": 0}]})
    made["number"] = quiz.create_question(question={
        "question_name": "Hills", "question_type": "numerical_question", "points_possible": 2,
        "answers": [{"numerical_answer_type": "exact_answer", "answer_exact": 7, "answer_error_margin": 0}]})
    made["match"] = quiz.create_question(question={
        "question_name": "Pairs", "question_type": "matching_question", "points_possible": 2,
        "answers": [{"answer_match_left": "Germany", "answer_match_right": "Berlin"},
                    {"answer_match_left": "Italy", "answer_match_right": "Rome"}]})
    quiz.edit(quiz={"published": True})
    return teacher_course.get_quiz(quiz.id), made


def test_a_student_takes_a_quiz_and_the_teacher_sees_the_kept_score(world):
    course_row = world.course()
    cast = world.cast(course_row)
    teacher_course = world.canvas(cast["teacher"]).get_course(course_row.id)
    quiz, q = _build_quiz(teacher_course, allowed_attempts=2, scoring_policy="keep_highest")
    assert quiz.points_possible == 12.0
    student_quiz = world.canvas(cast["student"]).get_course(course_row.id).get_quiz(quiz.id)

    taking = student_quiz.create_submission()
    assert (taking.attempt, taking.workflow_state, taking.quiz_id, taking.end_at) == (1, "untaken", quiz.id, None)
    questions = taking.get_submission_questions()
    assert [x.id for x in questions] == [q[k].id for k in ("mc", "tf", "short", "many", "number", "match")]
    assert all(x.answer is None and x.flagged is False for x in questions)
    assert all("weight" not in a for x in questions for a in x.answers)
    mc, tf, _, many, _, match = (q[k] for k in ("mc", "tf", "short", "many", "number", "match"))
    answered = taking.answer_submission_questions(quiz_questions=[
        {"id": mc.id, "answer": mc.answers[0]["id"]},
        {"id": tf.id, "answer": tf.answers[1]["id"]},
        {"id": q["short"].id, "answer": "  madrid "},
        {"id": many.id, "answer": [many.answers[0]["id"], many.answers[2]["id"]]},
        {"id": q["number"].id, "answer": "7"},
        {"id": match.id, "answer": [{"answer_id": a["id"], "match_id": a["match_id"]} for a in match.answers[:1]]},
    ])
    assert [(x.id, x.answer) for x in answered][:2] == [(mc.id, mc.answers[0]["id"]), (tf.id, tf.answers[1]["id"])]
    assert answered[3].answer == [many.answers[0]["id"], many.answers[2]["id"]]
    assert answered[0].flag() is True
    assert taking.get_submission_questions()[0].flagged is True
    assert answered[0].unflag() is True
    assert taking.get_times() == {"end_at": None, "time_left": None}

    done = taking.complete()
    # 2 (mc) + 0 (tf) + 1 (short) + 0 (2 - 2 of 4: one right, one wrong) + 2 (number) + 1 (one pair of two)
    assert (done.workflow_state, done.score, done.kept_score, done.attempt) == ("complete", 6.0, 6.0, 1)
    assert done.finished_at is not None
    with world.tx() as db:
        graded = db.query(Submission).filter_by(item_id=quiz.assignment_id).one()
        assert (graded.score, graded.workflow_state, graded.submission_type, graded.attempt) == (
            6.0, "graded", "online_quiz", 1)

    second = student_quiz.create_submission()
    assert (second.id, second.attempt, second.workflow_state) == (taking.id, 2, "untaken")
    second.answer_submission_questions(quiz_questions=[{"id": mc.id, "answer": mc.answers[1]["id"]}])
    assert second.complete().score == 0.0
    with pytest.raises(Conflict):
        student_quiz.create_submission()

    seen = list(quiz.get_submissions())
    assert [(s.id, s.attempt, s.score, s.kept_score) for s in seen] == [(taking.id, 2, 0.0, 6.0)]
    one = quiz.get_quiz_submission(taking.id)
    assert (one.kept_score, one.workflow_state) == (6.0, "complete")
    assert [(s.attempt, s.score) for s in student_quiz.get_submissions()] == [(1, 6.0), (2, 0.0)]
    assert teacher_course.get_assignment(quiz.assignment_id).get_submission(
        world_student_id(world, cast)).score == 6.0


def world_student_id(world, cast) -> int:
    return world.canvas(cast["student"]).get_current_user().id


def test_essay_waits_for_the_teacher_who_scores_it(world):
    course_row = world.course()
    cast = world.cast(course_row)
    teacher_course = world.canvas(cast["teacher"]).get_course(course_row.id)
    quiz = teacher_course.create_quiz({"title": "Essay", "scoring_policy": "keep_latest"})
    essay = quiz.create_question(question={"question_name": "Why", "question_type": "essay_question",
                                           "points_possible": 5})
    quiz.edit(quiz={"published": True})
    student_quiz = world.canvas(cast["student"]).get_course(course_row.id).get_quiz(quiz.id)
    taking = student_quiz.create_submission()
    taking.answer_submission_questions(quiz_questions=[{"id": essay.id, "answer": "<p>Because</p>"}])
    done = taking.complete()
    assert (done.workflow_state, done.score) == ("pending_review", 0.0)
    with pytest.raises(Forbidden):
        student_quiz.get_quiz_submission(taking.id).update_score_and_comments(
            quiz_submissions=[{"attempt": 1, "questions": {str(essay.id): {"score": 5}}}])
    teacher_view = teacher_course.get_quiz(quiz.id).get_quiz_submission(taking.id)
    scored = teacher_view.update_score_and_comments(quiz_submissions=[{
        "attempt": 1, "fudge_points": -1, "questions": {str(essay.id): {"score": 4.5, "comment": "Good"}}}])
    assert (scored.workflow_state, scored.score, scored.kept_score, scored.fudge_points) == (
        "complete", 3.5, 3.5, -1.0)
    with world.tx() as db:
        graded = db.query(Submission).filter_by(item_id=quiz.assignment_id).one()
        attempt = db.query(QuizAttempt).one()
        assert (graded.score, graded.workflow_state) == (3.5, "graded")
        assert attempt.data["comments"] == {str(essay.id): "Good"}


def test_extensions_give_a_student_an_extra_attempt_extra_time_and_a_locked_quiz(world):
    course_row = world.course()
    cast = world.cast(course_row)
    teacher_course = world.canvas(cast["teacher"]).get_course(course_row.id)
    quiz = teacher_course.create_quiz({"title": "Timed", "quiz_type": "assignment", "time_limit": 10,
                                       "published": True})
    locked = teacher_course.create_quiz({"title": "Closed", "quiz_type": "practice_quiz", "published": True,
                                         "lock_at": "2020-01-01T00:00:00Z"})
    student_id = world_student_id(world, cast)
    student_course = world.canvas(cast["student"]).get_course(course_row.id)
    with pytest.raises(BadRequest):
        student_course.get_quiz(locked.id).create_submission()

    made = quiz.set_extensions([{"user_id": student_id, "extra_attempts": 1, "extra_time": 20}])
    assert [(e.quiz_id, e.user_id, e.extra_attempts, e.extra_time, e.manually_unlocked, e.end_at) for e in made] == [
        (quiz.id, student_id, 1, 20, None, None)]
    unlocked = teacher_course.get_quiz(locked.id).set_extensions([{"user_id": student_id, "manually_unlocked": True}])
    assert [(e.user_id, e.manually_unlocked) for e in unlocked] == [(student_id, True)]

    student_quiz = student_course.get_quiz(quiz.id)
    first = student_quiz.create_submission()
    assert (first.attempts_left, first.extra_time) == (1, 20)
    with world.tx() as db:
        attempt = db.query(QuizAttempt).filter_by(attempt=1).one()
        assert attempt.end_at - attempt.started_at == timedelta(minutes=30)
    first.complete()
    second = student_quiz.create_submission()
    assert (second.id, second.attempt, second.attempts_left) == (first.id, 2, 0)
    second.complete()
    with pytest.raises(Conflict):
        student_quiz.create_submission()

    opened = student_course.get_quiz(locked.id).create_submission()
    assert (opened.workflow_state, opened.manually_unlocked, opened.end_at) == ("untaken", True, None)

    everywhere = teacher_course.set_quiz_extensions([{"user_id": student_id, "extra_time": 5}])
    assert sorted((e.quiz_id, e.extra_time) for e in everywhere) == sorted([(quiz.id, 5), (locked.id, 5)])
