"""Quizzes and quiz questions in core: the graded quiz's assignment, totals, answer parsing, rights."""

from __future__ import annotations

import pytest

from courseport.core.coursework import quiz_questions, quizzes
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Window
from courseport.schema import ContentItem, Submission, User


def _me(db, world) -> User:
    return db.get(User, world.admin.id)


def test_graded_quiz_owns_an_assignment_that_follows_it(world):
    course = world.course()
    with world.tx() as db:
        me = _me(db, world)
        view = quizzes.create_quiz(db, me, course.id, {"title": "Q", "published": True})
        quiz, assignment = view.item, view.assignment
        assert (quiz.ref_id, assignment.type, assignment.workflow_state) == (assignment.id, "assignment", "published")
        quizzes.update_quiz(db, me, course.id, str(quiz.id), {"published": False, "title": "Q2"})
        assert (assignment.title, assignment.workflow_state) == ("Q2", "unpublished")
        quizzes.update_quiz(db, me, course.id, str(quiz.id), {"quiz_type": "practice_quiz"})
        assert (quiz.ref_id, assignment.workflow_state) == (None, "deleted")
        again = quizzes.update_quiz(db, me, course.id, str(quiz.id), {"quiz_type": "assignment"})
        assert again.assignment.id != assignment.id and quiz.ref_id == again.assignment.id


def test_edits_are_tracked_per_field(world):
    course = world.course()
    with world.tx() as db:
        me = _me(db, world)
        quiz = quizzes.create_quiz(db, me, course.id, {"title": "Q"}).item
        assert quiz.local_edits == {}
        quizzes.update_quiz(db, me, course.id, str(quiz.id), {"time_limit": 10, "due_at": None})
        assert set(quiz.local_edits) == {"data"}
        assert quiz.data["time_limit"] == 10


def test_question_totals_follow_live_questions(world):
    course = world.course()
    with world.tx() as db:
        me = _me(db, world)
        quiz = quizzes.create_quiz(db, me, course.id, {"title": "Q"}).item
        first = quiz_questions.create_question(db, me, course.id, str(quiz.id), {"points_possible": 2.0})
        quiz_questions.create_question(db, me, course.id, str(quiz.id), {"points_possible": 1.5, "position": 7})
        assert (quiz.points, quiz.data["question_count"]) == (3.5, 2)
        assert db.get(ContentItem, quiz.ref_id).points == 3.5
        quiz_questions.update_question(db, me, course.id, str(quiz.id), str(first.id), {"points_possible": None})
        assert quiz.points == 1.5
        quiz_questions.delete_question(db, me, course.id, str(quiz.id), str(first.id))
        assert quiz.data["question_count"] == 1
        page = quiz_questions.list_questions(db, me, course.id, str(quiz.id), Window(0, 10))
        assert [q.position for q in page.items] == [7]


@pytest.mark.parametrize("question_type, raw, expected", [
    ("multiple_choice_question", [{"text": "a", "weight": 0}, {"answer_text": "b"}],
     [("a", 100.0), ("b", 0.0)]),
    ("multiple_answers_question", {"1": {"answer_text": "b", "answer_weight": "50"},
                                   "0": {"answer_text": "a", "answer_weight": "50"}},
     [("a", 50.0), ("b", 50.0)]),
    ("short_answer_question", [{"answer_text": "Paris", "answer_weight": 100}], [("Paris", 100.0)]),
    ("essay_question", [{"answer_text": "ignored"}], []),
])
def test_parse_answers(question_type, raw, expected):
    answers, matches = quiz_questions.parse_answers(question_type, raw)
    assert [(a["text"], a["weight"]) for a in answers] == expected
    assert matches is None


def test_matching_answers_share_match_ids_for_the_same_right_text():
    answers, matches = quiz_questions.parse_answers("matching_question", [
        {"answer_match_left": "a", "answer_match_right": "x"}, {"answer_match_left": "b", "answer_match_right": "x"}],
        "y\n\nx")
    assert answers[0]["match_id"] == answers[1]["match_id"]
    assert [m["text"] for m in matches] == ["x", "y"]


def test_precision_and_bad_numbers():
    [answer], _ = quiz_questions.parse_answers("numerical_question", [
        {"numerical_answer_type": "precision_answer", "answer_approximate": "3.14159", "answer_precision": "3"}])
    assert (answer["approximate"], answer["precision"], answer["weight"]) == (3.14159, 3.0, 100.0)
    with pytest.raises(InvalidInput) as bad:
        quiz_questions.parse_answers("numerical_question", [{"answer_exact": "nan"}])
    assert bad.value.field == "answers"
    with pytest.raises(InvalidInput):
        quiz_questions.parse_answers("multiple_choice_question", [["not", "an", "object"]])


def test_unpublishing_with_submissions_is_refused(world):
    course = world.course()
    student = world.user("pupil")
    world.enroll(student, course)
    with world.tx() as db:
        me = _me(db, world)
        quiz = quizzes.create_quiz(db, me, course.id, {"title": "Q", "published": True}).item
        db.add(Submission(item_id=quiz.ref_id, course_id=course.id, user_id=student.id, workflow_state="submitted"))
        db.flush()
        with pytest.raises(InvalidInput) as refused:
            quizzes.update_quiz(db, me, course.id, str(quiz.id), {"published": False})
        assert refused.value.field == "published"
        view = quizzes.get_quiz(db, me, course.id, str(quiz.id))
        assert view.has_submissions and quiz.workflow_state == "published"


def test_rights(world):
    course = world.course()
    student = world.user("pupil")
    world.enroll(student, course)
    with world.tx() as db:
        me = _me(db, world)
        draft = quizzes.create_quiz(db, me, course.id, {"title": "Draft"}).item
        live = quizzes.create_quiz(db, me, course.id, {"title": "Live", "published": True}).item
        pupil = db.get(User, student.id)
        assert [v.item.id for v in quizzes.list_quizzes(db, pupil, course.id, None, Window(0, 10)).items] == [live.id]
        with pytest.raises(NotFound):
            quizzes.get_quiz(db, pupil, course.id, str(draft.id))
        with pytest.raises(NotFound):
            quiz_questions.list_questions(db, pupil, course.id, str(draft.id), Window(0, 10))
        with pytest.raises(NotAllowed):
            quiz_questions.list_questions(db, pupil, course.id, str(live.id), Window(0, 10))
        with pytest.raises(NotAllowed):
            quizzes.delete_quiz(db, pupil, course.id, str(live.id))
