"""canvasapi 3.6.0, unmodified, against the live server: classic quizzes and their questions."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist

from courseport.schema import ContentItem


def _item(world, item_id: int) -> ContentItem:
    with world.tx() as db:
        return db.get(ContentItem, item_id)


def test_create_list_get_edit_delete_quiz(world):
    course = world.canvas().get_course(world.course().id)
    quiz = course.create_quiz({"title": "Midterm", "quiz_type": "assignment", "time_limit": 45,
                               "shuffle_answers": True, "due_at": "2030-04-01T09:00:00Z", "published": True})
    assert (quiz.title, quiz.quiz_type, quiz.time_limit, quiz.shuffle_answers, quiz.due_at, quiz.published,
            quiz.course_id) == ("Midterm", "assignment", 45, True, "2030-04-01T09:00:00Z", True, course.id)
    assignment = _item(world, quiz.assignment_id)
    assert (assignment.title, assignment.workflow_state, assignment.data["submission_types"]) == (
        "Midterm", "published", ["online_quiz"])
    course.create_quiz({"title": "Practice", "quiz_type": "practice_quiz"})
    assert [q.title for q in course.get_quizzes()] == ["Midterm", "Practice"]
    assert [q.title for q in course.get_quizzes(search_term="prac")] == ["Practice"]
    fetched = course.get_quiz(quiz.id)
    assert (fetched.id, fetched.time_limit) == (quiz.id, 45)
    edited = quiz.edit(quiz={"title": "Midterm exam", "time_limit": 60, "published": False})
    assert (edited.title, edited.time_limit, edited.published, edited.course_id) == (
        "Midterm exam", 60, False, course.id)
    assert _item(world, quiz.assignment_id).title == "Midterm exam"
    deleted = quiz.delete()
    assert deleted.id == quiz.id
    assert _item(world, quiz.id).workflow_state == "deleted"
    assert _item(world, quiz.assignment_id).workflow_state == "deleted"
    with pytest.raises(ResourceDoesNotExist):
        course.get_quiz(quiz.id)
    assert [q.title for q in course.get_quizzes()] == ["Practice"]


def test_questions_through_the_client(world):
    course = world.canvas().get_course(world.course().id)
    quiz = course.create_quiz({"title": "Capitals"})
    question = quiz.create_question(question={
        "question_name": "France", "question_text": "<p>Capital of France?</p>",
        "question_type": "multiple_choice_question", "points_possible": 2,
        "answers": [{"answer_text": "Paris", "answer_weight": 100}, {"answer_text": "Lyon", "answer_weight": 0}]})
    assert (question.question_name, question.quiz_id, question.points_possible, question.course_id) == (
        "France", quiz.id, 2.0, course.id)
    assert [(a["text"], a["weight"]) for a in question.answers] == [("Paris", 100.0), ("Lyon", 0.0)]
    quiz.create_question(question={"question_name": "Essay", "question_type": "essay_question",
                                   "points_possible": 5})
    assert [q.question_name for q in quiz.get_questions()] == ["France", "Essay"]
    assert quiz.get_question(question.id).answers == question.answers
    refreshed = course.get_quiz(quiz.id)
    assert (refreshed.question_count, refreshed.points_possible) == (2, 7.0)
    question.edit(question={"points_possible": 3, "answers": [
        {"answer_text": "Paris", "answer_weight": 100}, {"answer_text": "Marseille", "answer_weight": 0},
        {"answer_text": "Nice", "answer_weight": 0}]})
    assert (question.points_possible, [a["text"] for a in question.answers]) == (3.0, ["Paris", "Marseille", "Nice"])
    assert course.get_quiz(quiz.id).points_possible == 8.0
    assert question.delete() is True
    assert [q.question_name for q in quiz.get_questions()] == ["Essay"]
    assert _item(world, question.id).workflow_state == "deleted"
    assert course.get_quiz(quiz.id).question_count == 1


def test_students_and_bad_input_through_the_client(world):
    course_row = world.course()
    cast = world.cast(course_row)
    teacher_course = world.canvas(cast["teacher"]).get_course(course_row.id)
    quiz = teacher_course.create_quiz({"title": "Open", "published": True})
    draft = teacher_course.create_quiz({"title": "Draft"})
    quiz.create_question(question={"question_type": "true_false_question",
                                   "answers": [{"answer_text": "True"}, {"answer_text": "False"}]})
    student_course = world.canvas(cast["student"]).get_course(course_row.id)
    assert [q.title for q in student_course.get_quizzes()] == ["Open"]
    with pytest.raises(ResourceDoesNotExist):
        student_course.get_quiz(draft.id)
    student_quiz = student_course.get_quiz(quiz.id)
    with pytest.raises(Forbidden):
        list(student_quiz.get_questions())
    with pytest.raises(Forbidden):
        student_course.create_quiz({"title": "Mine"})
    with pytest.raises(Forbidden):
        student_quiz.edit(quiz={"title": "Mine"})
    with pytest.raises(BadRequest):
        teacher_course.create_quiz({"title": "Bad", "quiz_type": "exam"})
    with pytest.raises(BadRequest):
        quiz.create_question(question={"question_type": "riddle_question"})
    assert [q.title for q in teacher_course.get_quizzes()] == ["Draft", "Open"]
